"""A post's body is rendered at save time and kept current by whatever changes what it shows."""

import pytest
from django.core.management import CommandError, call_command

from core.models import ContentVersion
from reviews.models import Entry, GalleryImage, Post
from reviews.rendering import refresh_post_html
from reviews.workflow.editing import delete_entry, save_entry, save_post
from tests.factories import KeynoteFactory

pytestmark = pytest.mark.django_db


def stored_body(post):
    return Post.objects.values_list("body_html", flat=True).get(pk=post.pk)


def first_entry(post):
    return Entry.objects.filter(section__post=post).order_by("order").first()


def test_a_saved_post_stores_its_rendered_body(post_builder):
    post = post_builder(entries=2, title="Stored body review")

    body = stored_body(post)

    assert body.startswith('<header class="post-header">')
    assert "<h1>Stored body review</h1>" in body
    assert body.count('<article class="entry entry-paper"') == 2
    assert body.count('class="gallery-open"') == 4


def test_the_post_page_serves_the_stored_body(client, post_builder):
    post = post_builder(entries=1)
    Post.objects.filter(pk=post.pk).update(body_html='<p id="from-the-column">Stored</p>')

    content = client.get(post.get_absolute_url()).content.decode()

    assert '<p id="from-the-column">Stored</p>' in content
    assert '<header class="post-header">' not in content


def test_a_public_post_without_a_stored_body_renders_live(client, post_builder):
    post = post_builder(entries=3)
    Post.objects.filter(pk=post.pk).update(body_html="")

    content = client.get(post.get_absolute_url()).content.decode()

    assert content.count('<article class="entry entry-paper"') == 3


def test_a_draft_preview_renders_the_rows_as_they_are(curator_client, post_builder):
    draft = post_builder(entries=1, published=False)
    Entry.objects.filter(section__post=draft).update(summary="Written around the signals")

    content = curator_client.get(draft.get_absolute_url()).content.decode()

    assert "Written around the signals" in content
    assert "Written around the signals" not in stored_body(draft)


def test_saving_an_entry_through_its_service_refreshes_the_body(curator, post_builder):
    post = post_builder(entries=2, published=False)
    entry = first_entry(post)
    entry.summary = "A **new** summary"

    save_entry(entry=entry, by=curator, expected_version=entry.version)

    assert "A <strong>new</strong> summary" in stored_body(post)


def test_deleting_an_entry_removes_it_from_the_body(curator, post_builder):
    post = post_builder(entries=2, published=False)

    delete_entry(entry=first_entry(post), by=curator)

    assert stored_body(post).count('<article class="entry entry-paper"') == 1


def test_a_post_saved_with_its_parts_is_rendered_once_with_all_of_them(
    curator, post_builder, django_assert_max_num_queries
):
    post = post_builder(entries=1, published=False)
    entry = first_entry(post)

    def save_children():
        for n in range(1, 4):
            GalleryImage.objects.create(entry=entry, order=n + 1, external_url=f"/img/s{n}.png")

    post.title = "Retitled with new slides"
    save_post(post=post, by=curator, expected_version=post.version, save_children=save_children)

    body = stored_body(post)
    assert "<h1>Retitled with new slides</h1>" in body
    assert body.count('class="gallery-open"') == 5


def test_a_paper_retitled_elsewhere_is_retitled_in_every_post_showing_it(post_builder):
    post = post_builder(entries=1)
    paper = first_entry(post).paper

    paper.title = "A retitled paper"
    paper.save()

    assert '<h3 id="entry-' in stored_body(post)
    assert "A retitled paper</h3>" in stored_body(post)


def test_a_keynote_change_reaches_the_body_of_its_post(post_builder):
    post = post_builder(entries=1)
    keynote = KeynoteFactory(conference=post.conference, speaker="Ada Speaker")
    Entry.objects.create(
        section=post.sections.get(), order=5, kind=Entry.Kind.KEYNOTE, keynote=keynote
    )
    link = '<a href="/authors/ada-speaker/">Ada Speaker</a>'
    assert f"Keynote by {link}" in stored_body(post)

    keynote.affiliation = "Analytical Engines Ltd"
    keynote.save()

    assert f"Keynote by {link} (Analytical Engines Ltd)" in stored_body(post)


def test_a_conference_rename_reaches_the_post_header(post_builder):
    post = post_builder(entries=1)
    conference = post.conference

    conference.short_name = "Renamedconf"
    conference.save()

    assert str(conference) in stored_body(post)
    assert "Renamedconf" in stored_body(post)


def test_refresh_is_idempotent_and_moves_the_page_cache_only_on_a_change(post_builder):
    post = post_builder(entries=1)
    version = ContentVersion.objects.get(pk=1).number

    assert refresh_post_html(post_ids=[post.pk, 999_999]) == []
    assert ContentVersion.objects.get(pk=1).number == version

    Post.objects.filter(pk=post.pk).update(body_html="stale")
    assert refresh_post_html(post_ids=[post.pk]) == [post.pk]
    assert stored_body(post).startswith('<header class="post-header">')
    assert ContentVersion.objects.get(pk=1).number != version


def test_the_command_refreshes_bodies_and_names_an_unknown_slug(post_builder, capsys):
    post = post_builder(entries=1)
    Post.objects.filter(pk=post.pk).update(body_html="")

    call_command("refresh_post_html")

    assert "Refreshed 1 of 1 post bodies." in capsys.readouterr().out
    assert stored_body(post).startswith('<header class="post-header">')
    with pytest.raises(CommandError, match="No post with the slug no-such-post"):
        call_command("refresh_post_html", "--post", "no-such-post")


@pytest.mark.django_db(transaction=True)
def test_renditions_made_after_the_save_reach_the_stored_body(post_builder, media_root, settings):
    from tests.factories import GalleryImageFactory
    from tests.imagefiles import slide, upload

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    post = post_builder(entries=1)
    entry = post.sections.get().entries.get()
    image = GalleryImageFactory(
        entry=entry, external_url="", image=upload("late.png", slide(900, 500))
    )
    waiting = Post.objects.get(pk=post.pk).body_html

    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)  # later

    image.refresh_from_db()
    assert image.renditions["state"] == "ready"
    assert "late" in waiting and "srcset" not in waiting.split("late", 1)[1].split(">", 1)[0]
    body = Post.objects.get(pk=post.pk).body_html
    assert image.renditions["files"][0]["name"] in body
