"""Media files are deleted only when no row refers to them, and only after the commit.

``release_files`` is what every writer calls for files a row stopped using (a replaced cover,
a deleted image, an outdated rendition); ``find_orphans`` lists what crashes or edits outside
the site left behind. A file counts as referenced while any image row, post cover or post
revision names it: renditions are shared by every row with the same source bytes, and a
revision restore needs the sources its snapshot names; a video thumbnail, while any video row
names it.
"""

import datetime
import json
from collections.abc import Iterable
from dataclasses import dataclass

from django.apps import apps
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models import TextField
from django.db.models.functions import Cast
from django.utils import timezone

from papers.models import THUMBNAILS_DIR
from reviews.media.renditions import RENDITIONS_DIR, rendition_names
from reviews.models import GalleryImage, Post, PostRevision
from reviews.visibility import posts_using_upload


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
    for snapshot in PostRevision.objects.values_list("snapshot", flat=True).iterator():
        names.update(name for name in _revision_sources(snapshot or {}) if name)
    return names


def _in_revisions(name: str) -> bool:
    needles = {json.dumps(name), json.dumps(name, ensure_ascii=False)}
    revisions = PostRevision.objects.annotate(snapshot_text=Cast("snapshot", TextField()))
    condition = models.Q()
    for needle in needles:
        condition |= models.Q(snapshot_text__contains=needle)
    return revisions.filter(condition).exists()


def is_referenced(name: str) -> bool:
    """Does any row name this stored file (as a source, a rendition or in a revision)?"""
    if name.startswith(f"{THUMBNAILS_DIR}/"):
        return any(
            apps.get_model(label).objects.filter(thumbnail=name).exists()
            for label in ("papers.PaperVideo", "reviews.KeynoteVideo")
        )
    return posts_using_upload(name).exists() or _in_revisions(name)


def delete_unreferenced(names: Iterable[str], *, storage=None) -> list[str]:
    """Delete each named file no row refers to now; returns what was deleted."""
    storage = storage or default_storage
    deleted = []
    for name in dict.fromkeys(n for n in names if n):
        if not is_referenced(name):
            storage.delete(name)
            deleted.append(name)
    return deleted


def release_files(names: Iterable[str], *, storage=None) -> None:
    """Files a row stopped using: deleted after the commit, if no row refers to them then.

    A rolled-back change keeps them (its rows still name them), and a file another row still
    shares survives.
    """
    names = [n for n in names if n]
    if names:
        transaction.on_commit(lambda: delete_unreferenced(names, storage=storage))


def _revision_sources(snapshot: dict) -> Iterable[str]:
    yield (snapshot.get("post") or {}).get("cover_image") or ""
    for section in snapshot.get("sections", ()):
        for entry in section.get("entries", ()):
            for image in entry.get("images", ()):
                yield image.get("image") or ""


def _walk(directory: str):
    # Object storage has no folders to ask exists() about: list, and treat "none" as empty.
    try:
        subdirs, files = default_storage.listdir(directory)
    except FileNotFoundError:
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
