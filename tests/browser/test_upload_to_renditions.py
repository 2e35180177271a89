"""A curator's slide is online at once; a real worker process then adds its renditions.

Twice: as in `make run` (the database task backend and `manage.py db_worker`, media on disk)
and as in production (the RQ queue on Redis and `manage.py rqworker`, media in an S3 bucket on
a real S3 server). The upload answers with the original stored and waiting, the page shows it
at its declared size, and once the worker has run the same image has a srcset, at the same size
on the page (no layout shift).
"""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from reviews.models import GalleryImage, Post
from tests import s3
from tests.factories import EntryFactory, PostFactory, UserFactory
from tests.imagefiles import slide
from tests.processes import ROOT, database_url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORKER_WAIT_SECONDS = 90


@pytest.fixture(params=["database queue, disk", "redis queue, s3 bucket"])
def queue(request, settings, tmp_path):
    """Settings for the live server and the environment of the worker process it needs."""
    settings.MEDIA_ROOT = tmp_path / "media"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url(),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    if request.param == "database queue, disk":
        settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
        env["TASK_BACKEND"] = "database"
        command = ["db_worker", "--no-startup-delay", "--interval", "0.2"]
        return {"env": env, "command": command, "bucket": None}
    endpoint = request.getfixturevalue("s3_endpoint")
    bucket = s3.Bucket(endpoint, s3.new_bucket(endpoint))
    settings.STORAGES = s3.storages_for(endpoint, bucket.name)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    # The worker reads the queue the live server writes to (django-rq reads RQ_QUEUES once).
    rq_url = settings.RQ_QUEUES["default"]["URL"]
    env |= {**s3.environment(endpoint, bucket.name), "TASK_BACKEND": "rq", "RQ_URL": rq_url}
    command = ["rqworker", "default", "--job-class", "django_tasks_rq.Job", "--with-scheduler"]
    return {"env": env, "command": command, "bucket": bucket}


@pytest.fixture
def start_worker(queue):
    processes = []

    def start():
        command = [sys.executable, "manage.py", *queue["command"]]
        process = subprocess.Popen(
            command, cwd=ROOT, env=queue["env"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        processes.append(process)
        return process

    yield start
    for process in processes:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stderr.close()


def wait_until_ready(image, worker) -> dict:
    deadline = time.monotonic() + WORKER_WAIT_SECONDS
    while time.monotonic() < deadline:
        record = GalleryImage.objects.get(pk=image.pk).renditions
        if record.get("state") != "waiting":
            return record
        assert worker.poll() is None, worker.stderr.read().decode()
        time.sleep(0.2)
    raise AssertionError(f"no renditions after {WORKER_WAIT_SECONDS} s")


def box(locator):
    found = locator.bounding_box()
    return round(found["width"]), round(found["height"])


def test_an_uploaded_slide_is_shown_at_once_and_gets_renditions_from_the_worker(
    open_page, start_worker, queue, tmp_path
):
    UserFactory(username="boss", is_staff=True, is_superuser=True)
    # A draft: a live post's uploads would go to its working copy (reviews.workflow.drafts).
    post = PostFactory(title="NeurIPS review")
    entry = EntryFactory(section__post=post)
    source = tmp_path / "keynote.png"
    source.write_bytes(slide(1920, 1080, color=(40, 90, 150)))

    page = open_page(1280)
    page.goto(page.base_url + reverse("admin:login"))
    page.fill("#id_username", "boss")
    page.fill("#id_password", "correct horse battery")
    page.click("input[type=submit]")
    page.goto(page.base_url + reverse("admin:reviews_entry_add_images", args=[entry.pk]))
    page.set_input_files("input[name=images]", str(source))
    page.fill("input[name=alt_text]", "Keynote")
    page.click("input[value='Upload images']")
    expect(page.locator(".messagelist")).to_have_text(
        f"Added 1 image(s) to “{entry.display_heading}”."
    )
    page.goto(page.base_url + reverse("admin:reviews_entry_change", args=[entry.pk]))
    expect(page.locator(".rendition-state")).to_have_text("Waiting")
    image = GalleryImage.objects.get(entry=entry)
    # Published once it has its slide (straight to the row: the publish service is not what
    # this test is about); with no stored body yet the page renders it live.
    Post.objects.filter(pk=post.pk).update(
        status=Post.Status.PUBLISHED, published_at=post.created_at
    )

    # Only the reader's page is checked for failed requests and console errors (admin scripts
    # cut off by navigating away, and the admin's own data: icons, do not count).
    page.failed_requests.clear()
    page.console_errors.clear()
    page.goto(page.base_url + post.get_absolute_url())
    waiting = page.locator(".gallery img")
    assert waiting.get_attribute("src") == f"/media/{image.image.name}"
    assert (waiting.get_attribute("width"), waiting.get_attribute("height")) == ("1920", "1080")
    assert waiting.get_attribute("srcset") is None
    page.wait_for_function("img => img.complete && img.naturalWidth", arg=waiting.element_handle())
    size_before = box(waiting)

    record = wait_until_ready(image, start_worker())
    assert record["state"] == "ready"

    page.failed_requests.clear()  # a load the reload cuts short is not a failure of the page
    page.reload()
    ready = page.locator(".gallery img")
    assert ready.get_attribute("srcset").count("w, ") == 2
    expect(page.locator(".gallery source[type='image/webp']")).to_have_count(1)
    page.wait_for_function(
        "() => [...document.querySelectorAll('.gallery img')].every(i => i.complete && i.naturalWidth)"
    )
    assert box(ready) == size_before
    assert page.evaluate("() => document.querySelector('.gallery img').currentSrc").startswith(
        page.base_url + "/media/renditions/"
    )
    assert page.failed_requests == []
    assert page.console_errors == []

    if queue["bucket"] is not None:  # every file went to the bucket, none to the disk
        stored = queue["bucket"].names()
        assert image.image.name in stored
        assert all(f["name"] in stored for f in record["files"])
        assert not list(Path(queue["env"]["MEDIA_ROOT"]).rglob("*.png"))

    page.goto(page.base_url + reverse("admin:reviews_entry_change", args=[entry.pk]))
    expect(page.locator(".rendition-state")).to_have_text("Ready")
