"""Whole-site backup: one zip with every piece of content and every uploaded file.

The archive holds `manifest.json`, `data.json` (dumpdata's format, for the content apps, users and the admin
log, with natural keys so it loads into any instance whatever its primary keys and content
types) and `media/<name>` for each file a model refers to. `import_site` loads it in one
transaction into an empty instance; replacing existing content needs `force=True`.
"""

import datetime
import json
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.core import serializers
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from reviews.media.images import MAX_BYTES, check_stored_image

FORMAT = 1
CONTENT_APPS = ["taggit", "papers", "reviews"]
# Users and groups by natural key (username, group name): a new instance has its own, and
# taggit's through models have no natural key, so content keeps its primary keys.
USER_LABELS = ["auth.group", "auth.user"]
CONTENT_LABELS = [*CONTENT_APPS, "admin.logentry"]


class BackupError(Exception):
    pass


@dataclass
class BackupReport:
    path: Path
    objects: int = 0
    files: int = 0
    missing_files: list[str] = field(default_factory=list)


def _dumped_models():
    return [m for m in apps.get_models() if m._meta.label != "core.ContentVersion"]


def _content_models():
    """Content tables; the page cache's version row is bookkeeping and is made anew on restore."""
    return [
        model
        for label in CONTENT_APPS
        for model in apps.get_app_config(label).get_models()
        if model._meta.label != "core.ContentVersion"
    ]


def _media_names() -> list[str]:
    names = set()
    for model in _content_models():
        for model_field in model._meta.concrete_fields:
            if isinstance(model_field, models.FileField):
                values = model._default_manager.exclude(**{model_field.name: ""})
                names.update(values.values_list(model_field.name, flat=True))
    return sorted(names)


class _PreciseEncoder(DjangoJSONEncoder):
    """Keeps microseconds, which Django's encoder cuts to milliseconds (dates would shift)."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


def _dump(models_to_dump, *, natural_primary=False) -> list:
    """What dumpdata writes, in dependency order, with times to the microsecond."""
    data = []
    for model in models_to_dump:
        if model._meta.proxy or not model._meta.managed or model not in _dumped_models():
            continue
        queryset = model._default_manager.order_by(model._meta.pk.name)
        data += json.loads(
            serializers.serialize(
                "json",
                queryset.iterator(),
                use_natural_foreign_keys=True,
                use_natural_primary_keys=natural_primary,
                cls=_PreciseEncoder,
            )
        )
    return data


def _models(labels) -> list:
    app_list = []
    for label in labels:
        app_label, _, model_name = label.partition(".")
        config = apps.get_app_config(app_label)
        app_list.append((config, [config.get_model(model_name)] if model_name else None))
    return serializers.sort_dependencies(app_list, allow_cycles=True)


def export_site(*, destination: Path) -> BackupReport:
    """Write the archive to `destination`; files missing from storage are listed, not fatal."""
    report = BackupReport(path=Path(destination))
    with tempfile.TemporaryDirectory() as tmp:
        data_path = Path(tmp) / "data.json"
        with transaction.atomic():
            data = _dump(_models(USER_LABELS), natural_primary=True)
            data += _dump(_models(CONTENT_LABELS))
            names = _media_names()
        data_path.write_text(json.dumps(data, indent=1))
        report.objects = len(data)
        with zipfile.ZipFile(report.path, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.write(data_path, "data.json")
            stored = []
            for name in names:
                if not default_storage.exists(name):
                    report.missing_files.append(name)
                    continue
                with default_storage.open(name, "rb") as media:
                    archive.writestr(f"media/{name}", media.read())
                stored.append(name)
            report.files = len(stored)
            manifest = {
                "format": FORMAT,
                "created_at": timezone.now().isoformat(),
                "labels": USER_LABELS + CONTENT_LABELS,
                "objects": report.objects,
                "files": stored,
            }
            archive.writestr("manifest.json", json.dumps(manifest, indent=2))
    return report


def existing_content() -> dict[str, int]:
    """Rows already in the content tables, by model: what a restore would collide with."""
    counts = {model._meta.label: model._default_manager.count() for model in _content_models()}
    counts["admin.LogEntry"] = LogEntry.objects.count()
    return {label: count for label, count in counts.items() if count}


def _read_manifest(archive: zipfile.ZipFile) -> dict:
    names = set(archive.namelist())
    if not {"manifest.json", "data.json"} <= names:
        raise BackupError("Not an export_site archive: manifest.json or data.json is missing.")
    try:
        manifest = json.loads(archive.read("manifest.json"))
    except ValueError as error:
        raise BackupError(f"The archive's manifest.json is not valid JSON: {error}") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unknown archive format {manifest.get('format')!r}; expected {FORMAT}.")
    for name in manifest.get("files", []):
        path = PurePosixPath(name)
        if path.is_absolute() or ".." in path.parts or f"media/{name}" not in names:
            raise BackupError(f"The archive lists a media file it cannot restore: {name!r}.")
    return manifest


def _check_media(archive: zipfile.ZipFile, names: list[str]) -> None:
    """Every file restored is an upload of an ImageField: each passes the image gate first,
    before anything is deleted or written (see check_stored_image for why without re-encoding)."""
    for name in names:
        if archive.getinfo(f"media/{name}").file_size > MAX_BYTES:
            raise BackupError(f"The archive's media file {name!r} is larger than the upload limit.")
        try:
            check_stored_image(archive.read(f"media/{name}"), name=name)
        except ValidationError as error:
            raise BackupError(
                f"The archive's media file {name!r} is refused: {' '.join(error.messages)}"
            ) from None


def _delete_content():
    """Dependents before what they depend on, so PROTECT foreign keys (entry -> paper) never block."""
    LogEntry.objects.all().delete()
    app_list = [(apps.get_app_config(label), None) for label in CONTENT_APPS]
    for model in reversed(serializers.sort_dependencies(app_list, allow_cycles=True)):
        model._default_manager.all().delete()


def import_site(*, source: Path, force: bool = False) -> BackupReport:
    """Load an archive made by export_site; refused if the database has content, unless `force`.

    With `force`, the existing content (not the users) is deleted first, in the same
    transaction: a failure leaves the database as it was.
    """
    report = BackupReport(path=Path(source))
    try:
        archive = zipfile.ZipFile(report.path)
    except (OSError, zipfile.BadZipFile) as error:
        raise BackupError(f"Cannot read {source}: {error}") from error
    with archive, tempfile.TemporaryDirectory() as tmp:
        manifest = _read_manifest(archive)
        existing = existing_content()
        if existing and not force:
            found = ", ".join(f"{count} {label}" for label, count in existing.items())
            raise BackupError(
                f"The database is not empty ({found}); restore into an empty database, "
                "or pass --force to replace its content."
            )
        _check_media(archive, manifest["files"])
        data_path = Path(tmp) / "data.json"
        data_path.write_bytes(archive.read("data.json"))
        written = []
        try:
            with transaction.atomic():
                if force:
                    _delete_content()
                call_command("loaddata", str(data_path), verbosity=0)
                for name in manifest["files"]:
                    if default_storage.exists(name):
                        default_storage.delete(name)
                    saved = default_storage.save(name, ContentFile(archive.read(f"media/{name}")))
                    written.append(saved)
                    if saved != name:
                        raise BackupError(f"The storage renamed {name!r} to {saved!r}.")
        except BaseException:
            # The database rolled back; the files written for it go too.
            for name in written:
                default_storage.delete(name)
            raise
        report.objects = manifest["objects"]
        report.files = len(manifest["files"])
    return report
