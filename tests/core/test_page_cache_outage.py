"""With Redis unreachable the site serves every page uncached, saves succeed, /healthz says so."""

import logging

import pytest

from core.page_cache import guard
from reviews.models import Post
from reviews.workflow.editing import save_post
from reviews.workflow.roles import CURATORS
from tests.factories import PostFactory, staff_member

pytestmark = pytest.mark.django_db(transaction=True)
CLOSED_PORT_URL = "redis://127.0.0.1:1/0"


@pytest.fixture(autouse=True)
def redis_down(settings):
    """The production cache settings, pointed at a port where nothing listens."""
    settings.PAGE_CACHE_SECONDS = 300
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CLOSED_PORT_URL,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    guard.reset()
    yield
    guard.reset()


def test_every_anonymous_page_answers_200_uncached_when_redis_is_down(client, caplog):
    PostFactory(published=True, title="Readable without a cache").tags.add("genomics")
    urls = [
        "/",
        "/?page=1",
        "/papers/",
        "/conferences/",
        "/tags/",
        "/tags/genomics/",
        "/feed/",
        "/feed/atom/",
        "/sitemap.xml",
        "/robots.txt",
        "/search/?q=readable",
        Post.objects.get().get_absolute_url(),
    ]
    with caplog.at_level(logging.WARNING, logger="core.page_cache"):
        responses = [client.get(url) for url in urls * 3]
    assert [r.status_code for r in responses] == [200] * len(urls) * 3
    assert {r.get("X-Page-Cache") for r in responses} == {None}
    assert b"Readable without a cache" in client.get("/").content
    outage_lines = [r for r in caplog.records if r.name == "core.page_cache"]
    assert len(outage_lines) == 1
    assert "unreachable" in outage_lines[0].getMessage()


def test_a_save_through_the_service_succeeds_when_redis_is_down():
    curator = staff_member("curator", CURATORS)
    post = PostFactory(title="Before the outage")
    post.title = "Saved during the outage"
    post.status = Post.Status.PUBLISHED
    save_post(post=post, by=curator, expected_version=post.version)
    assert Post.objects.get().title == "Saved during the outage"


def test_healthz_reports_the_cache_down_but_answers_200(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["database"] == "ok"
    assert body["storage"] == "ok"
    assert body["cache"].startswith("error:")
