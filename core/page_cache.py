"""Whole-page cache for anonymous readers, invalidated by any content change.

A page is stored under the current content version (see ContentVersion), so a save, publish or
delete anywhere makes every cached page unreachable at once, in every process. Scheduled posts
change what is public without a save, so no page outlives the next scheduled publication.

The version is stored beside the page rather than in its key, so with Redis a hit is one
round trip (the state and the page in one MGET). Stored pages carry an ETag, a Last-Modified
date (ConditionalGetMiddleware answers conditional requests with 304) and a public
Cache-Control, so a browser, CDN or reverse proxy may keep them for a short while.
"""

import hashlib
import secrets

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Subquery
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control, set_response_etag
from django.utils.http import http_date

from core.models import ContentVersion
from core.side_effects import run_or_defer
from reviews.models import Post

EXCLUDED_PREFIXES = ("/admin/", "/_nested_admin/", "/healthz", "/static/", "/media/")
CONTENT_APPS = {"papers", "reviews", "taggit"}
KEPT_HEADERS = (
    "Content-Type",
    "Content-Disposition",
    "Last-Modified",
    "Link",
    "ETag",
    "Cache-Control",
)
STATE_KEY = "page-cache-state"
STATE_SECONDS = 2


def bump_content_version(**kwargs):
    sender = kwargs.get("sender")
    if sender is ContentVersion or sender._meta.app_label not in CONTENT_APPS:
        return
    run_or_defer("page-cache-version", _write_new_version)


def _write_new_version(_items=None):
    # A fresh random number rather than +1: a rollback or a restored backup can never bring
    # back a number that old cached pages were stored under.
    number = secrets.randbits(62)
    if not ContentVersion.objects.filter(pk=1).update(number=number):
        ContentVersion.objects.update_or_create(pk=1, defaults={"number": number})
    if shared_cache():
        transaction.on_commit(publish_state)


def connect_signals():
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(bump_content_version, dispatch_uid=f"page-cache-{signal!r}")


def shared_cache():
    """True when every process shares the cache (Redis), so the version can live there too."""
    return settings.CACHES["default"]["BACKEND"].endswith("RedisCache")


def database_state():
    """(version, when the next scheduled post goes live or None), in one query."""
    next_post = Post.objects.scheduled().order_by("published_at")
    row = (
        ContentVersion.objects.filter(pk=1)
        .annotate(next_at=Subquery(next_post.values("published_at")[:1]))
        .values_list("number", "next_at")
        .first()
    )
    return row or (0, None)


def publish_state():
    """After a commit, put the database's current state in the shared cache for every worker."""
    cache.set(STATE_KEY, database_state(), STATE_SECONDS)


def current_state(state=None):
    """The key version (content version and next publication) and seconds until that publication.

    With a shared cache a hit costs no database query: writers publish the new state after
    their commit, and the short lifetime bounds the harm of two writers racing; `state` is
    what the caller already read from it. With a per-process cache only the database can
    tell another process's change, so it is asked.
    """
    now = timezone.now()
    if state is None or (state[1] is not None and state[1] <= now):
        state = database_state()
        if shared_cache():
            cache.add(STATE_KEY, state, STATE_SECONDS)
    number, next_at = state
    seconds = None if next_at is None else max(1, int((next_at - now).total_seconds()))
    # The next publication time is part of the key: once it passes, pages stored before it are
    # never served again, whatever the cache's own expiry clock says.
    version = f"{number}.{int(next_at.timestamp()) if next_at else 0}"
    return version, seconds


def cache_key(request):
    digest = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return f"page:{request.method}:{digest}"


def lookup(key):
    """(version, seconds to the next publication, the page stored under `key` or None).

    One round trip to a shared cache: the state and the page are read together, and a page
    stored under another version is no page.
    """
    if shared_cache():
        found = cache.get_many([STATE_KEY, key])
        state, page = found.get(STATE_KEY), found.get(key)
    else:
        state, page = None, cache.get(key)
    version, seconds = current_state(state)
    if page is not None and page[0] != version:
        page = None
    return version, seconds, page


def make_public(response, seconds):
    """Validators and a public Cache-Control on a page any anonymous reader may get."""
    set_response_etag(response)
    if not response.has_header("Last-Modified"):
        response["Last-Modified"] = http_date()
    patch_cache_control(
        response,
        public=True,
        max_age=min(settings.PUBLIC_MAX_AGE, seconds),
        s_maxage=min(settings.PUBLIC_S_MAXAGE, seconds),
    )


class PageCacheMiddleware:
    """Anonymous readers (no session cookie) get cached pages; everyone else goes through."""

    def __init__(self, get_response):
        self.get_response = get_response

    @property
    def timeout(self):
        return settings.PAGE_CACHE_SECONDS

    def cacheable_request(self, request):
        return (
            self.timeout > 0
            and request.method in ("GET", "HEAD")
            and not request.path_info.startswith(EXCLUDED_PREFIXES)
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
        )

    def __call__(self, request):
        if not self.cacheable_request(request):
            return self.get_response(request)
        key = cache_key(request)
        version, seconds_to_next_post, hit = lookup(key)
        if hit is not None:
            _, content, status, headers = hit
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response[name] = value
            response["X-Page-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and "no-cache" not in response.get("Cache-Control", "")
            and "private" not in response.get("Cache-Control", "")
        ):
            timeout = min(self.timeout, seconds_to_next_post or self.timeout)
            make_public(response, timeout)
            headers = [(h, response[h]) for h in KEPT_HEADERS if response.has_header(h)]
            cache.set(key, (version, response.content, response.status_code, headers), timeout)
            response["X-Page-Cache"] = "miss"
        return response
