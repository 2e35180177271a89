"""Writes for paper records: imports from OpenReview, arXiv and BibTeX, upserted with provenance.

Every imported field remembers its source and the value it brought (`Paper.provenance`). On
re-import a field is updated only while it still holds that value; a field the curator changed
(or filled by hand before any import) is kept, and the report says so. A field filled from one
source (OpenReview) is not overwritten by another (arXiv); empty fields are filled from any.
"""

import datetime
import json
import re
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q
from django.utils import timezone

from core.concurrency import claim_version
from core.fields import validate_url
from core.side_effects import batched
from papers.cards import refresh_paper_cards
from papers.importers import arxiv, bibtex, openreview
from papers.importers.records import (
    MAX_IMPORT_BYTES,
    ImportFailed,
    PaperRecord,
    raise_too_large,
    read_limited,
)
from papers.models import (
    Author,
    Authorship,
    Conference,
    Paper,
    PaperAutosave,
    PaperLink,
    PeerReviewExcerpt,
)
from papers.pages import refresh_paper_pages
from papers.rules import can_change_papers

SCALAR_FIELDS = [
    "title",
    "abstract",
    "tldr",
    "primary_area",
    "venue",
    "outcome",
    "decision",
    "openreview_id",
    "arxiv_id",
    "arxiv_version",
    "primary_category",
    "doi",
    "comment",
    "publication_date",
    "bibtex",
]
EXCERPT_SOURCE_FIELDS = [
    "source_kind",
    "reviewer_label",
    "rating",
    "rating_label",
    "confidence",
    "confidence_label",
    "scores",
    "extra",
    "source_url",
]
VERSION_RE = re.compile(r"v\d+$")
# Field defaults that mean "not known yet": an import fills them like empty fields.
UNSET = {"outcome": Paper.Outcome.UNKNOWN}


@dataclass
class PaperChange:
    paper: Paper
    created: bool
    changed: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    excerpts_added: int = 0
    excerpts_updated: int = 0
    links_added: int = 0
    paper_authors: list[str] = field(default_factory=list)

    @property
    def is_changed(self) -> bool:
        return bool(
            self.created
            or self.changed
            or self.excerpts_added
            or self.excerpts_updated
            or self.links_added
        )

    def describe(self) -> str:
        title = f"“{self.paper.title}”"
        if self.created:
            return (
                f"Created {title}: {len(self.paper_authors)} author(s), "
                f"{self.excerpts_added} review excerpt(s), {self.links_added} link(s)."
            )
        parts = []
        if self.changed:
            parts.append("changed " + ", ".join(self.changed))
        if self.kept:
            parts.append("kept curator edits to " + ", ".join(self.kept))
        if self.excerpts_added:
            parts.append(f"{self.excerpts_added} new review excerpt(s)")
        if self.excerpts_updated:
            parts.append(f"{self.excerpts_updated} review excerpt(s) refreshed")
        if self.links_added:
            parts.append(f"{self.links_added} new link(s)")
        if not parts:
            return f"Unchanged {title}."
        verb = "Updated" if self.is_changed else "Unchanged"
        return f"{verb} {title}: " + "; ".join(parts) + "."


@dataclass
class ImportReport:
    papers: list[PaperChange] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    dry_run: bool = False

    @property
    def created(self):
        return [change.paper for change in self.papers if change.created]

    @property
    def updated(self):
        return [change.paper for change in self.papers if change.is_changed and not change.created]

    def lines(self) -> list[str]:
        return [change.describe() for change in self.papers] + self.warnings


class _DryRun(Exception):
    pass


NOT_A_PAPER_EDITOR = "Only curators may import or change paper records."


def import_openreview(
    *, data=None, source=None, conference=None, dry_run=False, by=None
) -> ImportReport:
    """Papers and review excerpts from OpenReview notes (raw JSON `data` or a file `source`).

    `by` is the acting user (see import_records); None is the operator at the shell.
    """
    _require_paper_editor(by)
    if isinstance(data, list | dict):
        data = json.dumps(data)
    raw = _raw(data, source)
    records = openreview.parse_notes(openreview.load_notes(raw))
    return import_records(records=records, conference=conference, dry_run=dry_run, by=by)


def import_arxiv(
    *, data=None, source=None, conference=None, dry_run=False, by=None
) -> ImportReport:
    """Papers from an arXiv API Atom response (raw `data` or a file `source`)."""
    _require_paper_editor(by)
    records = arxiv.parse_atom(_raw(data, source))
    return import_records(records=records, conference=conference, dry_run=dry_run, by=by)


def import_bibtex(
    *, data=None, source=None, conference=None, dry_run=False, by=None
) -> ImportReport:
    """Papers from BibTeX entries (raw `data` or a .bib file `source`)."""
    _require_paper_editor(by)
    records = bibtex.parse_bibtex(_raw(data, source))
    return import_records(records=records, conference=conference, dry_run=dry_run, by=by)


def _require_paper_editor(by) -> None:
    if not can_change_papers(by):
        raise PermissionDenied(NOT_A_PAPER_EDITOR)


@transaction.atomic
def save_paper(*, paper: Paper, by, expected_version: int | None = None, save_children=None):
    """A paper saved from its admin form: curators only, and a stale form is refused. The
    curator's autosaved edits of it are cleared."""
    if by is None:
        raise PermissionDenied(NOT_A_PAPER_EDITOR)
    _require_paper_editor(by)
    paper.full_clean()
    if paper.pk is not None:
        claim_version(instance=paper, expected=expected_version)
    paper.save()
    if save_children:
        save_children()
    PaperAutosave.objects.filter(paper=paper, user=by).delete()
    return paper


def import_records(
    *,
    records: list[PaperRecord],
    conference: Conference | None = None,
    dry_run: bool = False,
    by=None,
) -> ImportReport:
    """Upsert every record in one transaction: all of them are saved, or none.

    `by` is the acting user, who needs the papers change permission; `by=None` means the
    operator at the shell (the management commands), who has full rights.
    """
    _require_paper_editor(by)
    _refuse_duplicates(records)
    report = ImportReport(dry_run=dry_run)
    try:
        # batched(): the side effects of every row written (search vectors, public flags,
        # post bodies) run once, at the end, not once per paper, author and topic.
        with transaction.atomic(), batched():
            for record in records:
                report.papers.append(_upsert(record, conference))
                report.warnings += record.warnings
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    except IntegrityError as error:
        # Another import of the same paper committed between our lookup and our write.
        raise ImportFailed(
            f"The import clashed with existing records ({error}); try again."
        ) from None
    return report


def _raw(data, source) -> bytes:
    if (data is None) == (source is None):
        raise TypeError("Pass exactly one of data= or source=.")
    if source is not None:
        return read_limited(source)
    raw = data.encode() if isinstance(data, str) else data
    if len(raw) > MAX_IMPORT_BYTES:
        raise_too_large(len(raw), MAX_IMPORT_BYTES)
    return raw


def _refuse_duplicates(records):
    seen = {}
    for record in records:
        for key in ("openreview_id", "arxiv_id"):
            value = getattr(record, key)
            if value and (key, value) in seen:
                raise ImportFailed(f"The input holds {key.replace('_', ' ')} {value} twice.")
            seen[(key, value)] = record


def _find_paper(record: PaperRecord) -> Paper | None:
    for key in ("openreview_id", "arxiv_id", "doi"):
        value = getattr(record, key)
        if value and (paper := Paper.objects.filter(**{key: value}).first()):
            return paper
    # The same title under another forum or arXiv id is another paper (a resubmission, say).
    same_title = Paper.objects.filter(title__iexact=record.title).order_by("pk")
    for key in ("openreview_id", "arxiv_id"):
        if value := getattr(record, key):
            same_title = same_title.filter(**{f"{key}__in": ["", value]})
    return same_title.first()


def _upsert(record: PaperRecord, conference: Conference | None) -> PaperChange:
    paper = _find_paper(record)
    change = PaperChange(paper=paper or Paper(), created=paper is None)
    paper = change.paper
    for key in ("openreview_id", "arxiv_id"):
        value = getattr(record, key)
        other = Paper.objects.filter(**{key: value}).exclude(pk=paper.pk).first() if value else None
        if other:
            raise ImportFailed(
                f"{key.replace('_', ' ')} {value} already belongs to “{other.title}”, "
                f"not to “{record.title}”."
            )
    for name in SCALAR_FIELDS:
        _merge(paper, change, name, getattr(record, name), record.source)
    target = conference or _conference(record)
    if target is not None:
        _merge(paper, change, "conference", target, record.source)
    try:
        paper.full_clean(exclude=["slug"], validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        raise ImportFailed(f"“{record.title[:80]}” cannot be saved: {_messages(error)}") from None
    # An import that brings nothing new writes nothing: a second run leaves the row as it was.
    saved = change.created or bool(change.changed)
    if saved:
        if paper.pk is not None:
            paper.version = F("version") + 1
        paper.save()
        paper.refresh_from_db(fields=["version"])
    _merge_authors(paper, change, record)
    _merge_topics(paper, change, record)
    _merge_links(paper, change, record)
    _merge_excerpts(paper, change, record)
    bump = {}
    if change.is_changed and not saved:
        bump = {"version": F("version") + 1, "updated_at": timezone.now()}
    Paper.objects.filter(pk=paper.pk).update(provenance=paper.provenance, **bump)
    return change


def _merge(paper, change, name, new, source, *, current=None, apply=None):
    """Set `name` unless the curator changed it since the last import; note what happened."""
    if new in ("", None, []):
        return False
    stored = _plain(getattr(paper, name) if current is None else current)
    if stored == UNSET.get(name):
        stored = ""
    imported = _plain(new)
    provenance = paper.provenance.get(name)
    untouched = stored in ("", None, []) or (
        provenance is not None and provenance.get("value") == stored
    )
    if stored == imported:
        paper.provenance[name] = {"source": source, "value": imported}
        return False
    if not untouched:
        change.kept.append(name)
        return False
    if (
        provenance is not None
        and provenance.get("source") != source
        and stored not in ("", None, [])
    ):
        return False  # another source filled it first; sources do not overwrite each other
    (apply or (lambda value: setattr(paper, name, value)))(new)
    paper.provenance[name] = {"source": source, "value": imported}
    if not change.created:
        change.changed.append(name)
    return True


def _plain(value):
    """A JSON-storable form of a field value, for provenance and comparison."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Conference):
        return str(value)
    return value


def _conference(record):
    if record.conference is None:
        return None
    found = Conference.objects.filter(
        short_name__iexact=record.conference.short_name, year=record.conference.year
    ).first()
    return found or Conference.objects.create(
        short_name=record.conference.short_name, year=record.conference.year
    )


def _merge_authors(paper, change, record):
    current = [a.author.name for a in paper.authorships.select_related("author")]
    names = [author.name for author in record.authors]

    def replace(_):
        paper.authorships.all().delete()
        # Saved one by one, not in bulk: each save names its author to the public flags,
        # which the paper's own save does not reach when only its authors changed.
        for i, author in enumerate(record.authors):
            Authorship.objects.create(
                paper=paper, author=_author(author), order=i, affiliation=author.affiliation[:255]
            )

    _merge(paper, change, "authors", names, record.source, current=current, apply=replace)
    change.paper_authors = [a.author.name for a in paper.authorships.select_related("author")]


def _author(record) -> Author:
    """The stored person for an imported author: by OpenReview profile id, then ORCID, then by
    name among people with no conflicting identifier (two profiles with one name are two
    people). Identifiers the record brings are kept on the person found."""
    for key in ("openreview_id", "orcid"):
        if value := getattr(record, key):
            found = Author.objects.filter(**{key: value}).order_by("pk").first()
            if found:
                return _with_identifiers(found, record)
    same_name = Author.objects.filter(name=record.name).order_by("pk")
    if record.openreview_id:
        same_name = same_name.filter(openreview_id="")
    if record.orcid:
        same_name = same_name.filter(orcid="")
    if found := same_name.first():
        return _with_identifiers(found, record)
    return Author.objects.create(
        name=record.name[:255], openreview_id=record.openreview_id, orcid=record.orcid
    )


def _with_identifiers(author: Author, record) -> Author:
    changed = [key for key in ("openreview_id", "orcid") if getattr(record, key)]
    changed = [key for key in changed if not getattr(author, key)]
    for key in changed:
        setattr(author, key, getattr(record, key))
    if changed:
        author.save(update_fields=changed)
    return author


def _merge_topics(paper, change, record):
    current = sorted((tag.name for tag in paper.topics.all()), key=str.lower)
    names = sorted({topic[:100] for topic in record.topics}, key=str.lower)
    _merge(paper, change, "topics", names, record.source, current=current, apply=paper.topics.set)


def _refused_url(url: str, record: PaperRecord, what: str) -> bool:
    """The URL gate for rows written with create()/update(), which skip model validation:
    a refused address is left out with a warning, the rest of the record is imported."""
    try:
        validate_url(url)
    except ValidationError as error:
        record.warnings.append(
            f"“{record.title[:80]}”: {what} “{url[:80]}” left out: {' '.join(error.messages)}"
        )
        return True
    return False


def _merge_links(paper, change, record):
    existing = {(link.kind, VERSION_RE.sub("", link.url)): link for link in paper.links.all()}
    order = _next_order(paper.links)
    for link in record.links:
        if _refused_url(link.url, record, f"the {link.kind} link"):
            continue
        found = existing.get((link.kind, VERSION_RE.sub("", link.url)))
        if found is None:
            PaperLink.objects.create(paper=paper, kind=link.kind, url=link.url, order=order)
            order += 1
            change.links_added += 1
        elif found.url != link.url:
            found.url = link.url
            found.save(update_fields=["url"])
            change.changed.append(f"{link.kind} link")


def _merge_excerpts(paper, change, record):
    """New excerpts are appended; known ones keep the curator's text, order and featuring."""
    existing = {
        (e.note_id, e.field): e for e in paper.review_excerpts.exclude(note_id="").order_by()
    }
    order = _next_order(paper.review_excerpts)
    for excerpt in record.excerpts:
        values = {name: getattr(excerpt, name) for name in EXCERPT_SOURCE_FIELDS}
        values["reviewer_label"] = values["reviewer_label"][:100]
        values["rating_label"] = values["rating_label"][:255]
        values["confidence_label"] = values["confidence_label"][:255]
        if values["source_url"] and _refused_url(values["source_url"], record, "the review link"):
            values["source_url"] = ""
        found = existing.get((excerpt.note_id, excerpt.field))
        if found is None:
            PeerReviewExcerpt.objects.create(
                paper=paper,
                note_id=excerpt.note_id,
                field=excerpt.field,
                text=excerpt.text,
                order=order,
                **values,
            )
            order += 1
            change.excerpts_added += 1
            continue
        stale = {
            name: value
            for name, value in values.items()
            if _number(getattr(found, name)) != _number(value)
        }
        if stale:
            for name, value in stale.items():
                setattr(found, name, value)
            found.save(update_fields=list(stale))
            change.excerpts_updated += 1


def _next_order(related) -> int:
    """One past the highest order; `top or -1` would give 0 again when the top order is 0."""
    top = related.aggregate(top=Max("order"))["top"]
    return 0 if top is None else top + 1


def _number(value):
    return float(value) if value is not None and hasattr(value, "as_integer_ratio") else value


def _messages(error: ValidationError) -> str:
    return "; ".join(f"{name}: {' '.join(msgs)}" for name, msgs in error.message_dict.items())


@transaction.atomic
def set_reviews_hidden(*, excerpts, hidden: bool, by) -> int:
    """Hide (or show again) the whole reviews the given excerpts belong to: every field of
    the same note, or of the same reviewer label for excerpts typed by hand. Returns the count
    of excerpts changed."""
    _require_paper_editor(by)
    same_review = Q(pk__in=[excerpt.pk for excerpt in excerpts])
    for excerpt in excerpts:
        if excerpt.note_id:
            same_review |= Q(paper_id=excerpt.paper_id, note_id=excerpt.note_id)
        elif excerpt.reviewer_label:
            same_review |= Q(
                paper_id=excerpt.paper_id,
                note_id="",
                reviewer_label=excerpt.reviewer_label,
                source_kind=excerpt.source_kind,
            )
    changed = (
        PeerReviewExcerpt.objects.filter(same_review).exclude(hidden=hidden).update(hidden=hidden)
    )
    refresh_paper_cards(paper_ids={excerpt.paper_id for excerpt in excerpts})
    refresh_paper_pages(paper_ids={excerpt.paper_id for excerpt in excerpts})
    return changed
