"""Deleting an image, entry or post removes its files; clean_media finds what is left over."""

from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import transaction

from reviews.media.images import clean_image
from tests.factories import EntryFactory, GalleryImageFactory, PostFactory
from tests.imagefiles import slide, upload

pytestmark = pytest.mark.django_db


def uploaded(entry, name="slide.png", *, color=(30, 60, 120)):
    clean = clean_image(upload(name, slide(1700, 900, color=color)))
    return GalleryImageFactory(entry=entry, external_url="", image=clean.as_file())


def files_of(image):
    return [image.image.name, *(f["name"] for f in image.renditions["files"])]


def stored(root):
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def test_deleting_an_image_removes_its_file_and_renditions(
    media_root, django_capture_on_commit_callbacks
):
    image = uploaded(EntryFactory())
    names = files_of(image)
    assert len(names) == 5
    with django_capture_on_commit_callbacks(execute=True):
        image.delete()
    assert stored(media_root) == []


def test_deleting_an_entry_or_a_post_removes_every_file_below_it(
    media_root, django_capture_on_commit_callbacks
):
    post = PostFactory(cover_image=clean_image(upload("c.jpg", slide(fmt="JPEG"))).as_file())
    first = EntryFactory(section__post=post)
    second = EntryFactory(section__post=post)
    kept = uploaded(EntryFactory(), "kept.png")
    uploaded(first, "a.png", color=(1, 2, 3))
    uploaded(second, "b.png", color=(4, 5, 6))
    with django_capture_on_commit_callbacks(execute=True):
        first.delete()
    post.refresh_from_db()
    cover = [post.cover_image.name, *(f["name"] for f in post.cover_renditions["files"])]
    assert stored(media_root) == sorted(cover + files_of(kept) + files_of(second.images.get()))
    with django_capture_on_commit_callbacks(execute=True):
        post.delete()
    assert stored(media_root) == sorted(files_of(kept))


def test_a_rolled_back_delete_keeps_the_files(media_root):
    image = uploaded(EntryFactory())
    with transaction.atomic():
        image.delete()
        transaction.set_rollback(True)
    assert all(default_storage.exists(n) for n in files_of(image))


def test_a_source_shared_by_two_rows_keeps_its_files_when_one_row_goes(
    media_root, django_capture_on_commit_callbacks
):
    image = uploaded(EntryFactory())
    twin = GalleryImageFactory(entry=EntryFactory(), external_url="", image=image.image.name)
    with django_capture_on_commit_callbacks(execute=True):
        twin.delete()
    assert all(default_storage.exists(n) for n in files_of(image))


def test_clean_media_lists_orphans_on_a_dry_run_and_removes_them_otherwise(media_root):
    image = uploaded(EntryFactory())
    orphan = default_storage.save("gallery/2020/01/lost.png", ContentFile(b"x" * 10))
    stale = default_storage.save("renditions/old-abc-400w.webp", ContentFile(b"y" * 5))
    outside = default_storage.save("exports/keep.txt", ContentFile(b"z"))
    out = StringIO()
    call_command("clean_media", "--dry-run", "--min-age-minutes=0", stdout=out)
    assert out.getvalue() == (
        f"Would remove {orphan} (10 bytes)\n"
        f"Would remove {stale} (5 bytes)\n"
        "Would remove 2 orphaned file(s), 15 bytes.\n"
    )
    assert default_storage.exists(orphan)

    out = StringIO()
    call_command("clean_media", "--min-age-minutes=0", stdout=out)
    assert out.getvalue().splitlines()[-1] == "Removed 2 orphaned file(s), 15 bytes."
    assert stored(media_root) == sorted([*files_of(image), outside])


def test_clean_media_spares_files_younger_than_the_age_guard(media_root):
    default_storage.save("gallery/2020/01/in-flight.png", ContentFile(b"x"))
    out = StringIO()
    call_command("clean_media", stdout=out)
    assert out.getvalue() == "Removed 0 orphaned file(s), 0 bytes.\n"
    assert default_storage.exists("gallery/2020/01/in-flight.png")
