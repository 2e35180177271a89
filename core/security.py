"""Content-Security-Policy for the whole site.

Public pages get a strict policy (no inline script or style). The Django admin
still writes a few inline style attributes, so only there style-src also allows them; script-src
stays 'self' everywhere.
"""

from csp.constants import HEADER, HEADER_REPORT_ONLY, UNSAFE_INLINE
from csp.middleware import CheckableLazyObject, CSPMiddleware
from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest

ADMIN_PREFIXES = ("/admin/",)


class SiteCSPMiddleware(CSPMiddleware):
    """The policy headers are built once per kind of page (admin or not) and reused.

    django-csp builds both headers from the settings for every response (a quarter of a cached
    hit's time); they only differ when a view asked for a nonce or a per-response policy, and
    those responses still go through django-csp in full.
    """

    PER_RESPONSE = tuple(
        f"_csp_{kind}{ro}"
        for kind in ("config", "update", "replace", "exempt")
        for ro in ("", "_ro")
    )
    HEADERS = (HEADER, HEADER_REPORT_ONLY)

    def __init__(self, get_response):
        super().__init__(get_response)
        self._built = {}

    def process_response(self, request, response):
        if (
            settings.DEBUG
            or getattr(request, "_csp_nonce", None) is not None
            or any(hasattr(response, name) for name in self.PER_RESPONSE)
            or any(name in response for name in self.HEADERS)
            or self.excluded(request)
        ):
            return super().process_response(request, response)
        admin = request.path_info.startswith(ADMIN_PREFIXES)
        # The settings objects themselves are kept, so override_settings never meets a stale pair.
        sources = (
            settings.CONTENT_SECURITY_POLICY,
            getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None),
        )
        built = self._built.get(admin)
        if built is None or any(a is not b for a, b in zip(built[0], sources, strict=True)):
            response = super().process_response(request, response)
            headers = [(h, response[h]) for h in self.HEADERS if h in response]
            self._built[admin] = (sources, headers)
            return response
        for name, value in built[1]:
            response[name] = value
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response

    @staticmethod
    def excluded(request):
        prefixes = [
            prefix
            for name in ("CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY")
            for prefix in (getattr(settings, name, None) or {}).get("EXCLUDE_URL_PREFIXES", ())
        ]
        return bool(prefixes) and request.path_info.startswith(tuple(prefixes))

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if request.path_info.startswith(ADMIN_PREFIXES) and not report_only:
            config = parts.config or settings.CONTENT_SECURITY_POLICY
            style = list(config["DIRECTIVES"].get("style-src", []))
            parts.update = {**(parts.update or {}), "style-src": [*style, UNSAFE_INLINE]}
        return parts


DATE_PARTS = ("__year", "__month", "__day")


def hostile_query(request):
    """The 400 answer for query parameters no view can use and some databases choke on, or None.

    A NUL byte in any key or value (PostgreSQL refuses it in a string literal, 500 otherwise)
    and a date-hierarchy part (`published_at__year`) that is not a number of at most 4 digits
    (the admin builds a datetime from it and an out-of-range year raises OverflowError).
    """
    for key, values in request.GET.lists():
        if "\x00" in key or any("\x00" in value for value in values):
            return HttpResponseBadRequest("NUL bytes are not allowed in query parameters.")
        if key.endswith(DATE_PARTS) and not all(
            value.isdigit() and len(value) <= 4 for value in values
        ):
            return HttpResponseBadRequest(f"{key} must be a number of at most 4 digits.")
    return None


class HostileQueryMiddleware:
    """hostile_query's 400 on every path but the API's, which validates its own parameters and
    answers with a problem document instead. (core.page_cache asks too before a hit.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith("/api/"):
            return self.get_response(request)
        return hostile_query(request) or self.get_response(request)


class AnonymousBodyLimitMiddleware:
    """413 for an anonymous request body over ANONYMOUS_MAX_BODY_BYTES, before it is read.

    No public page takes uploads, so only a signed-in curator (a session cookie) or the admin's
    own login form may send more; without this an anonymous 200 MB multipart POST is spooled.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.SESSION_COOKIE_NAME not in request.COOKIES
            and not request.path_info.startswith(ADMIN_PREFIXES)
            and self.declared_length(request) > settings.ANONYMOUS_MAX_BODY_BYTES
        ):
            return HttpResponse("Request body too large.", status=413)
        return self.get_response(request)

    @staticmethod
    def declared_length(request):
        try:
            return int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return 0
