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
import logging
import secrets
import time
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Subquery
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control, set_response_etag
from django.utils.http import http_date
from redis.exceptions import RedisError

from core.models import ContentVersion
from core.side_effects import run_or_defer
from reviews.models import Post

EXCLUDED_PREFIXES = ("/admin/", "/healthz", "/static/", "/media/")
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
# The query parameters each listed path's view reads; only these are part of a page's key. A
# request with others (utm_source...) is served the page stored without them and never stored
# itself, so junk parameters neither multiply the stored pages nor reach other readers' pages.
# On any other path a parameter beyond "page" bypasses the cache (the API's filters, say).
# A listed view that starts reading a new parameter adds it here.
QUERY_PARAMETERS = {
    "/papers/": ("conference", "year", "topic", "decision", "outcome", "sort", "page"),
    "/authors/": ("q", "page"),
    "/search/": ("q", "type", "conference", "year", "tag", "page"),
}
DEFAULT_QUERY_PARAMETERS = ("page",)
# Bounds on what the cache holds for one path (per content version) and for one page.
MAX_PAGES_PER_PATH = 200
MAX_PAGE_BYTES = 2 * 1024 * 1024
# An unreachable cache is retried this often; in between, pages are served uncached at once.
RETRY_SECONDS = 5
CACHE_ERRORS = (RedisError, OSError)

logger = logging.getLogger(__name__)


class CacheGuard:
    """Cache calls that treat an unreachable cache as a miss: the site degrades, never fails.

    The outage is logged once when it starts and once when it ends, not per request, and the
    cache is not asked again for RETRY_SECONDS, so a dead Redis costs no connect per request.
    """

    def __init__(self):
        self.reset()

    def reset(self):
        self.down_since = None
        self.retry_at = 0.0

    def call(self, method, *args, default=None):
        if self.down_since is not None and time.monotonic() < self.retry_at:
            return default
        try:
            result = getattr(cache, method)(*args)
        except CACHE_ERRORS as exc:
            if self.down_since is None:
                self.down_since = time.monotonic()
                logger.error("Page cache unreachable, serving pages uncached: %s", exc)
            self.retry_at = time.monotonic() + RETRY_SECONDS
            return default
        if self.down_since is not None:
            logger.warning("Page cache reachable again after %.0f s", self.elapsed())
            self.reset()
        return result

    def elapsed(self):
        return time.monotonic() - self.down_since


guard = CacheGuard()


def bump_content_version(**kwargs):
    sender = kwargs.get("sender")
    if sender is ContentVersion or sender._meta.app_label not in CONTENT_APPS:
        return
    if getattr(kwargs.get("instance"), "changes_no_public_page", False):
        return  # e.g. a reader's video suggestion, public only once a curator approves it
    run_or_defer("page-cache-version", _write_new_version, once=True)


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
    guard.call("set", STATE_KEY, database_state(), STATE_SECONDS)


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
            guard.call("add", STATE_KEY, state, STATE_SECONDS)
    number, next_at = state
    seconds = None if next_at is None else max(1, int((next_at - now).total_seconds()))
    # The next publication time is part of the key: once it passes, pages stored before it are
    # never served again, whatever the cache's own expiry clock says.
    version = f"{number}.{int(next_at.timestamp()) if next_at else 0}"
    return version, seconds


def known_query(request):
    """(the key's query string, whether the request had parameters left out of it); the query
    string is None when the request must bypass the cache."""
    known = QUERY_PARAMETERS.get(request.path)
    pairs = sorted((k, v) for k, values in request.GET.lists() for v in values)
    if known is None:
        known = DEFAULT_QUERY_PARAMETERS
        if any(k not in known for k, _ in pairs):
            return None, True
    kept = [(k, v) for k, v in pairs if k in known]
    return urlencode(kept), len(kept) < len(pairs)


def cache_key(request, query):
    digest = hashlib.sha256(f"{request.path}?{query}".encode()).hexdigest()
    return f"page:{request.method}:{digest}"


def may_store(request, version, timeout):
    """False once this path already holds MAX_PAGES_PER_PATH pages for this version."""
    path = hashlib.sha256(request.path.encode()).hexdigest()
    counter = f"page-count:{version}:{path}"
    guard.call("add", counter, 0, timeout)
    try:
        count = guard.call("incr", counter)
    except ValueError:  # the counter expired between add and incr
        return False
    return count is not None and count <= MAX_PAGES_PER_PATH


def lookup(key):
    """(version, seconds to the next publication, the page stored under `key` or None).

    One round trip to a shared cache: the state and the page are read together, and a page
    stored under another version is no page.
    """
    if shared_cache():
        found = guard.call("get_many", [STATE_KEY, key], default={})
        state, page = found.get(STATE_KEY), found.get(key)
    else:
        state, page = None, guard.call("get", key)
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
        query, extra = known_query(request)
        if query is None:
            return self.get_response(request)
        # A cached page must not skip ALLOWED_HOSTS: DisallowedHost here answers 400.
        request.get_host()
        key = cache_key(request, query)
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
            and len(response.content) <= MAX_PAGE_BYTES
            and not extra
        ):
            timeout = min(self.timeout, seconds_to_next_post or self.timeout)
            if not may_store(request, version, timeout):
                return response
            make_public(response, timeout)
            headers = [(h, response[h]) for h in KEPT_HEADERS if response.has_header(h)]
            entry = (version, response.content, response.status_code, headers)
            guard.call("set", key, entry, timeout)
            response["X-Page-Cache"] = "miss"
        return response
