"""An image's way from upload to renditions: waiting on save, made by a task, ready or failed.

The upload request only stores the checked original and records it as waiting (its size read
from the header); after the commit a task (reviews.tasks.make_renditions) writes the renditions
and marks the row ready, or failed with the reason. Files a row stops using are released
after the commit (reviews.media.cleanup.release_files), so shared renditions survive.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django_tasks import default_task_backend

from core.page_cache import bump_content_version
from reviews.media import renditions
from reviews.media.cleanup import release_files
from reviews.models import GalleryImage, Post


@dataclass(frozen=True)
class Slot:
    """Where a model keeps an image and its rendition record."""

    kind: str
    model: type[models.Model]
    field: str
    record: str


SLOTS = {
    "gallery": Slot("gallery", GalleryImage, "image", "renditions"),
    "cover": Slot("cover", Post, "cover_image", "cover_renditions"),
}


def slot_of(instance) -> Slot:
    return SLOTS["cover" if isinstance(instance, Post) else "gallery"]


def _write(slot: Slot, pk, record: dict, **guard) -> bool:
    """Store a record on the row, if the row still holds the source the record describes."""
    rows = slot.model.objects.filter(pk=pk, **guard)
    return bool(rows.update(**{slot.record: record}))


def _enqueue_after_commit(instance, slot: Slot) -> None:
    """Queue the rendition task once the row is committed, where a worker can see it.

    A backend that runs tasks in-process (tests, shells) has no worker waiting for the commit:
    the task runs at once and the instance gets the record it wrote.
    """
    from reviews.tasks import make_renditions

    pk = instance.pk
    if default_task_backend.supports_get_result or not connection.in_atomic_block:
        transaction.on_commit(lambda: make_renditions.enqueue(kind=slot.kind, pk=pk))
        return
    make_renditions.enqueue(kind=slot.kind, pk=pk)
    record = slot.model.objects.filter(pk=pk).values_list(slot.record, flat=True).first()
    setattr(instance, slot.record, record or {})


def source_saved(instance) -> None:
    """After a save: a new or changed source becomes waiting and its renditions are queued.

    The old source's renditions (and the old source, when it was replaced) are released after
    the commit. An unchanged source costs nothing: no file is read.
    """
    slot = slot_of(instance)
    field_file = getattr(instance, slot.field)
    record = getattr(instance, slot.record) or {}
    old_source = record.get("source") or ""
    if field_file and old_source == field_file.name:
        return
    if not field_file and not record:
        return
    new = renditions.waiting_record(field_file) if field_file else {}
    setattr(instance, slot.record, new)
    _write(slot, instance.pk, new)
    released = renditions.rendition_names(record)
    if old_source and old_source != (field_file.name if field_file else ""):
        released.append(old_source)
    release_files(released, storage=field_file.storage)
    if renditions.state(new) == renditions.WAITING:
        _enqueue_after_commit(instance, slot)


def retry(instance) -> None:
    """Mark a row's image waiting again and queue its renditions (the admin's retry)."""
    slot = slot_of(instance)
    field_file = getattr(instance, slot.field)
    if not field_file:
        return
    new = renditions.waiting_record(field_file)
    setattr(instance, slot.record, new)
    _write(slot, instance.pk, new, **{slot.field: field_file.name})
    if renditions.state(new) == renditions.WAITING:
        _enqueue_after_commit(instance, slot)


def render(*, kind: str, pk: int) -> str:
    """Make the renditions of one row; idempotent, and safe against a concurrent edit.

    Returns what happened: ready, failed, unchanged (already ready) or gone (the row was
    deleted or its source replaced meanwhile; the newer source has its own task). A source that
    is not a valid image, or is missing, fails at once; storage trouble raises so the task is
    retried.
    """
    slot = SLOTS[kind]
    row = slot.model.objects.filter(pk=pk).first()
    field_file = getattr(row, slot.field, None) if row is not None else None
    if not field_file:
        return "gone"
    record = getattr(row, slot.record) or {}
    if renditions.state(record) == renditions.READY and record.get("source") == field_file.name:
        names = renditions.rendition_names(record)
        if all(field_file.storage.exists(name) for name in names):
            return "unchanged"
    try:
        new = renditions.build_renditions(field_file)
    except (ValidationError, FileNotFoundError) as exc:
        error = (
            " ".join(exc.messages)
            if isinstance(exc, ValidationError)
            else (f"the file {field_file.name} is missing from storage")
        )
        failed = renditions.failed_record(field_file.name, error, previous=record)
        _write(slot, pk, failed, **{slot.field: field_file.name})
        return "failed"
    with transaction.atomic():
        if not _write(slot, pk, new, **{slot.field: field_file.name}):
            release_files(renditions.rendition_names(new))
            return "gone"
        stale = set(renditions.rendition_names(record)) - set(renditions.rendition_names(new))
        release_files(stale)
        # A queryset update sends no post_save: cached pages still hold the srcset-less image.
        bump_content_version(sender=slot.model)
        setattr(row, slot.record, new)
        # In the same transaction: no reader sees the record ready and a body without it.
        renditions.renditions_ready.send(sender=slot.model, instance=row, record=new)
    # A release of another row's files may have run between our build and our write.
    if not all(field_file.storage.exists(name) for name in renditions.rendition_names(new)):
        renditions.build_renditions(field_file)
    return "ready"


def give_up(*, kind: str, pk: int, error: str) -> None:
    """The last retry failed: the row says so, and keeps showing its source."""
    slot = SLOTS[kind]
    row = slot.model.objects.filter(pk=pk).first()
    field_file = getattr(row, slot.field, None) if row is not None else None
    if not field_file:
        return
    record = getattr(row, slot.record) or {}
    failed = renditions.failed_record(field_file.name, error, previous=record)
    _write(slot, pk, failed, **{slot.field: field_file.name})
