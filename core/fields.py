"""The one URL gate: every stored address is http(s), or a site-relative path where asked for.

`javascript:`, `data:`, `vbscript:`, `file:` and `mailto:` addresses would become live
`href`/`src` attributes on public pages, so the model field refuses them. Importers that write
with bulk_create or update() skip model validation; they call `validate_url` themselves.
"""

import functools
import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models

ALLOWED_SCHEMES = ("http", "https")
SCHEME_RE = re.compile(r"^\s*([a-z][a-z0-9+.\-]*):", re.IGNORECASE)
# One leading slash (two would be a protocol-relative address on another host), no backslash,
# whitespace or control characters that browsers strip or reinterpret.
SITE_RELATIVE_RE = re.compile(r"^/(?![/\\])[^\s\\\x00-\x1f\x7f]*$")
_http_validator = URLValidator(schemes=list(ALLOWED_SCHEMES))


def validate_url(value: str) -> None:
    """Accept only absolute http(s) addresses; name the refused scheme in the message."""
    match = SCHEME_RE.match(value or "")
    if match and match[1].lower() not in ALLOWED_SCHEMES:
        raise ValidationError(
            "Only http and https addresses are allowed; got “%(scheme)s:”.",
            code="url_scheme",
            params={"scheme": match[1].lower()},
        )
    _http_validator(value)


def validate_https_url(value: str) -> None:
    """Only https: what readers suggest is shown to other readers, never over plain http."""
    validate_url(value)
    if not value.lower().startswith("https://"):
        raise ValidationError(
            "Only https addresses are allowed; this one starts with “http:”.", code="url_https"
        )


def validate_url_or_site_path(value: str) -> None:
    """Also accept a path on this site (`/img/slug/slide.png`), as Jekyll posts reference."""
    if SITE_RELATIVE_RE.match(value or ""):
        return
    validate_url(value)


@functools.lru_cache(maxsize=8192)
def is_safe_url(value: str, *, allow_site_relative: bool = True) -> bool:
    """Memoized: a page asks this of every slide and link address on every render."""
    validator = validate_url_or_site_path if allow_site_relative else validate_url
    try:
        validator(value)
    except ValidationError:
        return False
    return True


class URLField(models.URLField):
    """A URLField that stores only http(s) addresses (forms assume https for bare domains).

    `allow_site_relative=True` also lets through paths on this site such as `/img/…`, for
    gallery images imported from a Jekyll post whose slides live beside it; nothing else does.
    `https_only=True` refuses plain http too (addresses readers suggest).
    """

    def __init__(self, *args, allow_site_relative=False, https_only=False, **kwargs):
        self.allow_site_relative = allow_site_relative
        self.https_only = https_only
        if https_only:
            self.default_validators = [validate_https_url]
        else:
            self.default_validators = [
                validate_url_or_site_path if allow_site_relative else validate_url
            ]
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.allow_site_relative:
            kwargs["allow_site_relative"] = True
        if self.https_only:
            kwargs["https_only"] = True
        return name, path, args, kwargs

    def formfield(self, **kwargs):
        if self.allow_site_relative:
            # forms.URLField would turn "/img/a.png" into "https:///img/a.png"; the model
            # validator above still runs on the admin's full_clean.
            return super(models.URLField, self).formfield(
                **{"form_class": forms.CharField, **kwargs}
            )
        return super().formfield(**{"assume_scheme": "https", **kwargs})
