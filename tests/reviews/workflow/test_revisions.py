"""Revisions: a snapshot at every save, a diff between two, and a one-click restore."""

import pytest
from django.contrib.admin.models import LogEntry
from django.core.files.storage import default_storage
from django.urls import reverse

from reviews.models import Entry, Post, PostRevision
from reviews.workflow.publishing import publish_post
from reviews.workflow.revisions import (
    RestoreError,
    diff_revisions,
    record_revision,
    render_snapshot_text,
    restore_revision,
)
from tests.factories import EntryFactory, GalleryImageFactory, PaperFactory
from tests.imagefiles import slide, upload
from tests.reviews.forms import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def post():
    image = GalleryImageFactory(alt_text="Slide one", external_url="https://img.example.org/1.png")
    post = image.entry.section.post
    post.tags.set(["genomics"])
    return post


def _save_through_admin(client, post, **changes):
    url = reverse("admin:reviews_post_change", args=[post.pk])
    data = form_data(client.get(url).content.decode())
    data.update(changes)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""


def _save_entry_through_admin(client, entry, **changes):
    url = reverse("admin:reviews_entry_change", args=[entry.pk])
    data = form_data(client.get(url).content.decode(), "entry_form")
    data.update(changes)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""


def test_every_admin_save_stores_a_snapshot_with_who_and_what(curator, curator_client, post):
    _save_through_admin(curator_client, post, intro="A new intro")
    _save_entry_through_admin(curator_client, Entry.objects.get(), summary="A new summary")

    first, second = PostRevision.objects.order_by("pk")
    assert (first.created_by, first.summary) == (curator, "Changed intro")
    assert second.summary == f"Changed entry “{Entry.objects.get()}” on its own page"
    assert second.snapshot["post"]["intro"] == "A new intro"
    assert second.snapshot["tags"] == ["genomics"]
    [section] = second.snapshot["sections"]
    [entry] = section["entries"]
    assert entry["summary"] == "A new summary"
    assert entry["images"][0]["alt_text"] == "Slide one"


def test_adding_a_post_in_the_admin_stores_its_first_revision(curator_client):
    from tests.test_admin import _post_form

    assert curator_client.post(reverse("admin:reviews_post_add"), _post_form()).status_code == 302
    revision = Post.objects.get().revisions.get()
    assert revision.summary == "Created"
    assert revision.snapshot["post"]["title"] == "NeurIPS 2023 Health & Bio Conference Review"
    assert revision.snapshot["sections"] == []


def test_the_text_rendering_is_stable_and_readable(post):
    snapshot = record_revision(post=post).snapshot
    text = render_snapshot_text(snapshot)
    assert text == render_snapshot_text(PostRevision.objects.get().snapshot)
    assert text.startswith(f"title: {post.title}\nsubtitle: \nslug: {post.slug}\n")
    entry = post.sections.get().entries.get()
    assert f"== Section 1: Selected papers\n-- Entry 1.1: {entry.paper.title}\n" in text
    assert "   image 1:\n     image: \n     external_url: https://img.example.org/1.png\n" in text
    assert "tags: genomics\n" in text


def test_the_diff_shows_exactly_the_changed_lines(post):
    old = record_revision(post=post)
    Post.objects.filter(pk=post.pk).update(intro="Line one\nLine two")
    new = record_revision(post=post)
    changed = [line for line in diff_revisions(old, new) if line[:1] in "+-"]
    assert changed == [
        f"--- revision {old.pk}",
        f"+++ revision {new.pk}",
        "-intro: What happened at the conference.",
        "+intro:",
        "+  Line one",
        "+  Line two",
    ]


def test_the_admin_lists_revisions_and_shows_a_diff(curator_client, post):
    _save_through_admin(curator_client, post, intro="Version two")
    _save_through_admin(curator_client, post, intro="Version three")
    old, new = PostRevision.objects.order_by("pk")

    listing = curator_client.get(reverse("admin:reviews_post_revisions", args=[post.pk]))
    html = listing.content.decode()
    assert html.count("Changed intro") == 2
    assert html.count("Restore this revision") == 1
    diff = curator_client.get(
        reverse("admin:reviews_post_revision_diff", args=[post.pk]), {"old": old.pk, "new": new.pk}
    )
    assert "<del>-intro: Version two</del>" in diff.content.decode()
    assert "<ins>+intro: Version three</ins>" in diff.content.decode()
    change_form = curator_client.get(reverse("admin:reviews_post_change", args=[post.pk]))
    assert reverse("admin:reviews_post_revisions", args=[post.pk]) in change_form.content.decode()


def test_the_revision_list_runs_a_constant_number_of_queries(
    curator_client, post, django_assert_num_queries
):
    url = reverse("admin:reviews_post_revisions", args=[post.pk])
    record_revision(post=post)
    with django_assert_num_queries(6) as small:
        curator_client.get(url)
    for _ in range(20):
        record_revision(post=post)
    with django_assert_num_queries(len(small.captured_queries)):
        curator_client.get(url)


def test_restoring_a_revision_in_one_click_is_itself_a_revision(curator, curator_client, post):
    _save_through_admin(curator_client, post, intro="Good intro")
    _save_through_admin(curator_client, post, intro="Bad intro")
    _save_entry_through_admin(
        curator_client, Entry.objects.get(), **{"images-0-alt_text": "Bad alt"}
    )
    good = PostRevision.objects.order_by("pk").first()
    publish_post(post=post, by=curator)

    response = curator_client.post(
        reverse("admin:reviews_post_revision_restore", args=[post.pk, good.pk])
    )

    assert response.status_code == 302
    post.refresh_from_db()
    assert post.intro == "Good intro"
    assert post.status == Post.Status.PUBLISHED
    entry = Entry.objects.get()
    assert entry.images.get().alt_text == "Slide one"
    latest = post.revisions.order_by("-pk").first()
    assert latest.summary.startswith(f"Restored revision {good.pk} of ")
    assert latest.created_by == curator
    assert LogEntry.objects.filter(change_message__startswith="Restored revision").count() == 1
    changed = [line for line in diff_revisions(good, latest)[2:] if line[:1] in "+-"]
    assert [line.split(":")[0] for line in changed] == [
        "-status",
        "-published_at",
        "+status",
        "+published_at",
    ]


def test_restore_is_refused_with_nothing_changed_when_a_paper_is_gone(curator, post):
    old = record_revision(post=post)
    entry = Entry.objects.get()
    gone = entry.paper
    entry.paper = PaperFactory()
    entry.save()
    gone.delete()
    Post.objects.filter(pk=post.pk).update(intro="Current intro")

    with pytest.raises(RestoreError, match="cannot be restored: paper:"):
        restore_revision(revision=old, by=curator)

    post.refresh_from_db()
    assert post.intro == "Current intro"
    assert Entry.objects.get().paper_id == entry.paper_id
    assert post.revisions.count() == 1


def test_restore_needs_post_and_change_permission(contributor_client, post):
    revision = record_revision(post=post)
    url = reverse("admin:reviews_post_revision_restore", args=[post.pk, revision.pk])
    assert contributor_client.post(url).status_code == 403
    assert contributor_client.get(url).status_code == 405
    assert EntryFactory._meta.model.objects.count() == 1


def _uploaded_image(entry, name, color, order=0):
    return GalleryImageFactory(
        entry=entry, order=order, external_url="", image=upload(name, slide(900, 500, color=color))
    )


def test_an_image_replaced_since_comes_back_with_its_file_and_renditions(
    curator, media_root, django_capture_on_commit_callbacks
):
    image = _uploaded_image(EntryFactory(), "first.png", (10, 20, 30))
    post = image.entry.section.post
    first_name = image.image.name
    old = record_revision(post=post, by=curator)
    image.image = upload("second.png", slide(900, 500, color=(200, 20, 30)))
    with django_capture_on_commit_callbacks(execute=True):
        image.save()
    # The old revision still names the first upload, so replacing it did not delete it.
    assert default_storage.exists(first_name)
    with django_capture_on_commit_callbacks(execute=True):
        restored = restore_revision(revision=old, by=curator)
    assert restored.missing_files == []
    [back] = Entry.objects.get(section__post=post).images.all()
    assert back.image.name == first_name
    assert back.renditions["state"] == "ready"
    assert all(default_storage.exists(f["name"]) for f in back.renditions["files"])


def test_a_restore_with_missing_files_restores_the_rest_and_names_what_is_missing(
    curator, curator_client, media_root
):
    kept = _uploaded_image(EntryFactory(heading="Keynote"), "kept.png", (10, 20, 30))
    entry = kept.entry
    lost = _uploaded_image(entry, "lost.png", (90, 20, 30), order=1)
    post = entry.section.post
    old = record_revision(post=post, by=curator)
    default_storage.delete(lost.image.name)
    url = reverse("admin:reviews_post_revision_restore", args=[post.pk, old.pk])
    response = curator_client.post(url, follow=True)
    assert response.status_code == 200
    [message] = [str(m) for m in response.context["messages"]]
    assert message == (
        f"Restored revision {old.pk} of {old.created_at:%Y-%m-%d %H:%M} UTC; missing from "
        f"storage and left out: image 2 of “Keynote” ({lost.image.name})."
    )
    [back] = Entry.objects.get(section__post=post).images.all()
    assert back.image.name == kept.image.name
    assert post.revisions.first().summary == message[:-1]


def test_a_missing_cover_is_left_out_and_the_rest_restored(curator, media_root):
    image = _uploaded_image(EntryFactory(), "slide.png", (10, 20, 30))
    post = image.entry.section.post
    post.cover_image = upload("cover.png", slide(900, 500, color=(1, 2, 3)))
    post.intro = "Old intro"
    post.save()
    old = record_revision(post=post, by=curator)
    cover_name = post.cover_image.name
    default_storage.delete(cover_name)
    post.intro = "New intro"
    post.save()
    restored = restore_revision(revision=old, by=curator)
    post.refresh_from_db()
    assert (post.intro, post.cover_image.name) == ("Old intro", "")
    assert restored.missing_files == [f"the cover ({cover_name})"]
