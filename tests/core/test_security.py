"""Security headers, login throttling and production settings."""

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def directives(response):
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


def test_public_pages_forbid_inline_script_and_style(client):
    response = client.get(reverse("reviews:post-list"))
    csp = directives(response)
    assert csp["script-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_admin_allows_inline_styles_but_never_inline_script(client):
    response = client.get(reverse("admin:login"))
    csp = directives(response)
    assert csp["script-src"] == ["'self'"]
    assert "'unsafe-inline'" in csp["style-src"]


def test_the_reused_policy_still_differs_between_admin_and_public_pages(client):
    pages = [reverse("reviews:post-list"), reverse("admin:login")] * 2
    styles = [directives(client.get(url))["style-src"] for url in pages]
    assert styles == [["'self'"], ["'self'", "'unsafe-inline'"]] * 2


def test_the_reused_policy_follows_changed_settings(client, settings):
    client.get(reverse("reviews:post-list"))
    settings.CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": {**settings.CONTENT_SECURITY_POLICY["DIRECTIVES"], "img-src": ["'self'"]}
    }
    assert directives(client.get(reverse("reviews:post-list")))["img-src"] == ["'self'"]


def test_every_response_carries_a_request_id(client):
    response = client.get(reverse("reviews:post-list"), HTTP_X_REQUEST_ID="trace-abc-12345")
    assert response["X-Request-ID"] == "trace-abc-12345"
    forged = client.get(reverse("reviews:post-list"), HTTP_X_REQUEST_ID="bad id\nInjected: yes")
    assert forged["X-Request-ID"] != "bad id\nInjected: yes"
    assert len(forged["X-Request-ID"]) == 32


def test_log_lines_are_json_with_the_request_id(client, caplog):
    from core.request_id import RequestIdFilter

    caplog.handler.addFilter(RequestIdFilter())
    with caplog.at_level(logging.WARNING, logger="django.request"):
        client.get("/no-such-page/", HTTP_X_REQUEST_ID="trace-404-000001")
    record = next(r for r in caplog.records if r.name == "django.request")
    assert record.request_id == "trace-404-000001"
    from pythonjsonlogger.json import JsonFormatter

    line = JsonFormatter("%(levelname)s %(request_id)s %(message)s").format(record)
    assert json.loads(line)["request_id"] == "trace-404-000001"


def test_admin_login_is_locked_after_repeated_failures(client):
    UserFactory(username="editor", is_staff=True, password="the right password")
    url = reverse("admin:login")
    statuses = [
        client.post(url, {"username": "editor", "password": "wrong"}).status_code for _ in range(5)
    ]
    assert statuses == [200, 200, 200, 200, 429]
    locked = client.post(url, {"username": "editor", "password": "the right password"})
    assert locked.status_code == 429
    assert b"locked" in locked.content.lower()
    assert "_auth_user_id" not in client.session


def test_admin_forms_require_csrf_tokens(curator):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(curator)
    response = strict.post(reverse("admin:reviews_post_add"), {"title": "No token"})
    assert response.status_code == 403


def test_check_deploy_is_clean_with_production_settings():
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DEBUG": "false",
        "SECRET_KEY": "x7#kq2!vL9s@pR4mZ8tW1yB6nC3dF5gH0jK-production-grade-secret",
        "ALLOWED_HOSTS": "reviews.example.org",
        "DATABASE_URL": "sqlite:///:memory:",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_refuse_to_start_without_a_secret_key():
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE")
    }
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.production"
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def test_a_server_error_is_logged_with_the_request_id_shown_to_the_reader(settings, caplog):
    from django.test import Client

    from core.request_id import RequestIdFilter

    settings.ROOT_URLCONF = "tests.error_urls"
    caplog.handler.addFilter(RequestIdFilter())
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get("/broken/", HTTP_X_REQUEST_ID="trace-500-000042")
    assert response.status_code == 500
    assert response["X-Request-ID"] == "trace-500-000042"
    assert "<code>trace-500-000042</code>" in response.content.decode()
    assert "deliberate failure" not in response.content.decode()
    record = next(r for r in caplog.records if r.levelno == logging.ERROR)
    assert record.request_id == "trace-500-000042"
    assert "deliberate failure" in record.exc_text or "deliberate failure" in str(record.exc_info)


@pytest.mark.parametrize(
    "url",
    [
        "/papers/?conference=%00",
        "/papers/?topic=genomics%00",
        "/?x%00=1",
        "/admin/reviews/post/?published_at__year=99999999999",
        "/admin/reviews/post/?published_at__month=1e3",
    ],
)
def test_unusable_query_parameters_answer_400(client, url):
    response = client.get(url)
    assert response.status_code == 400
    assert "X-Page-Cache" not in response


def test_an_anonymous_oversized_body_is_refused_before_it_is_read(client, settings):
    settings.ANONYMOUS_MAX_BODY_BYTES = 1024
    big = b"x" * 2048
    assert client.post("/search/", big, content_type="text/plain").status_code == 413
    assert client.post("/search/", b"x" * 512, content_type="text/plain").status_code == 405
    client.cookies[settings.SESSION_COOKIE_NAME] = "signed-in"
    assert client.post("/search/", big, content_type="text/plain").status_code == 405
