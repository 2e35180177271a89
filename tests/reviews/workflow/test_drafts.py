"""Working copies of a live post: opened, compared, published and discarded by the services."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage

from reviews.media.renditions import rendition_names
from reviews.models import Entry, GalleryImage, Post, PostRevision, Section
from reviews.selectors import public_posts
from reviews.workflow import drafts
from reviews.workflow.editing import save_post
from reviews.workflow.publishing import PublishingRefused, publish_post
from tests.factories import EntryFactory, GalleryImageFactory, PostFactory, SectionFactory
from tests.imagefiles import png_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def live(media_root):
    post = PostFactory(
        published=True, slug="live", intro="Live intro.", cover_image=png_upload("cover.png")
    )
    post.tags.set(["genomics"])
    section = SectionFactory(post=post, title="Talks", order=0)
    entry = EntryFactory(section=section, order=0, heading="Talk", summary="Live summary.")
    GalleryImageFactory(
        entry=entry, order=0, image=png_upload("slide.png"), external_url="", alt_text="Slide"
    )
    post.refresh_from_db()
    return post


def stored_files(post):
    image = GalleryImage.objects.get(entry__section__post=post)
    names = [post.cover_image.name, image.image.name, *rendition_names(image.renditions)]
    return names + rendition_names(post.cover_renditions)


def test_a_working_copy_is_a_hidden_draft_sharing_the_live_files(curator, live):
    copy = drafts.open_working_copy(post=live, by=curator)

    assert (copy.status, copy.working_copy_of, copy.intro) == ("draft", live, "Live intro.")
    assert list(public_posts()) == [live]
    [entry] = Entry.objects.filter(section__post=copy)
    assert (entry.heading, entry.summary) == ("Talk", "Live summary.")
    assert (
        entry.images.get().image.name == live.sections.get().entries.get().images.get().image.name
    )
    assert copy.cover_image.name == live.cover_image.name
    assert [t.name for t in copy.tags.all()] == ["genomics"]
    assert drafts.pending_changes(copy=copy) == []


def test_opening_again_returns_the_edited_copy_and_reclones_an_untouched_one(curator, live):
    first = drafts.open_working_copy(post=live, by=curator)
    Post.objects.filter(pk=live.pk).update(intro="Changed live meanwhile.")
    second = drafts.open_working_copy(post=live, by=curator)
    assert second.intro == "Changed live meanwhile."
    assert not Post.objects.filter(pk=first.pk).exists()
    second.intro = "Edited."
    save_post(post=second, by=curator, expected_version=second.version, changed=["intro"])
    assert drafts.open_working_copy(post=live, by=curator) == second


def test_a_draft_or_a_copy_needs_no_copy(curator, live):
    draft = PostFactory()
    assert drafts.open_working_copy(post=draft, by=curator) == draft
    copy = drafts.open_working_copy(post=live, by=curator)
    assert drafts.open_working_copy(post=copy, by=curator) == copy


def test_only_those_who_may_edit_the_live_post_open_a_copy(contributor, live):
    with pytest.raises(PermissionDenied):
        drafts.open_working_copy(post=live, by=contributor)
    assert not Post.objects.filter(working_copy_of=live).exists()


def test_publishing_changes_moves_them_onto_the_live_post_and_keeps_its_files(
    curator, live, django_capture_on_commit_callbacks
):
    copy = drafts.open_working_copy(post=live, by=curator)
    copy.intro = "New intro."
    save_post(post=copy, by=curator, expected_version=copy.version, changed=["intro"])
    Entry.objects.filter(section__post=copy).update(summary="New summary.")
    files = stored_files(live)

    with django_capture_on_commit_callbacks(execute=True):
        published = drafts.publish_changes(copy=copy, by=curator)

    live.refresh_from_db()
    assert published == live
    assert (live.pk, live.slug, live.status, live.intro) == (
        published.pk,
        "live",
        "published",
        "New intro.",
    )
    assert live.sections.get().entries.get().summary == "New summary."
    assert not Post.objects.filter(pk=copy.pk).exists()
    assert Section.objects.count() == 1 and GalleryImage.objects.count() == 1
    assert PostRevision.objects.filter(post=live).first().summary == (
        "Published changes: intro; Entry “Talk” in “Talks” changed"
    )
    assert all(default_storage.exists(name) for name in files)


def test_discarding_keeps_shared_files_and_deletes_what_only_the_copy_used(
    curator, live, django_capture_on_commit_callbacks
):
    copy = drafts.open_working_copy(post=live, by=curator)
    entry = Entry.objects.get(section__post=copy)
    added = GalleryImageFactory(
        entry=entry, order=1, image=png_upload("new.png"), external_url="", alt_text="New"
    )
    added_name = added.image.name
    files = stored_files(live)

    with django_capture_on_commit_callbacks(execute=True):
        drafts.discard_changes(copy=copy, by=curator)

    assert not Post.objects.filter(working_copy_of=live).exists()
    assert all(default_storage.exists(name) for name in files)
    assert not default_storage.exists(added_name)


def test_replacing_a_slide_in_the_copy_leaves_the_live_slide_and_renditions(
    curator, live, django_capture_on_commit_callbacks
):
    copy = drafts.open_working_copy(post=live, by=curator)
    files = stored_files(live)
    image = GalleryImage.objects.get(entry__section__post=copy)
    with django_capture_on_commit_callbacks(execute=True):
        image.image = png_upload("replacement.png", color=(0, 0, 200))
        image.save()
    assert all(default_storage.exists(name) for name in files)


def test_publishing_changes_needs_the_publish_right_and_a_passing_checklist(
    curator, contributor, live
):
    copy = drafts.open_working_copy(post=live, by=curator)
    with pytest.raises(PermissionDenied):
        drafts.publish_changes(copy=copy, by=contributor)
    GalleryImage.objects.filter(entry__section__post=copy).update(alt_text="")
    with pytest.raises(PublishingRefused, match="Images without alt text"):
        drafts.publish_changes(copy=copy, by=curator)
    assert Post.objects.filter(pk=copy.pk).exists()
    assert GalleryImage.objects.get(entry__section__post=live).alt_text == "Slide"


def test_a_copy_cannot_be_published_as_a_post_of_its_own(curator, live):
    copy = drafts.open_working_copy(post=live, by=curator)
    with pytest.raises(PublishingRefused, match="use “Publish changes”"):
        publish_post(post=copy, by=curator)


def test_changes_are_listed_part_by_part(curator, live):
    copy = drafts.open_working_copy(post=live, by=curator)
    section = copy.sections.get()
    EntryFactory(section=section, order=1, heading="A new talk", summary="Text.")
    Entry.objects.filter(section=section, order=0).update(summary="Changed.\nTwo lines.")
    GalleryImage.objects.filter(entry__section=section).update(alt_text="Better alt")
    copy.tags.set(["genomics", "proteins"])

    changes = drafts.pending_changes(copy=copy)

    assert [str(change) for change in changes] == [
        "The post changed",
        "Entry “Talk” in “Talks” changed",
        "Image 1 ("
        + GalleryImage.objects.get(entry__section=section).image.name
        + ") of “Talk” changed",
        "Entry “A new talk” in “Talks” added",
    ]
    assert [(f.label, f.after) for f in changes[0].fields] == [("tags", "genomics, proteins")]
    [summary] = changes[1].fields
    assert summary.line_diff == [("-", "Live summary."), ("+", "Changed."), ("+", "Two lines.")]


def test_reordered_entries_are_one_change_not_a_removal_and_an_addition(curator, live):
    copy = drafts.open_working_copy(post=live, by=curator)
    section = copy.sections.get()
    free = {"kind": Entry.Kind.FREE, "paper": None, "heading": "Second", "summary": "Text."}
    EntryFactory(section=section, order=1, **free)
    EntryFactory(section=live.sections.get(), order=1, **free)
    Entry.objects.filter(section=section, heading="Talk").update(order=5)
    Entry.objects.filter(section=section, heading="Second").update(order=0)
    assert [str(c) for c in drafts.pending_changes(copy=copy)] == ["Entries of “Talks” reordered"]
