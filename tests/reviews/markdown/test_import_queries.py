"""The import sends a fixed number of queries, whatever the size of the post."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from papers.models import Paper
from reviews.markdown.export import ordered_tag_names
from reviews.markdown.importer import MarkdownSource, import_post
from reviews.models import Entry, GalleryImage, Keynote, KeynoteSpeaker, Post
from reviews.rendering import render_post_body
from reviews.selectors import post_with_content

pytestmark = pytest.mark.django_db


def post_with(entries: int) -> MarkdownSource:
    """A post of `entries` entries, half keynotes and half papers, each with two slides."""
    lines = ["---", "layout: post", "title: NeurIPS 2023 in review", "tags:", "- review", "---"]
    lines += ["", "Intro.", ""]
    for title, kind in (("Keynotes", "keynote"), ("Selected papers", "paper")):
        lines += [f"<h3>{title}</h3>", ""]
        for n in range(entries // 2):
            heading = f"Talk {n} - Speaker {n} (Lab {n})" if kind == "keynote" else f"Paper {n}"
            lines += [f"<h4>{heading}</h4>", "", f"Summary of {kind} {n}.", ""]
            lines += ['<div class="gallery">']
            lines += [
                f'<galleryitem src="https://example.org/{kind}/{n}/{s}.png"></galleryitem>'
                for s in (1, 2)
            ]
            lines += ["</div>", ""]
    return MarkdownSource("2023-12-20-review.md", "\n".join(lines).encode())


def count(**kwargs) -> int:
    with CaptureQueriesContext(connection) as queries:
        import_post(**kwargs)
    return len(queries)


@pytest.mark.parametrize("entries", [2, 30])
def test_a_new_import_sends_the_same_queries_for_2_entries_and_30(entries):
    queries = count(source=post_with(entries))

    post = Post.objects.get(slug="review")
    assert Entry.objects.filter(section__post=post).count() == entries
    assert GalleryImage.objects.filter(entry__section__post=post).count() == 2 * entries
    assert Keynote.objects.count() == entries // 2
    assert (
        KeynoteSpeaker.objects.filter(author__name__startswith="Speaker ").count() == entries // 2
    )
    # The papers it creates get their list cards at once (bulk_create sends no signal).
    assert Paper.objects.count() == entries - entries // 2
    assert not Paper.objects.filter(card_html="").exists()
    # Suggestions: the post, its new tag and new speakers checked for rows (none: a draft);
    # the post's list card stored.
    assert queries == {"postgresql": 40, "sqlite": 65}[connection.vendor]


@pytest.mark.parametrize("entries", [2, 30])
def test_an_update_sends_the_same_queries_for_2_entries_and_30(entries):
    source = post_with(entries)
    import_post(source=source)

    queries = count(source=source, update=True)

    post = Post.objects.get(slug="review")
    assert Entry.objects.filter(section__post=post).count() == entries
    assert Keynote.objects.count() == entries // 2
    # Suggestions: the post's rows checked (none: a draft); its list card stored again.
    assert queries == {"postgresql": 30, "sqlite": 42}[connection.vendor]


@pytest.mark.parametrize("entries", [2, 30])
def test_an_update_of_a_published_post_refreshes_its_flags_in_the_same_queries(entries):
    source = post_with(entries)
    import_post(source=source)
    post = Post.objects.get(slug="review")
    post.status, post.published_at = Post.Status.PUBLISHED, timezone.now()
    post.save()

    queries = count(source=source, update=True)

    assert Paper.objects.filter(public_from=post.published_at).count() == entries // 2
    # Suggestions: the published post's rows, its papers' and authors' rewritten; its card.
    assert queries == {"postgresql": 39, "sqlite": 51}[connection.vendor]


def with_tags(*tags: str) -> MarkdownSource:
    lines = ["---", "title: A review", "tags:", *(f"- {tag}" for tag in tags), "---", "", "Hi."]
    return MarkdownSource("2024-01-05-tagged.md", "\n".join(lines).encode())


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (["ml", "bio"], ["ml", "bio"]),
        (["ml", "bio"], ["bio", "ml"]),
        (["ml", "bio"], ["ml"]),
        (["ml"], ["ml", "Health"]),
        (["ml", "bio"], []),
    ],
)
def test_an_update_leaves_the_post_with_the_files_tags_in_its_order(before, after):
    import_post(source=with_tags(*before))

    import_post(source=with_tags(*after), update=True)

    assert ordered_tag_names(Post.objects.get(slug="tagged")) == after


@pytest.mark.parametrize("update", [False, True])
def test_the_body_rendered_from_the_imports_rows_is_the_one_the_database_gives(
    example_post_path, update
):
    source = MarkdownSource.from_path(example_post_path)
    if update:
        import_post(source=source)  # the update then reuses its papers and keynotes

    import_post(source=source, update=update)

    stored = Post.objects.get(slug="jekyll-post-example")
    assert stored.body_html.count('<article class="entry') == 14
    assert stored.body_html == render_post_body(post_with_content().get(pk=stored.pk))
