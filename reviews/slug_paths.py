"""Addresses of many rows of one view: the view's path reversed once with a placeholder and
each row's slug put in its place, since reverse() per row is most of a long list's time.

A slug a row was written with around its field (not [-a-zA-Z0-9_]) goes through reverse()
itself, which quotes it as the page's own links do.
"""

import functools
import re

from django.core.signals import setting_changed
from django.urls import get_script_prefix, reverse

SLUG_RE = re.compile(r"[-a-zA-Z0-9_]+")
PLACEHOLDER = "slug-path-placeholder"


@functools.cache
def _halves(url_name: str, placeholder: str, prefix: str) -> tuple[str, str]:
    before, after = reverse(url_name, args=[placeholder]).split(placeholder)
    return before, after


def slug_path(url_name: str, slug, *, placeholder: str = PLACEHOLDER) -> str:
    """`reverse(url_name, args=[slug])`; `placeholder` must match the pattern (digits for
    an id)."""
    slug = str(slug)
    if not SLUG_RE.fullmatch(slug):
        return reverse(url_name, args=[slug])
    return slug.join(_halves(url_name, placeholder, get_script_prefix()))


def _forget(*, setting, **kwargs):
    if setting == "ROOT_URLCONF":
        _halves.cache_clear()


setting_changed.connect(_forget, dispatch_uid="slug-paths-urlconf")
