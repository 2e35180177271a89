"""A draft post, a scheduled post and what only they feature appear in no endpoint."""

import io

import pytest
from django.core.management import call_command

from reviews.models import Entry
from tests.conftest import with_unpublished_changes
from tests.factories import EntryFactory, KeynoteFactory, SectionFactory

pytestmark = pytest.mark.django_db

LISTS = [
    "/",
    "/posts/?page_size=100",
    "/papers/?page_size=100",
    "/authors/?page_size=100",
    "/conferences/?page_size=100",
    "/keynotes/?page_size=100",
    "/tags/?page_size=100",
    "/openapi.json",
    "/docs/",
]


@pytest.fixture
def site(post_builder, hidden_posts):
    """A public post beside the hidden ones; the draft also presents a keynote of its own."""
    draft = hidden_posts[0]
    keynote = KeynoteFactory(
        conference=draft.conference, title="Zebra keynote", speaker="Zelda", listed=False
    )
    section = SectionFactory(post=draft, order=1)
    EntryFactory(section=section, order=0, kind=Entry.Kind.KEYNOTE, paper=None, keynote=keynote)
    post = post_builder(entries=2, title="Visible review", slug="visible-review")
    with_unpublished_changes(post)
    call_command("rebuild_search_index", stdout=io.StringIO())
    return post


@pytest.mark.parametrize("path", LISTS)
def test_lists_show_no_trace_of_hidden_posts(client, site, hidden_posts, path):
    hidden_papers = [p.sections.get(order=0).entries.get().paper for p in hidden_posts]

    response = client.get(f"/api/v1{path}")

    assert response.status_code == 200
    body = response.content.decode().lower()
    assert "zebra" not in body
    assert "hiddenconf" not in body
    assert not [paper.slug for paper in hidden_papers if f'"{paper.slug}"' in body]


def test_the_public_post_is_listed(api_get, site):
    _, body = api_get("/posts/")

    assert [p["slug"] for p in body["results"]] == ["visible-review"]


@pytest.mark.parametrize(
    "path",
    [
        "/posts/zebra-draft-review/",
        "/posts/zebra-scheduled-review/",
        "/conferences/hiddenconf-2023/",
        "/posts/?conference=hiddenconf-2023",
        "/posts/?tag=zebra-draft-tag",
        "/papers/?conference=hiddenconf-2023",
        "/keynotes/?conference=hiddenconf-2023",
    ],
)
def test_hidden_records_are_not_found_or_filtered_out(api_get, site, path):
    response, body = api_get(path)

    assert response.status_code in (200, 404)
    if response.status_code == 200:
        assert body["count"] == 0
    else:
        assert response["Content-Type"] == "application/problem+json"
    assert b"zebra" not in response.content.lower()


def test_papers_only_a_hidden_post_features_are_not_found(api_get, hidden_posts, site):
    for post in hidden_posts:
        paper = post.sections.get(order=0).entries.get().paper
        response, body = api_get(f"/papers/{paper.slug}/")
        assert response.status_code == 404
        assert body["status"] == 404


@pytest.mark.parametrize("query", ["Zebra", "Zebra draft review", "Zebra keynote", "Zelda"])
def test_search_finds_nothing_hidden(api_get, site, query):
    _, body = api_get(f"/search/?q={query}")

    assert body["count"] == 0
    assert all(f["count"] == 0 for f in body["facets"])


def test_authors_only_a_hidden_post_features_are_not_found(api_get, hidden_posts, site):
    for post in hidden_posts:
        paper = post.sections.get(order=0).entries.get().paper
        for authorship in paper.authorships.all():
            if authorship.author.authorships.exclude(paper=paper).exists():
                continue
            response, _ = api_get(f"/authors/{authorship.author.slug}/")
            assert response.status_code == 404
