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
from reviews.selectors import tag_cloud, tag_cloud_rows
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


NOW = datetime.datetime(2026, 3, 1, 12, 0, tzinfo=datetime.UTC)
HOUR = datetime.timedelta(hours=1)


def published_slugs():
    return Statement(lambda: Post.objects.published().order_by("slug").values_list("slug"))


def test_a_scheduled_post_appears_when_due_without_a_recompile():
    query = published_slugs()
    assert query.rows() == []  # compiled at today's time, later than NOW
    with time_machine.travel(NOW, tick=False) as traveller:
        PostFactory(slug="due", status=Post.Status.PUBLISHED, published_at=NOW - HOUR)
        PostFactory(slug="later", status=Post.Status.PUBLISHED, published_at=NOW + HOUR)
        assert query.rows() == [("due",)]
        traveller.move_to(NOW + 2 * HOUR)
        assert query.rows() == [("due",), ("later",)]


def test_the_rows_follow_the_database_and_the_other_parameters_stay():
    query = Statement(
        lambda: Post.objects.filter(status=Post.Status.DRAFT).order_by("slug").values_list("slug")
    )
    PostFactory(slug="draft-a")
    PostFactory(slug="public", published=True)
    assert query.rows() == [("draft-a",)]
    PostFactory(slug="draft-b")
    assert query.rows() == [("draft-a",), ("draft-b",)]


def test_a_time_column_is_read_as_the_queryset_reads_it():
    post = PostFactory(published=True)
    query = Statement(lambda: Post.objects.published().values_list("published_at", "version"))
    assert query.rows() == list(Post.objects.published().values_list("published_at", "version"))
    assert query.rows()[0][0] == post.published_at


def test_a_shape_that_can_hold_nothing_reads_nothing():
    query = Statement(lambda: Post.objects.filter(pk__in=[]).values_list("pk"))
    with CaptureQueriesContext(connection) as queries:
        assert query.rows() == []
    assert len(queries) == 0


def test_a_compiled_query_runs_one_statement_per_call():
    query = published_slugs()
    query.rows()
    with CaptureQueriesContext(connection) as queries:
        query.rows()
    assert len(queries) == 1


def test_the_home_cloud_rows_are_the_tag_clouds_totals_as_scheduled_posts_come_due():
    with time_machine.travel(NOW, tick=False) as traveller:
        PostFactory(published=True).tags.set(["genomics", "biology"])
        PostFactory(status=Post.Status.PUBLISHED, published_at=NOW + HOUR).tags.set(["genomics"])
        assert [tuple(row) for row in tag_cloud_rows()] == [
            ("biology", "biology", 1),
            ("genomics", "genomics", 1),
        ]
        traveller.move_to(NOW + 2 * HOUR)
        rows = [tuple(row) for row in tag_cloud_rows()]
        assert rows == [(tag.name, tag.slug, tag.total) for tag in tag_cloud()]
        assert rows == [("biology", "biology", 1), ("genomics", "genomics", 2)]
