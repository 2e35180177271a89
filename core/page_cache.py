"""Whole-page cache for anonymous readers, invalidated by any content change.

A page is stored under the current content version (see ContentVersion), so a save, publish or
delete anywhere makes every cached page unreachable at once, in every process. Scheduled posts
change what is public without a save, so no page outlives the next scheduled publication.

PageCacheMiddleware is the first middleware after the request id: a hit is answered before
security headers, CSP, sessions, CSRF, authentication or messages are consulted, because the
stored page already carries every header those added to it (a hit re-sends them as stored). The
API's pages are cached by ApiPageCacheMiddleware below the API's rate limit and CORS instead.

The version is stored beside the page rather than in its key, so with Redis a hit is one
round trip (the state and the page in one MGET, core.cache.read_many). Stored pages carry an
ETag, a Last-Modified date (a hit answers conditional requests with 304 itself) and a public
Cache-Control with s-maxage and stale-while-revalidate, so a browser, CDN or reverse proxy may
keep them for a short while; none is told to keep a page past the next scheduled publication.
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
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag
from django.utils.http import http_date, parse_http_date_safe
from redis.exceptions import RedisError

from core.cache import read_many
from core.models import ContentVersion
from core.security import hostile_query
from core.side_effects import run_or_defer
from reviews.models import Post

EXCLUDED_PREFIXES = ("/admin/", "/healthz", "/static/", "/media/")
CONTENT_APPS = {"papers", "reviews", "taggit"}
# The API's stored headers (lower case, as Django keys them); the API's middleware adds its own.
KEPT_HEADERS = (
    "content-type",
    "content-disposition",
    "last-modified",
    "link",
    "etag",
    "cache-control",
)
# Headers a page gets anew on every request, hit or miss, so never stored.
PER_REQUEST_HEADERS = {"x-request-id", "x-page-cache", "set-cookie", "date"}
# A hit without any of these needs no validator parsed.
CONDITIONAL_HEADERS = (
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_MATCH",
    "HTTP_IF_UNMODIFIED_SINCE",
)
STATE_KEY = "page-cache-state"
# Part of every page's key: a deploy that changes what an entry holds never reads the old ones.
ENTRY_FORMAT = 2
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
        """`method` of the cache (a name) or a function, called with `args`."""
        if self.down_since is not None and time.monotonic() < self.retry_at:
            return default
        try:
            result = (method if callable(method) else getattr(cache, method))(*args)
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
    return f"page:{ENTRY_FORMAT}:{request.method}:{digest}"


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
        state, page = guard.call(read_many, (STATE_KEY, key), default=(None, None))
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
    patch_public_cache_control(response, seconds)


def patch_public_cache_control(response, seconds):
    """max-age, s-maxage and stale-while-revalidate, none reaching past `seconds` from now.

    A shared cache may serve a page stale for stale-while-revalidate seconds after s-maxage
    while it asks the site again, so the two together stay within the time left before the
    next scheduled publication (and the page's own lifetime here); 0 says "not stale at all".
    """
    s_maxage = min(settings.PUBLIC_S_MAXAGE, seconds)
    patch_cache_control(
        response,
        public=True,
        max_age=min(settings.PUBLIC_MAX_AGE, seconds),
        s_maxage=s_maxage,
        stale_while_revalidate=min(settings.PUBLIC_STALE_WHILE_REVALIDATE, seconds - s_maxage),
    )


def horizon():
    """How far ahead a stored page's Cache-Control may reach at most."""
    return max(
        settings.PUBLIC_MAX_AGE, settings.PUBLIC_S_MAXAGE + settings.PUBLIC_STALE_WHILE_REVALIDATE
    )


class PageCacheMiddleware:
    """Anonymous readers (no session cookie) get cached pages; everyone else goes through.

    It stores every header of the response the rest of the chain made, except those that
    belong to one request (PER_REQUEST_HEADERS, added again above it); a hit rebuilds none.
    """

    # The API's hits must pass its rate limit first: ApiPageCacheMiddleware caches those.
    excluded_prefixes = (*EXCLUDED_PREFIXES, "/api/")
    only_prefix = None

    def __init__(self, get_response):
        self.get_response = get_response

    @property
    def timeout(self):
        return settings.PAGE_CACHE_SECONDS

    def cacheable_request(self, request):
        path = request.path_info
        return (
            self.timeout > 0
            and request.method in ("GET", "HEAD")
            and not path.startswith(self.excluded_prefixes)
            and (self.only_prefix is None or path.startswith(self.only_prefix))
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            # SecurityMiddleware below redirects to HTTPS; a hit must not answer instead.
            and (request.is_secure() or not settings.SECURE_SSL_REDIRECT)
        )

    def __call__(self, request):
        if not self.cacheable_request(request):
            return self.get_response(request)
        query, extra = known_query(request) if request.META.get("QUERY_STRING") else ("", False)
        if query is None or (extra and hostile_query(request)):
            return self.get_response(request)
        # A cached page must not skip ALLOWED_HOSTS: DisallowedHost here answers 400.
        request.get_host()
        key = cache_key(request, query)
        version, seconds_to_next_post, hit = lookup(key)
        if hit is not None:
            return self.answer_hit(request, hit, seconds_to_next_post)
        response = self.get_response(request)
        if (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and "no-cache" not in response.get("Cache-Control", "")
            and "private" not in response.get("Cache-Control", "")
            and len(response.content) <= MAX_PAGE_BYTES
            and getattr(request, "_csp_nonce", None) is None  # a nonce is for one response
            and not extra
        ):
            timeout = min(self.timeout, seconds_to_next_post or self.timeout)
            if not may_store(request, version, timeout):
                return response
            make_public(response, timeout)
            guard.call("set", key, self.entry(version, response), timeout)
            response["X-Page-Cache"] = "miss"
            if request.method == "GET":
                response = conditional(request, response)
        return response

    def stored_headers(self, response):
        return {
            lower: pair
            for lower, pair in response.headers._store.items()
            if lower not in PER_REQUEST_HEADERS
        }

    def entry(self, version, response):
        """What is stored: the headers as Django keeps them (name and value already checked
        and encoded), so a hit copies one dict instead of setting each header again."""
        return (version, response.content, response.status_code, self.stored_headers(response))

    def answer_hit(self, request, hit, seconds_to_next_post):
        _, content, status, headers = hit
        response = HttpResponse(content, status=status)
        response.headers._store = {**headers, "x-page-cache": ("X-Page-Cache", "hit")}
        if seconds_to_next_post is not None and seconds_to_next_post < horizon():
            patch_public_cache_control(response, seconds_to_next_post)
        if request.method == "GET" and any(h in request.META for h in CONDITIONAL_HEADERS):
            return conditional(request, response)
        return response


class ApiPageCacheMiddleware(PageCacheMiddleware):
    """The API's pages, cached below ApiMiddleware: its rate limit, CORS headers and 304 apply
    to hits and misses alike, so only the body and its own headers are stored."""

    excluded_prefixes = EXCLUDED_PREFIXES
    only_prefix = "/api/"

    def stored_headers(self, response):
        store = response.headers._store
        return {lower: store[lower] for lower in KEPT_HEADERS if lower in store}


def conditional(request, response):
    """304 (or 412) for a conditional GET the page's validators answer, as
    ConditionalGetMiddleware would below; the response itself otherwise."""
    modified = response.get("Last-Modified")
    return get_conditional_response(
        request,
        etag=response.get("ETag"),
        last_modified=modified and parse_http_date_safe(modified),
        response=response,
    )
