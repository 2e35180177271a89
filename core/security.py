"""Content-Security-Policy for the whole site.

Public pages get a strict policy (no inline script or style). The Django admin and nested-admin
still write a few inline style attributes, so only there style-src also allows them; script-src
stays 'self' everywhere.
"""

from csp.constants import UNSAFE_INLINE
from csp.middleware import CSPMiddleware
from django.conf import settings

ADMIN_PREFIXES = ("/admin/", "/_nested_admin/")


class SiteCSPMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if request.path_info.startswith(ADMIN_PREFIXES) and not report_only:
            config = parts.config or settings.CONTENT_SECURITY_POLICY
            style = list(config["DIRECTIVES"].get("style-src", []))
            parts.update = {**(parts.update or {}), "style-src": [*style, UNSAFE_INLINE]}
        return parts
