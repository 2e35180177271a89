"""Re-importing papers that already have links and excerpts updates them in place."""

import pytest

from papers.importers.records import ExcerptRecord, LinkRecord, PaperRecord
from papers.models import Paper, PaperLink
from papers.services import import_bibtex, import_records
from tests.factories import PaperFactory, PaperLinkFactory, PeerReviewExcerptFactory

pytestmark = pytest.mark.django_db


def record_for(paper, *, links=(), excerpts=()):
    return PaperRecord(
        source="openreview",
        title=paper.title,
        openreview_id=paper.openreview_id,
        links=list(links),
        excerpts=list(excerpts),
    )


def new_excerpt(note_id):
    return ExcerptRecord(source_kind="review", note_id=note_id, field="summary", text="New review.")


@pytest.mark.parametrize("dry_run", [False, True])
def test_reimport_of_a_paper_with_one_link_appends_after_it(dry_run):
    paper = PaperFactory(openreview_id="forum1")
    PaperLinkFactory(
        paper=paper, kind="openreview", order=0, url="https://openreview.net/forum?id=forum1"
    )
    record = record_for(paper, links=[LinkRecord("arxiv", "https://arxiv.org/abs/2401.00001")])
    report = import_records(records=[record], dry_run=dry_run)
    assert report.lines() == [f"Updated “{paper.title}”: 1 new link(s)."]
    expected = [(0, "openreview")] if dry_run else [(0, "openreview"), (1, "arxiv")]
    assert list(paper.links.order_by("order").values_list("order", "kind")) == expected


def test_reimport_with_several_links_and_excerpts_numbers_the_new_ones_after_the_last():
    paper = PaperFactory(openreview_id="forum2")
    for order in range(3):
        PaperLinkFactory(paper=paper, kind="code", order=order)
    PeerReviewExcerptFactory(paper=paper, note_id="note0", field="summary", order=0)
    record = record_for(
        paper,
        links=[LinkRecord("arxiv", "https://arxiv.org/abs/2401.00002")],
        excerpts=[new_excerpt("note0"), new_excerpt("note1")],
    )
    import_records(records=[record])
    assert list(paper.links.order_by("order").values_list("order", flat=True)) == [0, 1, 2, 3]
    assert list(paper.review_excerpts.order_by("order").values_list("order", "note_id")) == [
        (0, "note0"),
        (1, "note1"),
    ]


def test_reimport_of_a_paper_with_one_excerpt_appends_after_it():
    paper = PaperFactory(openreview_id="forum3")
    PeerReviewExcerptFactory(paper=paper, note_id="only", field="summary", order=0)
    import_records(records=[record_for(paper, excerpts=[new_excerpt("second")])])
    assert list(paper.review_excerpts.order_by("order").values_list("order", "note_id")) == [
        (0, "only"),
        (1, "second"),
    ]


def test_a_bib_with_an_existing_paper_imports_the_rest_and_reports_each():
    existing = PaperFactory(title="Known Paper", arxiv_id="2401.00003")
    PaperLinkFactory(paper=existing, kind="arxiv", order=0, url="https://arxiv.org/abs/2401.00003")
    bib = """
@article{known, title = {Known Paper}, author = {Ada Lovelace}, eprint = {2401.00003},
  url = {https://example.org/known.pdf}}
@article{fresh, title = {Fresh Paper}, author = {Alan Turing}, eprint = {2401.00004}}
"""
    report = import_bibtex(data=bib)
    assert [change.paper.title for change in report.papers] == ["Known Paper", "Fresh Paper"]
    assert [change.created for change in report.papers] == [False, True]
    assert (
        report.lines()[1] == "Created “Fresh Paper”: 1 author(s), 0 review excerpt(s), 1 link(s)."
    )
    assert Paper.objects.count() == 2
    assert list(
        PaperLink.objects.filter(paper=existing).order_by("order").values_list("order", "kind")
    ) == [(0, "arxiv"), (1, "paper")]
