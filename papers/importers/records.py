"""Plain records that every importer (OpenReview, arXiv, BibTeX) produces and the services save."""

import datetime
from dataclasses import dataclass, field

MAX_IMPORT_BYTES = 10 * 1024 * 1024


class ImportFailed(Exception):
    """Bad input a curator can act on; the message names the problem."""


@dataclass
class AuthorRecord:
    name: str
    affiliation: str = ""
    openreview_id: str = ""
    orcid: str = ""


@dataclass
class ConferenceRecord:
    short_name: str
    year: int


@dataclass
class LinkRecord:
    kind: str
    url: str


@dataclass
class ExcerptRecord:
    source_kind: str
    note_id: str
    field: str
    text: str
    reviewer_label: str = ""
    rating: float | None = None
    rating_label: str = ""
    confidence: float | None = None
    confidence_label: str = ""
    scores: dict = field(default_factory=dict)
    extra: dict = field(default_factory=dict)
    source_url: str = ""


@dataclass
class PaperRecord:
    source: str
    title: str
    authors: list[AuthorRecord] = field(default_factory=list)
    abstract: str = ""
    tldr: str = ""
    topics: list[str] = field(default_factory=list)
    primary_area: str = ""
    venue: str = ""
    outcome: str = ""
    decision: str = ""
    openreview_id: str = ""
    arxiv_id: str = ""
    arxiv_version: str = ""
    primary_category: str = ""
    doi: str = ""
    comment: str = ""
    publication_date: datetime.date | None = None
    bibtex: str = ""
    conference: ConferenceRecord | None = None
    links: list[LinkRecord] = field(default_factory=list)
    excerpts: list[ExcerptRecord] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def read_limited(source, *, limit=MAX_IMPORT_BYTES) -> bytes:
    """Bytes of a path or file object, refusing anything over `limit` before reading it whole."""
    if hasattr(source, "read"):
        size = getattr(source, "size", None)
        if size is not None and size > limit:
            raise_too_large(size, limit)
        data = source.read(limit + 1)
    else:
        with open(source, "rb") as handle:
            data = handle.read(limit + 1)
    if len(data) > limit:
        raise_too_large(size=None, limit=limit)
    return data if isinstance(data, bytes) else data.encode()


def raise_too_large(size, limit):
    mb = limit / (1024 * 1024)
    if size:
        raise ImportFailed(
            f"The file is {size / (1024 * 1024):.1f} MB; imports are limited to {mb:g} MB."
        )
    raise ImportFailed(f"The file is larger than {mb:g} MB, the limit for imports.")
