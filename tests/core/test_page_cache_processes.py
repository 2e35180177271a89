"""A save made through one gunicorn worker is seen at once through the other.

Runs a real gunicorn with two workers against the test database, with Redis as the shared cache
and with the embedded per-process cache.
"""

import http.cookiejar
import os
import re
import subprocess
import sys
import time
import urllib.parse
import urllib.request

import pytest

from reviews.models import Post
from tests.factories import PostFactory, UserFactory
from tests.processes import ROOT, database_url, free_port

REQUESTS_PER_CHECK = 24


@pytest.fixture(params=["redis", "per-process"])
def gunicorn_url(request, transactional_db):
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url(),
        "PAGE_CACHE_SECONDS": "300",
    }
    env.pop("REDIS_URL", None)
    if request.param == "redis":
        env["REDIS_URL"] = "redis://127.0.0.1:6379/15"
        import redis

        redis.Redis.from_url(env["REDIS_URL"]).flushdb()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(url + "/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("gunicorn did not start within 10 s")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def fetch(opener, url, data=None):
    encoded = urllib.parse.urlencode(data).encode() if data else None
    with opener.open(url, data=encoded, timeout=10) as response:
        return response.read().decode(), response.headers


def test_a_publish_through_one_worker_is_seen_through_every_worker(gunicorn_url):
    draft = PostFactory(title="Multiprocess draft")
    PostFactory(published=True, title="Already public")
    UserFactory(username="chief", is_staff=True, is_superuser=True, password="pw-for-chief-1")
    reader = urllib.request.build_opener()
    for _ in range(REQUESTS_PER_CHECK):
        body, _ = fetch(reader, gunicorn_url + "/")
        assert "Already public" in body
        assert "Multiprocess draft" not in body

    jar = http.cookiejar.CookieJar()
    curator = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    login_page, _ = fetch(curator, gunicorn_url + "/admin/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login_page).group(1)
    fetch(
        curator,
        gunicorn_url + "/admin/login/?next=/admin/",
        {"csrfmiddlewaretoken": token, "username": "chief", "password": "pw-for-chief-1"},
    )
    changelist, _ = fetch(curator, gunicorn_url + "/admin/reviews/post/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', changelist).group(1)
    fetch(
        curator,
        gunicorn_url + "/admin/reviews/post/",
        {"csrfmiddlewaretoken": token, "action": "publish", "_selected_action": draft.pk},
    )
    assert Post.objects.get(pk=draft.pk).status == Post.Status.PUBLISHED

    bodies = [fetch(reader, gunicorn_url + "/")[0] for _ in range(REQUESTS_PER_CHECK)]
    assert all("Multiprocess draft" in body for body in bodies)
