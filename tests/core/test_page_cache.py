"""Anonymous readers get cached pages; any change shows at once, in every process."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from reviews.models import Post
from reviews.workflow.roles import CURATORS
from tests.factories import PostFactory, staff_member

pytestmark = pytest.mark.django_db(transaction=True)
HOME = "/"
REDIS_TEST_URL = "redis://127.0.0.1:6379/13"


@pytest.fixture(autouse=True, params=["per-process cache", "redis cache"])
def cache_mode(request, settings):
    """Every behaviour holds with the embedded cache and with Redis shared between servers."""
    settings.PAGE_CACHE_SECONDS = 300
    if request.param == "redis cache":
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": REDIS_TEST_URL,
            }
        }
        from django.core.cache import cache

        cache.clear()
    return request.param


def test_a_repeated_anonymous_request_is_served_from_the_cache(
    client, django_assert_max_num_queries, cache_mode
):
    PostFactory(published=True, title="Cached review")
    first = client.get(HOME)
    assert first["X-Page-Cache"] == "miss"
    with django_assert_max_num_queries(0 if cache_mode == "redis cache" else 1):
        second = client.get(HOME)
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert "Content-Security-Policy" in second


def test_query_strings_are_cached_separately(client):
    PostFactory(published=True)
    client.get(HOME)
    assert client.get(HOME + "?page=1")["X-Page-Cache"] == "miss"


def test_an_edit_shows_up_at_once(client):
    post = PostFactory(published=True, title="Old title")
    assert b"Old title" in client.get(HOME).content
    post.title = "New title"
    post.save()
    response = client.get(HOME)
    assert response["X-Page-Cache"] == "miss"
    assert b"New title" in response.content
    assert b"Old title" not in response.content


def test_publishing_and_deleting_show_up_at_once(client):
    draft = PostFactory(title="Fresh draft")
    assert b"Fresh draft" not in client.get(HOME).content
    draft.status = Post.Status.PUBLISHED
    draft.save()
    assert b"Fresh draft" in client.get(HOME).content
    draft.delete()
    assert b"Fresh draft" not in client.get(HOME).content


def test_a_tag_change_shows_up_at_once(client):
    post = PostFactory(published=True)
    client.get(post.get_absolute_url())
    post.tags.add("genomics")
    assert client.get(post.get_absolute_url())["X-Page-Cache"] == "miss"


def test_a_scheduled_post_appears_when_due_without_any_save(client):
    PostFactory(
        title="Scheduled review",
        status=Post.Status.PUBLISHED,
        published_at=timezone.now() + datetime.timedelta(hours=1),
    )
    assert b"Scheduled review" not in client.get(HOME).content
    assert client.get(HOME)["X-Page-Cache"] == "hit"
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=1, seconds=1), tick=False):
        assert b"Scheduled review" in client.get(HOME).content


def test_signed_in_users_and_draft_previews_are_never_cached(client):
    draft = PostFactory(title="Secret draft")
    # A curator: previewing a draft needs the right to change it (can_preview_post).
    client.force_login(staff_member("staff", CURATORS))
    preview = client.get(draft.get_absolute_url())
    assert b"Secret draft" in preview.content
    assert "X-Page-Cache" not in preview
    client.logout()
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_the_admin_is_never_cached(client):
    assert "X-Page-Cache" not in client.get(reverse("admin:login"))


def test_a_conditional_get_of_an_unchanged_page_is_answered_304_without_a_body(client):
    PostFactory(published=True, title="Cached review")
    first = client.get(HOME)
    assert first["X-Page-Cache"] == "miss"
    for validator in (
        {"if_none_match": first["ETag"]},
        {"if_modified_since": first["Last-Modified"]},
    ):
        again = client.get(HOME, headers=validator)
        assert (again.status_code, again.content, again["ETag"]) == (304, b"", first["ETag"])


def test_a_publish_changes_the_etag(client):
    PostFactory(published=True, title="First review")
    before = client.get(HOME)["ETag"]
    PostFactory(published=True, title="Second review")
    after = client.get(HOME, headers={"if_none_match": before})
    assert after.status_code == 200
    assert b"Second review" in after.content
    assert after["ETag"] != before


def test_public_pages_may_be_kept_by_a_cdn_and_hits_say_so_too(client, settings):
    settings.PUBLIC_S_MAXAGE = 60
    settings.PUBLIC_STALE_WHILE_REVALIDATE = 30
    PostFactory(published=True)
    miss, hit = client.get(HOME), client.get(HOME)
    assert (
        miss["Cache-Control"]
        == hit["Cache-Control"]
        == "public, max-age=0, s-maxage=60, stale-while-revalidate=30"
    )
    assert hit["ETag"] == miss["ETag"]


def test_no_cdn_is_told_to_keep_a_page_past_the_next_scheduled_publication(client, settings):
    settings.PUBLIC_S_MAXAGE = 60
    settings.PUBLIC_STALE_WHILE_REVALIDATE = 30
    now = timezone.now()
    PostFactory(published=True)
    PostFactory(status=Post.Status.PUBLISHED, published_at=now + datetime.timedelta(seconds=80))
    with time_machine.travel(now, tick=False):
        miss = client.get(HOME)
    with time_machine.travel(now + datetime.timedelta(seconds=50), tick=False):
        hit = client.get(HOME)
    assert miss["Cache-Control"] == "public, max-age=0, s-maxage=60, stale-while-revalidate=20"
    assert hit["X-Page-Cache"] == "hit"
    assert hit["Cache-Control"] == "public, max-age=0, s-maxage=30, stale-while-revalidate=0"


def test_a_hit_resends_every_header_of_the_page_and_a_request_id_of_its_own(client):
    PostFactory(published=True)
    miss, hit = client.get(HOME), client.get(HOME, headers={"x-request-id": "reader-0000042"})
    assert hit["X-Page-Cache"] == "hit"
    own = {"X-Request-ID", "X-Page-Cache"}
    assert {k: v for k, v in hit.items() if k not in own} == {
        k: v for k, v in miss.items() if k not in own
    }
    for name in ("Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options"):
        assert hit[name], name
    assert hit["X-Request-ID"] == "reader-0000042"
    assert miss["X-Request-ID"] != hit["X-Request-ID"]


def test_a_session_cookie_or_a_post_never_gets_a_cached_page(client, settings):
    PostFactory(published=True)
    client.get(HOME)
    assert client.get(HOME)["X-Page-Cache"] == "hit"
    client.cookies[settings.SESSION_COOKIE_NAME] = "any-session"
    assert "X-Page-Cache" not in client.get(HOME)
    del client.cookies[settings.SESSION_COOKIE_NAME]
    assert "X-Page-Cache" not in client.post(HOME)


def test_a_hit_does_not_answer_an_http_request_the_site_redirects_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True  # before the first request builds the middleware
    PostFactory(published=True)
    secure = client.get(HOME, secure=True)
    assert (secure.status_code, secure["X-Page-Cache"]) == (200, "miss")
    assert client.get(HOME, secure=True)["X-Page-Cache"] == "hit"
    response = client.get(HOME)
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/"


def test_a_hostile_unknown_parameter_is_refused_even_when_the_page_is_cached(client):
    PostFactory(published=True)
    client.get("/papers/")
    assert client.get("/papers/?utm_source=x")["X-Page-Cache"] == "hit"
    refused = client.get("/papers/?utm_source=%00")
    assert refused.status_code == 400
    assert b"NUL bytes" in refused.content


def test_drafts_the_admin_and_signed_in_readers_get_no_public_cache_control(client):
    public = PostFactory(published=True)
    draft = PostFactory(title="Secret draft")
    assert "public" not in client.get(reverse("admin:login")).get("Cache-Control", "")
    client.force_login(staff_member("staff", CURATORS))
    for url in (draft.get_absolute_url(), public.get_absolute_url(), HOME):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "public" not in response.get("Cache-Control", ""), url


def test_a_hit_costs_one_round_trip_to_redis_and_none_without_it(client, cache_mode, monkeypatch):
    from redis.connection import AbstractConnection

    PostFactory(published=True)
    client.get(HOME)
    client.get(HOME)  # the state is in the cache now, as after any writer's commit
    sent = []
    real = AbstractConnection.send_packed_command
    monkeypatch.setattr(
        AbstractConnection,
        "send_packed_command",
        lambda self, command, *a, **k: sent.append(command) or real(self, command, *a, **k),
    )
    assert client.get(HOME)["X-Page-Cache"] == "hit"
    assert len(sent) == (1 if cache_mode == "redis cache" else 0)


def test_a_cached_page_still_refuses_a_host_outside_allowed_hosts(client, settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    PostFactory(published=True)
    client.get(HOME)
    assert client.get(HOME)["X-Page-Cache"] == "hit"
    response = client.get(HOME, headers={"host": "evil.example"})
    assert response.status_code == 400
    assert "X-Page-Cache" not in response


def test_unknown_query_parameters_are_served_the_page_without_them(client):
    PostFactory(published=True, title="Shared page")
    first = client.get("/papers/?decision=oral")
    tracked = client.get("/papers/?utm_source=newsletter&decision=oral&fbclid=x")
    assert tracked["X-Page-Cache"] == "hit"
    assert tracked.content == first.content


def test_a_request_with_unknown_parameters_is_never_stored(client):
    PostFactory(published=True)
    junk = client.get("/papers/?utm_source=%3Cjunk%3E")
    assert junk.status_code == 200
    assert "X-Page-Cache" not in junk
    clean = client.get("/papers/")
    assert clean["X-Page-Cache"] == "miss"
    assert b"junk" not in clean.content


def test_one_path_stores_a_bounded_number_of_pages(client, monkeypatch):
    monkeypatch.setattr("core.page_cache.MAX_PAGES_PER_PATH", 3)
    urls = [f"/search/?q=term{i}" for i in range(5)]
    for url in urls:
        client.get(url)
    assert [client.get(url).get("X-Page-Cache") for url in urls] == ["hit"] * 3 + [None] * 2


def test_an_entry_the_previous_release_stored_is_never_read(client):
    import hashlib

    from django.core.cache import cache

    from core.page_cache import current_state

    PostFactory(published=True, title="Current format")
    version, _ = current_state()
    old_key = f"page:GET:{hashlib.sha256(b'/?').hexdigest()}"  # before ENTRY_FORMAT
    cache.set(old_key, (version, b"old page", 200, [("Content-Type", "text/html")]), 60)
    response = client.get(HOME)
    assert response["X-Page-Cache"] == "miss"
    assert b"Current format" in response.content
