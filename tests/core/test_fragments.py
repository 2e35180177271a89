"""A stored fragment is rendered at save, refreshed once per batch, written only when it
changed, and rendered live while nothing is stored."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.fragments import StoredFragment, by_model
from core.models import ContentVersion
from core.side_effects import batched
from papers.models import Paper
from tests.factories import PaperFactory

pytestmark = pytest.mark.django_db

TITLES = StoredFragment(
    model=Paper,
    column="card_html",
    template="includes/paper_card.html",
    load=lambda papers: papers.with_review_stats(),
    showing=lambda items: by_model(items).get(Paper, set()),
    context=lambda paper: {"paper": paper},
    defer=("search_vector", "title_vector"),
)


def stored(paper) -> str:
    return Paper.objects.values_list("card_html", flat=True).get(pk=paper.pk)


def version() -> int:
    return ContentVersion.objects.values_list("number", flat=True).first() or 0


def test_refresh_stores_the_rendered_template_and_returns_the_ids_it_changed():
    paper = PaperFactory(title="Long-range genomes")
    Paper.objects.filter(pk=paper.pk).update(card_html="")
    assert TITLES.refresh(ids=[paper.pk, 0, None]) == [paper.pk]
    assert '<a href="/papers/long-range-genomes/">Long-range genomes</a>' in stored(paper)
    assert TITLES.refresh(ids=[paper.pk]) == []


def test_only_a_changed_fragment_moves_the_page_cache_version():
    paper = PaperFactory()
    TITLES.refresh(ids=[paper.pk])
    before = version()
    TITLES.refresh(ids=[paper.pk])
    assert version() == before
    Paper.objects.filter(pk=paper.pk).update(card_html="")
    TITLES.refresh(ids=[paper.pk])
    assert version() != before


def test_a_batch_refreshes_every_queued_row_once_at_its_end():
    papers = PaperFactory.create_batch(3)
    Paper.objects.update(card_html="")
    with CaptureQueriesContext(connection) as queries, batched():
        for paper in papers:
            TITLES.queue(Paper, paper.pk)
            TITLES.queue(Paper, paper.pk)
        assert [stored(paper) for paper in papers] == ["", "", ""]
    updates = [q for q in queries if q["sql"].startswith('UPDATE "papers_paper"')]
    assert len(updates) == 1
    assert all(stored(paper) for paper in papers)


def test_a_row_with_nothing_stored_is_rendered_live_and_not_written():
    paper = PaperFactory(title="Bulk made")
    Paper.objects.filter(pk=paper.pk).update(card_html="")
    rows = Paper.objects.only("pk", "card_html").order_by("pk")
    (html,) = TITLES.stored(rows)
    assert '<a href="/papers/bulk-made/">Bulk made</a>' in html
    assert stored(paper) == ""


def test_refresh_all_reports_what_changed_of_how_many():
    papers = PaperFactory.create_batch(2)
    Paper.objects.filter(pk=papers[0].pk).update(card_html="")
    assert TITLES.refresh_all() == (1, 2)
