import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse

from reviews.markdown.export import render_post_markdown
from tests.factories import EntryFactory, GalleryImageFactory, PostFactory, SectionFactory

pytestmark = pytest.mark.django_db


def test_the_markdown_url_resolves_before_the_post_detail_pattern():
    assert reverse("reviews:post-markdown", kwargs={"slug": "a-post"}) == "/posts/a-post.md"
    assert resolve("/posts/a-post.md").url_name == "post-markdown"


def test_a_published_post_is_served_as_markdown_to_everyone(client):
    post = PostFactory(published=True, slug="live-post")

    response = client.get("/posts/live-post.md")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    assert response.content.decode() == render_post_markdown(post)
    assert "no-cache" not in response.get("Cache-Control", "")


def test_a_draft_is_not_found_for_anonymous_readers(client):
    PostFactory(slug="secret-draft")

    response = client.get("/posts/secret-draft.md")

    assert response.status_code == 404
    assert b"secret-draft" not in response.content


def test_staff_may_export_a_draft_which_is_never_cached(curator_client):
    post = PostFactory(slug="staff-draft")

    response = curator_client.get("/posts/staff-draft.md")

    assert response.content.decode() == render_post_markdown(post)
    assert "no-cache" in response["Cache-Control"]


def build(size):
    post = PostFactory(published=True, slug=f"post-{size}")
    for s in range(size):
        section = SectionFactory(post=post, order=s)
        for e in range(size):
            entry = EntryFactory(section=section, order=e)
            GalleryImageFactory(entry=entry, order=0)
            GalleryImageFactory(entry=entry, order=1)
    return post


@pytest.mark.parametrize("size", [1, 4])
def test_the_markdown_url_uses_a_constant_number_of_queries(client, size):
    post = build(size)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/posts/{post.slug}.md")

    assert response.content.count(b"<h4>") == size * size
    assert len(queries) == 6
