"""Files follow their rows: renditions queued on save, files released on delete.

Connected in ReviewsConfig.ready(), so the admin, imports, fetch_images and the shell all keep
media in step with the database. Deletions wait for the commit, and a file another row (or a
revision) still names is kept: renditions are shared by every row with the same source bytes.
"""

from reviews.media.cleanup import release_files
from reviews.media.pipeline import source_saved
from reviews.media.renditions import rendition_names


def _touches(update_fields, field: str) -> bool:
    return update_fields is None or field in update_fields


def gallery_image_saved(sender, instance, update_fields=None, raw=False, **kwargs):
    if raw or not _touches(update_fields, "image"):
        return
    source_saved(instance)


def post_saved(sender, instance, update_fields=None, raw=False, **kwargs):
    if raw or not _touches(update_fields, "cover_image"):
        return
    source_saved(instance)


def _release_on_commit(field_file, record):
    release_files([field_file.name, *rendition_names(record)], storage=field_file.storage)


def gallery_image_deleted(sender, instance, **kwargs):
    _release_on_commit(instance.image, instance.renditions or {})


def post_deleted(sender, instance, **kwargs):
    _release_on_commit(instance.cover_image, instance.cover_renditions or {})
