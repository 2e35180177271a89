"""The curators' admin: posts with their parts, keynotes, the Markdown and gallery pages."""

from reviews.admin import post  # noqa: F401
