"""Two separate gunicorn instances over one database, one Redis and one S3 endpoint behave as
one site: an upload through the first is served by the second, a publish through the first is
seen at once through the second, and a session made on one is valid on the other."""

import os
import re
import subprocess
import sys
import time
import uuid

import pytest
import requests
from django.db import connection

from reviews.models import GalleryImage, Post
from tests import s3
from tests.factories import EntryFactory, PostFactory, UserFactory
from tests.imagefiles import slide
from tests.processes import ROOT, database_url, free_port

PASSWORD = "pw-for-two-instances-1"


def start_instance(env):
    """A gunicorn of its own (one worker) with these settings; (process, base URL)."""
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--workers",
            "1",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            requests.get(url + "/healthz", timeout=5)
            return process, url
        except requests.RequestException:
            time.sleep(0.1)
    process.kill()
    pytest.fail("gunicorn did not start within 15 s")


@pytest.fixture
def instances(transactional_db, s3_endpoint):
    bucket = s3.Bucket(s3_endpoint, s3.new_bucket(s3_endpoint))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url(),
        "REDIS_URL": "redis://127.0.0.1:6379/14",
        "CACHE_KEY_PREFIX": f"two-instances-{uuid.uuid4().hex}",
        "PAGE_CACHE_SECONDS": "300",
        **s3.environment(s3_endpoint, bucket.name),
    }
    if connection.vendor == "postgresql":
        env["DB_POOL_MAX_SIZE"] = "4"  # production's pooled connections, on both instances
    started = []
    try:
        for _ in range(2):
            started.append(start_instance(env))
        yield bucket, started[0][1], started[1][1]
    finally:
        for process, _ in started:
            process.terminate()
            process.wait(timeout=10)


def signed_in(url):
    session = requests.Session()
    login = session.get(url + "/admin/login/", timeout=30).text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login).group(1)
    answer = session.post(
        url + "/admin/login/?next=/admin/",
        data={"csrfmiddlewaretoken": token, "username": "chief", "password": PASSWORD},
        headers={"Referer": url + "/admin/login/"},
        timeout=30,
    )
    assert answer.url.endswith("/admin/"), "signed in"
    return session


def csrf_of(session, page_url):
    page = session.get(page_url, timeout=30)
    assert page.status_code == 200, page_url
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)


def test_two_instances_share_uploads_publishes_and_sessions(instances):
    bucket, first, second = instances
    UserFactory(username="chief", is_staff=True, is_superuser=True, password=PASSWORD)
    post = PostFactory(title="Shared review")  # a draft: a live post's uploads go to its copy
    entry = EntryFactory(section__post=post)
    draft = PostFactory(title="Published through the first instance")
    curator = signed_in(first)

    upload_page = f"{first}/admin/reviews/entry/{entry.pk}/add-images/"
    uploaded = curator.post(
        upload_page,
        data={"csrfmiddlewaretoken": csrf_of(curator, upload_page), "alt_text": "Keynote"},
        files={"images": ("keynote-slide.png", slide(1200, 675), "image/png")},
        headers={"Referer": upload_page},
        timeout=60,
    )
    image = GalleryImage.objects.get(entry=entry)
    hidden = requests.get(f"{second}/media/{image.image.name}", timeout=30)

    home_before = requests.get(second + "/", timeout=30).text
    changelist = f"{first}/admin/reviews/post/"
    curator.post(
        changelist,
        data={
            "csrfmiddlewaretoken": csrf_of(curator, changelist),
            "action": "publish",
            "_selected_action": [draft.pk, post.pk],
        },
        headers={"Referer": changelist},
        timeout=30,
    )
    home_after = [requests.get(second + "/", timeout=30).text for _ in range(5)]
    served = requests.get(f"{second}/media/{image.image.name}", timeout=30)
    page_on_second = requests.get(second + post.get_absolute_url(), timeout=30).text

    assert uploaded.status_code == 200
    assert image.image.name in bucket.names()
    assert hidden.status_code == 404  # a draft's file: its editors only
    assert Post.objects.get(pk=draft.pk).status == Post.Status.PUBLISHED
    assert "Published through the first instance" not in home_before
    assert all("Published through the first instance" in home for home in home_after)
    assert served.status_code == 200
    assert served.content == bucket.read(image.image.name)
    assert f"/media/{image.image.name}" in page_on_second or "/media/renditions/" in page_on_second

    on_second = requests.get(
        second + "/admin/", cookies=curator.cookies.get_dict(), timeout=30, allow_redirects=False
    )
    assert on_second.status_code == 200
