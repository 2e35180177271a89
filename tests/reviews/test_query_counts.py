"""Every reader page runs the same number of queries whatever the size of the content."""

import pytest

from papers.models import Paper

pytestmark = pytest.mark.django_db


def site_of_size(post_builder, *, posts, entries):
    """`posts` public posts with 2 entries each, and one post with `entries` entries."""
    big = post_builder(entries=entries)
    for _ in range(posts):
        post_builder(entries=2, conference=big.conference)
    return big


PAGES = [
    # (page, URL from the big post, queries)
    ("home", lambda post: "/", 4),
    ("post", lambda post: post.get_absolute_url(), 4),
    ("conference list", lambda post: "/conferences/", 1),
    ("conference", lambda post: post.conference.get_absolute_url(), 4),
    ("tag list", lambda post: "/tags/", 1),
    ("tag with posts", lambda post: "/tags/conference-review/", 3),
    ("tag with papers", lambda post: "/tags/genomics/", 3),
    # The years come from the conferences' rows, the paginator's count from the facets'.
    ("paper list", lambda post: "/papers/", 5),
    (
        "filtered, sorted paper list",
        lambda post: "/papers/?topic=genomics&year=2023&outcome=unknown&sort=rating",
        5,
    ),
    (
        "paper",
        lambda post: Paper.objects.filter(entries__section__post=post).first().get_absolute_url(),
        2,  # the paper with its stored page (papers.pages), the posts featuring it
    ),
    ("author list", lambda post: "/authors/", 2),  # the count and the page (core.statements)
    ("searched author list", lambda post: "/authors/?q=author", 2),
    (
        "author",
        lambda post: (
            Paper.objects.filter(entries__section__post=post)
            .first()
            .authorships.first()
            .author.get_absolute_url()
        ),
        5,  # the author, papers (stored cards), authorships, keynotes, posts (core.statements)
    ),
    ("RSS feed", lambda post: "/feed/", 2),
    ("Atom feed", lambda post: "/feed/atom/", 2),
    ("tag feed", lambda post: "/tags/conference-review/feed/", 3),
    ("conference feed", lambda post: f"/conferences/{post.conference.slug}/feed/atom/", 3),
    ("sitemap", lambda post: "/sitemap.xml", 6),
]


@pytest.mark.parametrize(("posts", "entries"), [(2, 10), (12, 100)])
def test_page_queries_do_not_grow_with_content(
    client, post_builder, django_assert_num_queries, posts, entries
):
    big = site_of_size(post_builder, posts=posts, entries=entries)
    for page, url_for, queries in PAGES:
        url = url_for(big)
        with django_assert_num_queries(queries, info=f"{page}: {url}"):
            response = client.get(url)
        assert response.status_code == 200, url


def test_the_big_post_really_renders_every_entry_and_slide(client, post_builder):
    post = site_of_size(post_builder, posts=0, entries=100)
    content = client.get(post.get_absolute_url()).content.decode()
    assert content.count('<article class="entry entry-paper"') == 100
    assert content.count('<button type="button" class="gallery-open"') == 200


@pytest.mark.parametrize("entries", [10, 100])
def test_staff_draft_preview_queries_do_not_grow_with_content(
    curator_client, post_builder, django_assert_num_queries, entries
):
    draft = post_builder(entries=entries, published=False)
    # Two of them load the curator's permissions for the preview rule (can_preview_post).
    with django_assert_num_queries(9):
        response = curator_client.get(draft.get_absolute_url())
    assert b"draft-banner" in response.content
