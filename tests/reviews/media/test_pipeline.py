"""An upload answers at once: waiting, then ready (or failed, with the reason) once a worker ran."""

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from core.models import ContentVersion
from reviews.media import pipeline
from reviews.media.renditions import FAILED, READY, WAITING, renditions_ready
from reviews.models import GalleryImage
from tests.factories import EntryFactory, PostFactory
from tests.imagefiles import slide, upload

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def work_off():
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)


@pytest.fixture
def entry():
    return EntryFactory(section__post=PostFactory(title="ICML review"))


def add_slide(client, entry, name="talk.png", **options):
    url = reverse("admin:reviews_entry_add_images", args=[entry.pk])
    data = slide(1920, 1080, **options)
    response = client.post(url, {"images": [upload(name, data)], "alt_text": "Talk"})
    assert response.status_code == 302
    return entry.images.get(image__endswith=name.rsplit(".", 1)[0] + ".png")


def test_an_upload_is_stored_and_waits_for_its_renditions(curator_client, media_root, entry):
    image = add_slide(curator_client, entry)
    assert image.renditions == {
        "state": WAITING,
        "source": image.image.name,
        "width": 1920,
        "height": 1080,
        "type": "image/png",
    }
    assert default_storage.exists(image.image.name)
    [queued] = DBTaskResult.objects.all()
    assert (queued.task_path, queued.status) == ("reviews.tasks.make_renditions", "READY")
    assert queued.args_kwargs["kwargs"] == {"kind": "gallery", "pk": image.pk}


def test_a_waiting_image_is_shown_as_the_original_at_its_declared_size(
    curator_client, client, media_root, entry
):
    image = add_slide(curator_client, entry)
    html = client.get(entry.section.post.get_absolute_url()).content.decode()
    assert (
        f'<img src="/media/{image.image.name}" width="1920" height="1080" alt="Slide 1 of 1: Talk"'
        in html
    )
    assert "srcset" not in html


def test_the_worker_makes_the_renditions_and_the_page_then_serves_the_srcset(
    curator_client, client, media_root, entry
):
    image = add_slide(curator_client, entry)
    ready = []

    def listener(sender, instance, record, **kwargs):
        ready.append((sender, instance.pk, record["state"]))

    renditions_ready.connect(listener)
    try:
        work_off()
    finally:
        renditions_ready.disconnect(listener)
    image.refresh_from_db()
    assert image.renditions["state"] == READY
    assert [f["width"] for f in image.renditions["files"]] == [400, 400, 1600, 1600]
    assert all(default_storage.exists(f["name"]) for f in image.renditions["files"])
    assert ready == [(GalleryImage, image.pk, READY)]
    html = client.get(entry.section.post.get_absolute_url()).content.decode()
    assert 'width="1920" height="1080"' in html
    assert html.count(" 400w, ") == 2
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_ready_renditions_give_cached_pages_a_new_content_version(
    curator_client, media_root, entry
):
    add_slide(curator_client, entry)
    before = ContentVersion.objects.get(pk=1).number
    work_off()
    assert ContentVersion.objects.get(pk=1).number != before


def test_a_source_that_is_not_an_image_fails_with_the_reason(curator_client, media_root, entry):
    image = add_slide(curator_client, entry)
    with default_storage.open(image.image.name, "wb") as handle:
        handle.write(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    work_off()
    image.refresh_from_db()
    assert image.renditions["state"] == FAILED
    assert image.renditions["error"].startswith("“")
    assert "is not a JPEG, PNG, WebP or GIF image" in image.renditions["error"]
    assert (image.renditions["width"], image.renditions["height"]) == (1920, 1080)


def test_a_missing_source_fails_naming_the_file(curator_client, media_root, entry):
    image = add_slide(curator_client, entry)
    default_storage.delete(image.image.name)
    work_off()
    image.refresh_from_db()
    assert image.renditions["state"] == FAILED
    assert image.renditions["error"] == f"the file {image.image.name} is missing from storage"


def test_a_task_queued_for_a_replaced_source_renders_the_current_one(
    curator_client, media_root, entry
):
    image = add_slide(curator_client, entry)
    image.image = upload("newer.png", slide(800, 600))
    image.save()
    assert GalleryImage.objects.get(pk=image.pk).renditions["state"] == WAITING
    assert DBTaskResult.objects.count() == 2
    work_off()
    image.refresh_from_db()
    assert image.renditions["state"] == READY
    assert (image.renditions["width"], image.renditions["source"]) == (800, image.image.name)
    assert [r.return_value for r in DBTaskResult.objects.order_by("enqueued_at")] == [
        "ready",
        "unchanged",
    ]


def test_the_last_failed_retry_marks_the_image_failed(curator_client, media_root, entry):
    image = add_slide(curator_client, entry)
    pipeline.give_up(kind="gallery", pk=image.pk, error="OSError: storage unreachable")
    image.refresh_from_db()
    assert image.renditions == {
        "state": FAILED,
        "source": image.image.name,
        "width": 1920,
        "height": 1080,
        "type": "image/png",
        "error": "OSError: storage unreachable",
    }


def test_a_retry_queues_the_image_again(curator_client, media_root, entry):
    image = add_slide(curator_client, entry)
    pipeline.give_up(kind="gallery", pk=image.pk, error="OSError: storage unreachable")
    DBTaskResult.objects.all().delete()
    image.refresh_from_db()
    pipeline.retry(image)
    assert GalleryImage.objects.get(pk=image.pk).renditions["state"] == WAITING
    work_off()
    assert GalleryImage.objects.get(pk=image.pk).renditions["state"] == READY
