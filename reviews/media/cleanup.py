"""Find and remove media files no row refers to (left by crashes, edits outside the site, ...)."""

import datetime
from dataclasses import dataclass

from django.apps import apps
from django.core.files.storage import default_storage
from django.db import models
from django.utils import timezone

from reviews.media.renditions import RENDITIONS_DIR, rendition_names
from reviews.models import GalleryImage, Post


@dataclass(frozen=True)
class Orphan:
    name: str
    size: int


def _file_fields():
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField):
                yield model, field


def managed_dirs() -> list[str]:
    """Top-level folders the project's file fields upload into, plus the renditions folder."""
    dirs = {RENDITIONS_DIR}
    for _, field in _file_fields():
        if isinstance(field.upload_to, str) and field.upload_to.strip("/"):
            dirs.add(field.upload_to.strip("/").split("/")[0])
    return sorted(dirs)


def referenced_names() -> set[str]:
    names = set()
    for model, field in _file_fields():
        values = model._default_manager.exclude(**{field.attname: ""}).values_list(field.attname)
        names.update(name for (name,) in values.iterator() if name)
    for record in GalleryImage.objects.values_list("renditions", flat=True).iterator():
        names.update(rendition_names(record or {}))
    for record in Post.objects.values_list("cover_renditions", flat=True).iterator():
        names.update(rendition_names(record or {}))
    return names


def _walk(directory: str):
    try:
        subdirs, files = default_storage.listdir(directory)
    except FileNotFoundError:  # a folder not made yet on disk; a bucket lists it as empty
        return
    for name in files:
        yield f"{directory}/{name}"
    for subdir in subdirs:
        yield from _walk(f"{directory}/{subdir}")


def find_orphans(*, min_age: datetime.timedelta = datetime.timedelta(hours=1)) -> list[Orphan]:
    """Files under the managed folders that no row names, older than ``min_age``.

    The age guard spares an upload whose row is not committed yet.
    """
    referenced = referenced_names()
    cutoff = timezone.now() - min_age
    orphans = []
    for directory in managed_dirs():
        for name in _walk(directory):
            if name in referenced or default_storage.get_modified_time(name) > cutoff:
                continue
            orphans.append(Orphan(name=name, size=default_storage.size(name)))
    return sorted(orphans, key=lambda o: o.name)


def remove_orphans(orphans: list[Orphan]) -> None:
    for orphan in orphans:
        default_storage.delete(orphan.name)
