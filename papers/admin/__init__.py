"""Paper records in the admin, with the OpenReview / arXiv / BibTeX import page, author merging
and the queue of suggested videos."""

from papers.admin import authors, paper, videos  # noqa: F401
