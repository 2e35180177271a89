"""The public read API under /api/v1/: JSON for what anonymous readers may see, with OpenAPI 3."""
