"""The client's address behind trusted reverse proxies, decided once for every consumer.

Each trusted proxy (the compose file's, a CDN's) appends the address it received the request
from to X-Forwarded-For, so with N of them the client is the Nth entry from the right; anything
further left was written by the client and proves nothing. With `TRUSTED_PROXY_COUNT = 0` (the
default, for a site served without a proxy) the header is ignored. The middleware rewrites
`REMOTE_ADDR`, so the API's rate limit, the sign-in lockout (django-axes) and the logs all key
on the same address.

(django-ipware was considered: its `proxy_count` expects the last proxy's own address in the
header, and answers None for the usual one-proxy chain, so the rule is stated here instead.)
"""

import ipaddress

from django.conf import settings

HEADER = "HTTP_X_FORWARDED_FOR"


def forwarded_client(forwarded_for: str, *, proxies: int) -> str | None:
    """The address `proxies` trusted hops saw, from the right of an X-Forwarded-For value."""
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    if proxies <= 0 or len(hops) < proxies:
        return None
    candidate = hops[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return None


class ForwardedForMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        proxies = settings.TRUSTED_PROXY_COUNT
        forwarded = request.META.get(HEADER) if proxies else None
        if forwarded and (client := forwarded_client(forwarded, proxies=proxies)):
            request.META["REMOTE_ADDR"] = client
        return self.get_response(request)
