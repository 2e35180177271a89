"""A curator's slide is online at once; a real worker process then adds its renditions.

The database task backend and `manage.py db_worker` run as in `make run`: the upload answers
with the original stored and waiting, the page shows it at its declared size, and once the
worker has run the same image has a srcset, at the same size on the page (no layout shift).
"""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse
from playwright.sync_api import expect

from reviews.models import GalleryImage
from tests.factories import EntryFactory, PostFactory, UserFactory
from tests.imagefiles import slide

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
WORKER_WAIT_SECONDS = 90


def database_url() -> str:
    """The test database the live server uses, as a URL another process can open."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    host, port = db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{host}:{port}/{db['NAME']}"


@pytest.fixture
def database_queue(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def start_worker(database_queue):
    processes = []

    def start():
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": database_url(),
            "MEDIA_ROOT": str(database_queue),
            "TASK_BACKEND": "database",
        }
        command = [sys.executable, "manage.py", "db_worker", "--no-startup-delay"]
        command += ["--interval", "0.2"]
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
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
    open_page, start_worker, tmp_path
):
    UserFactory(username="boss", is_staff=True, is_superuser=True)
    post = PostFactory(published=True, title="NeurIPS review")
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
    expect(page.locator(".rendition-state")).to_have_text("Waiting")
    image = GalleryImage.objects.get(entry=entry)

    # Only the reader's page is checked for failed requests and console errors (admin scripts
    # cut off by navigating away, and the admin's own data: icons, do not count).
    page.failed_requests.clear()
    page.console_errors.clear()
    page.goto(page.base_url + post.get_absolute_url())
    waiting = page.locator(".gallery img")
    assert waiting.get_attribute("src") == f"/media/{image.image.name}"
    assert (waiting.get_attribute("width"), waiting.get_attribute("height")) == ("1920", "1080")
    assert waiting.get_attribute("srcset") is None
    assert page.evaluate("img => img.complete && img.naturalWidth", waiting.element_handle())
    size_before = box(waiting)

    record = wait_until_ready(image, start_worker())
    assert record["state"] == "ready"

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

    page.goto(page.base_url + reverse("admin:reviews_post_change", args=[post.pk]))
    expect(page.locator(".rendition-state")).to_have_text("Ready")
