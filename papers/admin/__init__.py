"""Paper records in the admin, with the OpenReview / arXiv / BibTeX import page."""

from papers.admin import paper  # noqa: F401
