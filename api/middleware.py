"""What every API answer gets, cache hit or not: a per-address rate limit (429, Retry-After),
open CORS for reading, and an ETag with 304 for a matching If-None-Match.

It sits above core.page_cache in MIDDLEWARE: the page cache keeps only the body and Content-Type
of a 200, so the headers are added here on hits and misses alike, and a client over its limit is
refused before the cache serves it.
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, set_response_etag

from api.problems import PROBLEM_TYPE, problem

PREFIX = "/api/"
READ_METHODS = ("GET", "HEAD")
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "If-None-Match",
    "Access-Control-Expose-Headers": "ETag, Retry-After",
    "Access-Control-Max-Age": "86400",
}
WINDOW_SECONDS = 60


def over_limit(request) -> int | None:
    """Seconds to wait when this address spent its requests of the current minute, else None."""
    limit = settings.API_RATE_LIMIT
    if not limit:
        return None
    now = int(time.time())
    window = now // WINDOW_SECONDS
    key = f"api-rate:{request.META.get('REMOTE_ADDR', '')}:{window}"
    cache.add(key, 0, WINDOW_SECONDS + 1)
    try:
        used = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW_SECONDS + 1)
        used = 1
    if used <= limit:
        return None
    return (window + 1) * WINDOW_SECONDS - now or 1


class ApiMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith(PREFIX):
            return self.get_response(request)
        if request.method == "OPTIONS":
            response = HttpResponse(status=204)
            response["Allow"] = "GET, HEAD, OPTIONS"
        elif (wait := over_limit(request)) is not None:
            response = problem(
                429,
                f"Too many requests from this address; retry in {wait} s.",
                Retry_After=str(wait),
            )
        else:
            head = request.method == "HEAD"
            if head:  # operations are declared for GET; HEAD is GET without the body
                request.method = "GET"
            response = self.plain_errors_as_problems(self.get_response(request))
            if head:
                request.method = "HEAD"
            if request.method in READ_METHODS and response.status_code == 200:
                if not response.streaming:
                    set_response_etag(response)
                response = get_conditional_response(
                    request, etag=response.get("ETag"), response=response
                )
            if head:
                response.content = b""
        for name, value in CORS_HEADERS.items():
            response[name] = value
        response.headers.pop("Access-Control-Allow-Credentials", None)
        return response

    @staticmethod
    def plain_errors_as_problems(response):
        """Django's own 404 and 405 pages (outside ninja's handlers) as problem documents."""
        if response.get("Content-Type") == PROBLEM_TYPE:
            return response
        if response.status_code == 404:
            return problem(404, "No API operation at this address; see /api/v1/docs/.")
        if response.status_code == 405:
            return problem(405, "This API is read-only: use GET.", Allow=response["Allow"])
        return response
