"""The curators' admin: posts with their parts, keynotes and their suggested videos, the Markdown
and gallery pages."""

from reviews.admin import keynote_videos, keynotes, post  # noqa: F401
