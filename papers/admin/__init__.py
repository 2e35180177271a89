"""Paper records in the admin, with the OpenReview / arXiv / BibTeX import page and the queue of
suggested videos."""

from papers.admin import paper, videos  # noqa: F401
