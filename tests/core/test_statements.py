"""A statement is compiled once per key and run with each call's values and the time of the
call: the rows are the queryset's, a scheduled post appears when it is due."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.statements import Statement
from papers.models import Paper
from reviews.models import Post
from tests.factories import ConferenceFactory, PaperFactory, PostFactory

pytestmark = pytest.mark.django_db


def test_rows_are_the_querysets_rows_for_each_calls_values():
    neurips, icml = ConferenceFactory(short_name="NeurIPS"), ConferenceFactory(short_name="ICML")
    for title, conference in [("B", neurips), ("A", neurips), ("C", icml)]:
        PaperFactory(title=title, conference=conference, publication_date=datetime.date(2024, 5, 1))

    def titles(*, conference, slug):
        papers = Paper.objects.filter(conference=conference).exclude(slug=slug).order_by("title")
        return papers.values_list("title", "publication_date", "conference__short_name")

    statement = Statement(titles, conference=int, slug=str)

    for conference, slug in [(neurips.pk, "b"), (icml.pk, "none"), (neurips.pk, "none")]:
        expected = list(titles(conference=conference, slug=slug))
        assert statement.rows(conference=conference, slug=slug) == expected
    row = statement.rows(conference=neurips.pk, slug="b")[0]
    assert (row.title, row.publication_date, row.conference__short_name) == (
        "A",
        datetime.date(2024, 5, 1),
        "NeurIPS",
    )


def test_a_statement_is_built_once_per_key_and_runs_one_query():
    PaperFactory(title="Kept", listed=True)
    PaperFactory(title="Other", listed=False)
    builds = []

    def papers(listed, *, title):
        builds.append((listed, title))
        return Paper.objects.filter(listed=listed).exclude(title=title).values_list("title")

    statement = Statement(papers, title=str)
    assert statement.rows(True, title="x") == [("Kept",)]
    with CaptureQueriesContext(connection) as queries:
        assert statement.rows(True, title="Kept") == []
        assert statement.rows(False, title="x") == [("Other",)]
        assert statement.rows(False, title="y") == [("Other",)]
    assert len(queries) == 3
    assert [listed for listed, _ in builds] == [True, False]


def test_the_clock_is_the_time_of_each_call_so_a_scheduled_post_appears_when_due():
    due = timezone.now() + datetime.timedelta(days=2)
    PostFactory(published=True, title="Scheduled", published_at=due)
    statement = Statement(lambda: Post.objects.published().values_list("title"))

    assert statement.rows() == []
    with time_machine.travel(due + datetime.timedelta(seconds=1)):
        assert statement.rows() == [("Scheduled",)]
    assert statement.rows() == []


def test_count_counts_the_rows_with_the_values_and_the_time_of_the_call():
    due = timezone.now() + datetime.timedelta(days=1)
    conference = ConferenceFactory()
    PostFactory(published=True, conference=conference)
    PostFactory(published=True, conference=conference, published_at=due)
    PostFactory(published=True)

    def posts(*, conference):
        return Post.objects.published().filter(conference=conference).values_list("title")

    statement = Statement(posts, conference=int)
    assert statement.count(conference=conference.pk) == 1
    assert statement.count(conference=0) == 0
    with time_machine.travel(due + datetime.timedelta(seconds=1)):
        assert statement.count(conference=conference.pk) == 2


def test_a_value_the_lookup_rewrites_is_refused_when_compiled():
    statement = Statement(
        lambda *, title: Paper.objects.filter(title__icontains=title).values_list("title"),
        title=str,
    )
    with pytest.raises(ValueError, match="'title' is not a parameter"):
        statement.rows(title="genomes")


def test_a_build_must_name_its_fields():
    with pytest.raises(TypeError, match="values_list"):
        Statement(lambda: Paper.objects.all()).rows()
    with pytest.raises(TypeError, match="int or a str"):
        Statement(lambda *, at: Paper.objects.values_list("title"), at=datetime.date).rows(at=1)
