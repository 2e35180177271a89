"""Walk every public URL pattern with drafts present: no trace of them anywhere."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from papers.models import Paper

pytestmark = pytest.mark.django_db

NOT_PUBLIC = ("admin/", "_nested_admin/", "media/", "static/")


def url_patterns(patterns=None, namespace=None):
    """(qualified name, pattern) for every named route outside the admin."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if str(pattern.pattern).startswith(NOT_PUBLIC):
            continue
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or namespace
            yield from url_patterns(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            assert pattern.name, f"unnamed public route {pattern.pattern}"
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), pattern


@pytest.fixture
def public_site(post_builder, hidden_posts):
    post = post_builder(entries=2, title="Visible review", slug="visible-review")
    # The draft features a paper that a public post also features.
    shared = hidden_posts[0].sections.get().entries.get()
    shared.pk = None
    shared.section = post.sections.get()
    shared.order = 99
    shared.save()
    return post


def arguments_for(name, post):
    """URL kwargs that point at public objects; a new route must be added here."""
    paper = post.sections.get().entries.order_by("order").last().paper
    slugs = {
        "reviews:post-detail": post.slug,
        "reviews:post-markdown": post.slug,
        "reviews:post-bibtex": post.slug,
        "papers:paper-bibtex": paper.slug,
        "papers:conference-bibtex": post.conference.slug,
        "reviews:tag-detail": "conference-review",
        "reviews:tag-feed-rss": "conference-review",
        "reviews:tag-feed-atom": "conference-review",
        "reviews:conference-feed-rss": post.conference.slug,
        "reviews:conference-feed-atom": post.conference.slug,
        "papers:conference-detail": post.conference.slug,
        "papers:paper-detail": paper.slug,
    }
    assert name in slugs, f"{name} is not covered by the drafts test: add it to arguments_for"
    return {"slug": slugs[name]}


def test_every_public_url_shows_no_trace_of_drafts_or_scheduled_posts(client, public_site):
    visited = []
    for name, pattern in url_patterns():
        kwargs = arguments_for(name, public_site) if pattern.pattern.converters else {}
        url = reverse(name, kwargs=kwargs)
        response = client.get(url)
        assert response.status_code == 200, url
        body = b"".join(response) if response.streaming else response.content
        assert b"zebra" not in body.lower(), f"{url} shows a draft"
        visited.append(url)
    assert len(visited) >= 16
    assert "/papers/" in visited and "/sitemap.xml" in visited and "/feed/atom/" in visited


def test_a_paper_featured_by_a_draft_and_a_public_post_lists_only_the_public_one(
    client, public_site
):
    paper = Paper.objects.get(entries__section__post=public_site, entries__order=99)
    response = client.get(paper.get_absolute_url())
    assert [post.slug for post in response.context["featured_in"]] == ["visible-review"]


@pytest.mark.parametrize(
    "url",
    [
        "/posts/zebra-draft-review/",
        "/posts/zebra-scheduled-review/",
        "/tags/zebra-draft-tag/",
        "/tags/zebra-scheduled-tag/",
        "/tags/zebra-draft-tag/feed/",
        "/tags/zebra-draft-tag/feed/atom/",
    ],
)
def test_draft_pages_and_draft_only_tags_are_not_found(client, public_site, url):
    response = client.get(url)
    assert response.status_code == 404
    assert b"zebra" not in response.content.lower()


def test_tag_counts_ignore_drafts(client, public_site):
    response = client.get("/tags/")
    counts = {tag.name: (tag.post_count, tag.paper_count) for tag in response.context["tags"]}
    assert counts["conference review"] == (1, 0)
    assert "zebra-draft-tag" not in counts


def test_staff_preview_a_draft_with_a_banner_and_no_caching(curator_client, public_site):
    response = curator_client.get("/posts/zebra-draft-review/")
    assert response.status_code == 200
    assert b'<p class="draft-banner" role="status">Draft: only staff' in response.content
    assert "no-cache" in response["Cache-Control"]
    assert b'<meta name="robots" content="noindex">' in response.content


def test_public_posts_carry_no_draft_banner_and_may_be_cached(client, public_site):
    response = client.get("/posts/visible-review/")
    assert b"draft-banner" not in response.content
    assert not response.has_header("Cache-Control")
