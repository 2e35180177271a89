"""A fixed query is compiled once and run with the time of each call: the rows follow the
clock and the database, never the moment it was compiled."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.fixed_queries import FixedQuery
from reviews.models import Post
from reviews.selectors import tag_cloud, tag_cloud_rows
from tests.factories import PostFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 1, 12, 0, tzinfo=datetime.UTC)
HOUR = datetime.timedelta(hours=1)


def published_slugs():
    return FixedQuery(lambda: Post.objects.published().order_by("slug").values_list("slug"))


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
    query = FixedQuery(
        lambda: Post.objects.filter(status=Post.Status.DRAFT).order_by("slug").values_list("slug")
    )
    PostFactory(slug="draft-a")
    PostFactory(slug="public", published=True)
    assert query.rows() == [("draft-a",)]
    PostFactory(slug="draft-b")
    assert query.rows() == [("draft-a",), ("draft-b",)]


def test_a_time_column_is_read_as_the_queryset_reads_it():
    post = PostFactory(published=True)
    query = FixedQuery(lambda: Post.objects.published().values_list("published_at", "version"))
    assert query.rows() == list(Post.objects.published().values_list("published_at", "version"))
    assert query.rows()[0][0] == post.published_at


def test_a_shape_that_can_hold_nothing_reads_nothing():
    query = FixedQuery(lambda: Post.objects.filter(pk__in=[]).values_list("pk"))
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
