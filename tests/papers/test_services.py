"""Re-importing papers updates them in place: links, excerpts, authors and their public flags."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from papers.importers.records import AuthorRecord, ExcerptRecord, LinkRecord, PaperRecord
from papers.models import Author, Paper, PaperLink
from papers.services import import_bibtex, import_records
from reviews.visibility import public_authors, public_flag_drift
from tests.factories import (
    AuthorFactory,
    AuthorshipFactory,
    EntryFactory,
    PaperFactory,
    PaperLinkFactory,
    PeerReviewExcerptFactory,
    PostFactory,
    SectionFactory,
)

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


def published_paper(title, *, authors=()):
    """A paper a published post reviews, with its authors."""
    paper = PaperFactory(title=title, openreview_id=title.lower().replace(" ", "-"), listed=False)
    for order, name in enumerate(authors):
        AuthorshipFactory(paper=paper, author=AuthorFactory(name=name), order=order)
    EntryFactory(section=SectionFactory(post=PostFactory(published=True)), paper=paper)
    return paper


@pytest.mark.parametrize("size", [1, 6])
def test_an_import_refreshes_the_public_flags_once_for_1_record_and_6(size):
    papers = [published_paper(f"Paper {n}", authors=[f"Old {n}"]) for n in range(size)]
    records = [
        PaperRecord(
            source="openreview",
            title=paper.title,
            openreview_id=paper.openreview_id,
            authors=[AuthorRecord(name=f"New {paper.pk}"), AuthorRecord(name="Shared")],
            topics=["graphs"],
        )
        for paper in papers
    ]

    with CaptureQueriesContext(connection) as queries:
        import_records(records=records)

    # The refresh's read of the topics' stored flags (the suggestions read them too, apart).
    topic_reads = [
        q
        for q in queries
        if q["sql"].startswith("SELECT")
        and '"reviews_publictopic"."public_from" AS "stored"' in q["sql"]
    ]
    assert len(topic_reads) == 1
    assert public_flag_drift() == {}


def test_a_reimport_giving_a_public_paper_new_authors_moves_the_authors_flags():
    def record(author):
        return PaperRecord(
            source="openreview",
            title="Graph Nets",
            openreview_id="graph-nets",
            authors=[AuthorRecord(name=author)],
        )

    import_records(records=[record("Ada Old")])
    post = PostFactory(published=True)
    EntryFactory(section=SectionFactory(post=post), paper=Paper.objects.get())

    import_records(records=[record("Bo New")])

    assert list(public_authors().values_list("name", flat=True)) == ["Bo New"]
    assert Author.objects.get(name="Bo New").public_from == post.published_at
    assert Author.objects.get(name="Ada Old").public_from is None
    assert public_flag_drift() == {}
