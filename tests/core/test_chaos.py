"""Faults in real processes: the site keeps serving when Redis is gone or a worker dies.

Each test starts its own gunicorn on a free port of 127.0.0.1 against the test database and
drives it with real HTTP requests, bounded to a few hundred requests (about 20 s at most).
"""

import contextlib
import http.client
import http.cookiejar
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from reviews.models import Post
from tests.factories import PostFactory, UserFactory
from tests.processes import ROOT, database_url, free_port

# What a client sees when the worker holding its connection is killed.
KILLED_CONNECTION = (
    ConnectionResetError,
    http.client.RemoteDisconnected,
    http.client.IncompleteRead,
)


@contextlib.contextmanager
def gunicorn(**environment):
    """A gunicorn master with two sync workers; yields (base URL, master process)."""
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url(),
        "PAGE_CACHE_SECONDS": "300",
        **environment,
    }
    if "REDIS_URL" not in environment:
        env.pop("REDIS_URL", None)
    command = [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--workers", "2"]
    command += ["--bind", f"127.0.0.1:{port}", "--log-level", "warning", "--timeout", "20"]
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(url + "/healthz", timeout=1)
                break
            except urllib.error.HTTPError:
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("gunicorn did not start within 15 s")
        yield url, process
    finally:
        process.terminate()
        process.wait(timeout=10)


def get(url):
    """(status, body) of one request on a connection of its own."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def workers(master: subprocess.Popen) -> set[int]:
    children = Path(f"/proc/{master.pid}/task/{master.pid}/children").read_text().split()
    return {int(pid) for pid in children}


def public_urls(post):
    return ["/", post.get_absolute_url(), "/papers/", "/feed/", "/sitemap.xml"]


def log_in(url, username, password):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    def fetch(path, data=None):
        encoded = urllib.parse.urlencode(data).encode() if data else None
        with opener.open(url + path, data=encoded, timeout=10) as response:
            return response.read().decode()

    page = fetch("/admin/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    fetch(
        "/admin/login/?next=/admin/",
        {"csrfmiddlewaretoken": token, "username": username, "password": password},
    )
    return fetch


@pytest.mark.django_db(transaction=True)
def test_with_redis_unreachable_every_page_answers_200_and_a_save_succeeds():
    post = PostFactory(published=True, title="Served without a cache")
    draft = PostFactory(title="Published while Redis is down")
    UserFactory(username="chief", is_staff=True, is_superuser=True, password="pw-for-chief-1")
    closed = f"redis://127.0.0.1:{free_port()}/0"  # bound and released: nothing listens there

    with gunicorn(REDIS_URL=closed) as (url, _master):
        statuses = [get(url + path)[0] for _ in range(30) for path in public_urls(post)]
        health_status, health = get(url + "/healthz")

        fetch = log_in(url, "chief", "pw-for-chief-1")
        changelist = fetch("/admin/reviews/post/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', changelist).group(1)
        answer = fetch(
            "/admin/reviews/post/",
            {"csrfmiddlewaretoken": token, "action": "publish", "_selected_action": draft.pk},
        )
        after = get(url + "/")

    print(
        f"\n{statuses.count(200)} of {len(statuses)} page requests answered 200 with Redis unreachable"
    )
    assert statuses == [200] * 150
    assert (health_status, b'"status": "degraded"' in health) == (200, True)
    assert Post.objects.get(pk=draft.pk).status == Post.Status.PUBLISHED
    assert "Published while Redis is down" in answer
    assert '<li class="success">Published 1 post(s).</li>' in answer
    assert after[0] == 200
    assert b"Published while Redis is down" in after[1]


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_load_costs_at_most_its_connection_and_is_replaced():
    post = PostFactory(published=True, title="Served through a crash")
    paths = public_urls(post)
    outcomes, stop = [], threading.Event()

    def load(base):
        n = 0
        while not stop.is_set():
            try:
                outcomes.append(get(base + paths[n % len(paths)])[0])
            except KILLED_CONNECTION as error:
                outcomes.append(type(error).__name__)
            except urllib.error.URLError as error:  # killed while the request was being sent
                outcomes.append(type(error.reason).__name__)
            n += 1

    with gunicorn() as (url, master):
        before = workers(master)
        threads = [threading.Thread(target=load, args=(url,)) for _ in range(4)]
        for thread in threads:
            thread.start()
        started = time.monotonic()
        while len(outcomes) < 40 and time.monotonic() < started + 15:
            time.sleep(0.05)
        victim = min(before)
        os.kill(victim, signal.SIGKILL)
        killed_at = len(outcomes)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and (
            len(workers(master)) < 2 or victim in workers(master)
        ):
            time.sleep(0.1)
        replaced = workers(master)
        target = len(outcomes) + 60
        while len(outcomes) < target and time.monotonic() < deadline + 10:
            time.sleep(0.05)
        stop.set()
        for thread in threads:
            thread.join(timeout=15)

    failures = [outcome for outcome in outcomes if outcome != 200]
    print(
        f"\n{len(outcomes) - len(failures)} of {len(outcomes)} requests answered 200 around a SIGKILL: {failures}"
    )
    assert len(outcomes) > killed_at + 60
    assert len(failures) <= 1, failures
    assert all(failure in {e.__name__ for e in KILLED_CONNECTION} for failure in failures)
    assert victim not in replaced
    assert len(replaced) == 2
    assert before - {victim} <= replaced
