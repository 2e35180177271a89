"""Whole-venue imports from OpenReview: every submission of a venue, paper by paper.

Each paper goes through `papers.services.import_records` (the single-forum path) in a
transaction of its own, together with the venue's checkpoint (`VenueImport.position`), so a run
that stops halfway is continued by the next one and a paper is never half-saved. A pass that
reached the end starts over from the first paper: the upserts then report every paper
unchanged, which makes a second run harmless. `progress` is called after every paper, so the
same function can run under a terminal's progress bar, the admin, or a background task.
"""

import hashlib
import re
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from papers.importers import fetch, openreview
from papers.importers.records import MAX_IMPORT_BYTES, ImportFailed, raise_too_large, read_limited
from papers.models import Conference, Paper, VenueImport
from papers.rules import can_change_papers
from papers.services import NOT_A_PAPER_EDITOR, import_records

VENUE_ID_RE = re.compile(r"^[A-Za-z0-9][\w.\-]*(?:/[\w.\-]+)+$")
STATUSES = ["created", "updated", "unchanged", "failed"]


@dataclass
class PaperResult:
    forum: str
    title: str
    status: str  # one of STATUSES
    detail: str
    paper: Paper | None = None


@dataclass
class VenueReport:
    source: str
    results: list[PaperResult] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    resumed_from: int = 0
    total: int | None = None
    dry_run: bool = False

    def count(self, status: str) -> int:
        return sum(1 for result in self.results if result.status == status)

    def summary(self) -> str:
        counts = ", ".join(f"{self.count(status)} {status}" for status in STATUSES)
        head = f"{self.source}: {len(self.results)} paper(s) read ({counts})."
        if self.resumed_from:
            head += (
                f" Continued an interrupted import: the first {self.resumed_from} paper(s) "
                "were saved by the earlier run."
            )
        return head

    def lines(self) -> list[str]:
        return [result_line(result) for result in self.results] + self.warnings


def result_line(result: PaperResult) -> str:
    return f"{result.status.capitalize()}: {result.detail}"


Progress = Callable[[PaperResult, int, int | None], None]


def normalize_venue_id(text: str) -> str:
    """“NeurIPS.cc/2023/Conference” from the id itself or from its openreview.net group URL."""
    text = text.strip()
    if text.startswith(("http://", "https://")):
        text = urllib.parse.parse_qs(urllib.parse.urlsplit(text).query).get("id", [""])[0]
    text = text.strip().strip("/")
    if not VENUE_ID_RE.match(text):
        raise ImportFailed(
            f"“{text[:100]}” is not an OpenReview venue id; it reads like "
            "“NeurIPS.cc/2023/Conference”."
        )
    return text


def import_openreview_venue(
    *,
    venue: str = "",
    data=None,
    source=None,
    conference: Conference | None = None,
    by=None,
    restart: bool = False,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> VenueReport:
    """Import or update every paper of an OpenReview venue: the live API for a `venue` id, or a
    saved file of the venue's notes (raw `data` or a file `source`).

    `by` is the acting user (None: the operator at the shell). `restart` ignores the checkpoint
    of an interrupted run. `dry_run` reports what would change and saves nothing (no checkpoint
    either). A paper that cannot be imported is reported as failed, with the reason, and the
    import goes on with the next one.
    """
    if not can_change_papers(by):
        raise PermissionDenied(NOT_A_PAPER_EDITOR)
    if venue:
        venue = normalize_venue_id(venue)
        key = venue
    else:
        raw = read_limited(source) if source is not None else _bytes(data)
        forums = openreview.venue_forums(openreview.load_notes(raw))
        key = "file:" + hashlib.sha256(raw).hexdigest()[:40]
    checkpoint = _checkpoint(key, restart=restart, dry_run=dry_run)
    report = VenueReport(source=venue or "The venue file", dry_run=dry_run)
    report.resumed_from = checkpoint.position
    if venue:
        pages = _live_forums(venue, offset=checkpoint.position, report=report)
    else:
        report.total = len(forums)
        pages = iter(forums[checkpoint.position :])
    position = checkpoint.position
    try:
        for forum, notes in pages:
            # The paper and the checkpoint commit together: a crash leaves neither half-done.
            with transaction.atomic():
                result = _import_forum(
                    forum, notes, conference=conference, by=by, dry_run=dry_run, report=report
                )
                position += 1
                if not dry_run:
                    VenueImport.objects.filter(pk=checkpoint.pk).update(position=position)
            report.results.append(result)
            if progress is not None:
                progress(result, position, report.total)
    except ImportFailed as error:  # the live API stopped answering; each paper is its own
        if dry_run or not position:
            raise
        raise ImportFailed(
            f"{error} The first {position} paper(s) are saved; run the import again to "
            "continue from there."
        ) from None
    if not dry_run:
        VenueImport.objects.filter(pk=checkpoint.pk).update(finished_at=timezone.now())
    return report


def _bytes(data) -> bytes:
    raw = data.encode() if isinstance(data, str) else data
    if not isinstance(raw, bytes):
        raise TypeError("Pass venue=, data= (bytes or str) or source=.")
    if len(raw) > MAX_IMPORT_BYTES:
        raise_too_large(len(raw), MAX_IMPORT_BYTES)
    return raw


def _checkpoint(key: str, *, restart: bool, dry_run: bool) -> VenueImport:
    """The venue's checkpoint, at 0 for a new pass; a dry run reads every paper, saves none."""
    if dry_run:
        return VenueImport(source=key)
    checkpoint, _ = VenueImport.objects.get_or_create(source=key)
    if restart or checkpoint.finished_at is not None:
        checkpoint.position = 0
        checkpoint.finished_at = None
        checkpoint.save(update_fields=["position", "finished_at", "updated_at"])
    return checkpoint


def _live_forums(venue: str, *, offset: int, report: VenueReport) -> Iterator:
    for page in fetch.fetch_openreview_venue(venue, offset=offset):
        if page.total is not None:
            report.total = page.total
        # The listing nests replies per submission; each submission is one forum.
        yield from openreview.venue_forums(page.notes)


def _import_forum(forum, notes, *, conference, by, dry_run, report) -> PaperResult:
    title = openreview.submission_title(forum, notes)
    try:
        record = openreview.parse_forum(forum, notes)
        with transaction.atomic():
            imported = import_records(
                records=[record], conference=conference, dry_run=dry_run, by=by
            )
    except ImportFailed as error:
        return PaperResult(forum=forum, title=title or forum, status="failed", detail=str(error))
    [change] = imported.papers
    report.warnings += imported.warnings
    if change.created:
        status = "created"
    elif change.is_changed:
        status = "updated"
    else:
        status = "unchanged"
    paper = None if dry_run else change.paper
    return PaperResult(
        forum=forum, title=record.title, status=status, detail=change.describe(), paper=paper
    )
