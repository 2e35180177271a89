"""Files follow their rows: renditions on save, source and renditions removed on delete.

Connected in ReviewsConfig.ready(), so the admin, imports, fetch_images and the shell all keep
media in step with the database. Deletions wait for the commit: a rolled-back delete keeps files.
"""

from django.db import transaction

from reviews.media.references import file_in_use
from reviews.media.renditions import delete_renditions, ensure_cover_renditions, ensure_renditions


def _delete_source(storage, name: str) -> None:
    if name and not file_in_use(name):
        storage.delete(name)


def _touches(update_fields, field: str) -> bool:
    return update_fields is None or field in update_fields


def gallery_image_saved(sender, instance, update_fields=None, raw=False, **kwargs):
    if raw or not _touches(update_fields, "image"):
        return
    old_source = (instance.renditions or {}).get("source")
    storage = instance.image.storage
    if ensure_renditions(instance) and old_source and old_source != instance.image.name:
        transaction.on_commit(lambda: _delete_source(storage, old_source))


def post_saved(sender, instance, update_fields=None, raw=False, **kwargs):
    if raw or not _touches(update_fields, "cover_image"):
        return
    old_source = (instance.cover_renditions or {}).get("source")
    storage = instance.cover_image.storage
    if ensure_cover_renditions(instance) and old_source and old_source != instance.cover_image.name:
        transaction.on_commit(lambda: _delete_source(storage, old_source))


def _delete_files_on_commit(field_file, record):
    name, storage = field_file.name, field_file.storage

    def delete():
        # Renditions are named after the source, so rows sharing a source share them too.
        if name and not file_in_use(name):
            storage.delete(name)
            delete_renditions(record)

    transaction.on_commit(delete)


def gallery_image_deleted(sender, instance, **kwargs):
    _delete_files_on_commit(instance.image, instance.renditions or {})


def post_deleted(sender, instance, **kwargs):
    _delete_files_on_commit(instance.cover_image, instance.cover_renditions or {})
