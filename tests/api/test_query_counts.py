"""Every endpoint runs the same number of queries whatever the size of the content."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from papers.models import Paper
from reviews.models import Keynote
from tests.factories import KeynoteFactory

pytestmark = pytest.mark.django_db


def site_of_size(post_builder, *, posts, entries):
    """`posts` public posts with 2 entries each, one post with `entries`, and a keynote each."""
    big = post_builder(entries=entries)
    for _ in range(posts):
        post_builder(entries=2, conference=big.conference)
    for n in range(posts + 1):
        KeynoteFactory(conference=big.conference, title=f"Talk {n}")
    return big


def paper_of(post):
    return Paper.objects.filter(entries__section__post=post).first()


def author_of(post):
    return paper_of(post).authorships.order_by("order").first().author


def keynote_of(post):
    return Keynote.objects.filter(conference=post.conference).order_by("pk").first()


ENDPOINTS = [
    # (endpoint, path from the big post, queries)
    ("post list", lambda post: "/api/v1/posts/?page_size=100", 3),
    ("filtered post list", lambda post: "/api/v1/posts/?tag=conference-review&year=2023", 3),
    ("post", lambda post: f"/api/v1/posts/{post.slug}/", 5),
    ("paper list", lambda post: "/api/v1/papers/?page_size=100", 5),
    ("filtered paper list", lambda post: "/api/v1/papers/?topic=genomics&year=2023", 5),
    ("paper", lambda post: f"/api/v1/papers/{paper_of(post).slug}/", 6),
    ("author list", lambda post: "/api/v1/authors/?page_size=100", 2),
    ("author", lambda post: f"/api/v1/authors/{author_of(post).slug}/", 8),
    ("conference list", lambda post: "/api/v1/conferences/", 2),
    ("conference", lambda post: f"/api/v1/conferences/{post.conference.slug}/", 1),
    ("keynote list", lambda post: "/api/v1/keynotes/?page_size=100", 4),
    ("keynote", lambda post: f"/api/v1/keynotes/{keynote_of(post).pk}/", 3),
    ("tag list", lambda post: "/api/v1/tags/?page_size=100", 2),
    # the facet counts (one statement), the ranked union, the kinds loaded; SQLite counts and
    # ranks in one statement
    (
        "search",
        lambda post: "/api/v1/search/?q=study&page_size=100",
        5 if connection.vendor == "postgresql" else 4,
    ),
]


@pytest.mark.parametrize(("name", "path", "queries"), ENDPOINTS, ids=[e[0] for e in ENDPOINTS])
@pytest.mark.parametrize(("posts", "entries"), [(1, 2), (6, 12)], ids=["small", "large"])
def test_endpoint_query_count_is_constant(
    client, post_builder, name, path, queries, posts, entries
):
    url = path(site_of_size(post_builder, posts=posts, entries=entries))

    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)

    assert response.status_code == 200
    assert len(captured) == queries
