"""Every tag's slug fits the tag page's address ([-a-zA-Z0-9_]+), whatever its name.

taggit slugifies with allow_unicode, so "Über" got "über" and "☃" an empty slug: neither can
be reversed into `/tags/<slug>/`, and every page listing such a tag answered 500. A new tag's
slug is made ASCII here ("uber"), "tag" when nothing is left, and numbered when taken.
"""

import re

from django.db.models.signals import pre_save
from django.utils.text import slugify
from taggit.models import Tag

ADDRESS_SLUG = re.compile(r"[-a-zA-Z0-9_]+")
SUFFIX_ROOM = 8


def address_slug(name: str, *, taken: set[str]) -> str:
    """An ASCII slug for `name` that is not in `taken`."""
    room = Tag._meta.get_field("slug").max_length - SUFFIX_ROOM
    base = slugify(name)[:room].strip("-_") or "tag"
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


def _fit_slug(sender, instance, raw=False, **kwargs):
    if raw or ADDRESS_SLUG.fullmatch(instance.slug or ""):
        return
    base = slugify(instance.name).strip("-_") or "tag"
    taken = set(
        Tag.objects.filter(slug__startswith=base[:50])
        .exclude(pk=instance.pk)
        .values_list("slug", flat=True)
    )
    instance.slug = address_slug(instance.name, taken=taken)


def connect() -> None:
    pre_save.connect(_fit_slug, sender=Tag, dispatch_uid="tag-address-slug")
