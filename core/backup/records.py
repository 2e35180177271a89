"""What the archive's JSON must look like: the manifest, and each record of data.jsonl.

The check is by hand but as strict as a schema: known keys only, each model one the backup
writes, each field one of that model's, each value accepted by the field's own `to_python`,
and every file a row refers to (FileFields, and the rendition files recorded in the JSON of a
model with images) a safe name inside MEDIA_ROOT.
"""

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.apps import apps
from django.core import serializers
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models

from core.backup.archive import (
    CONTENT_LABELS,
    FORMAT,
    LEGACY_FORMAT,
    USER_LABELS,
    ArchivedFile,
    BackupError,
    check_media_name,
)
from reviews.media.renditions import rendition_names

MAX_RECORD_BYTES = 64 * 1024 * 1024
SHA256 = re.compile(r"[0-9a-f]{64}")
RECORD_KEYS = {"model", "pk", "fields"}


def backed_up_models(labels) -> list[type[models.Model]]:
    """The models behind `labels` ("app" or "app.model"), in dependency order."""
    app_list = []
    for label in labels:
        app_label, _, model_name = label.partition(".")
        config = apps.get_app_config(app_label)
        app_list.append((config, [config.get_model(model_name)] if model_name else None))
    return [
        model
        for model in serializers.sort_dependencies(app_list, allow_cycles=True)
        if not model._meta.proxy and model._meta.managed
    ]


def file_fields(model) -> list[models.FileField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]


def rendition_fields(model) -> list[models.JSONField]:
    """JSON fields of a model with files: where the image code keeps its rendition records."""
    if not file_fields(model):
        return []
    return [f for f in model._meta.concrete_fields if isinstance(f, models.JSONField)]


def rendition_files(value) -> list[str]:
    """The files of one rendition record; anything else in a JSON field refers to no file."""
    if not isinstance(value, dict) or not isinstance(value.get("files"), list):
        return []
    if not all(isinstance(f, dict) and "name" in f for f in value["files"]):
        return []
    return rendition_names(value)


@dataclass
class Reference:
    name: str
    field: str
    image: bool


def references(model, values: dict) -> Iterator[Reference]:
    """Every file the serialized fields `values` of one `model` row refer to."""
    for file_field in file_fields(model):
        name = values.get(file_field.name)
        if name:
            yield Reference(name, file_field.name, isinstance(file_field, models.ImageField))
    for json_field in rendition_fields(model):
        for name in rendition_files(values.get(json_field.name)):
            yield Reference(name, json_field.name, True)


def read_manifest(raw: bytes) -> tuple[int, int, list[ArchivedFile]]:
    """(format, objects, files) of a manifest, or a BackupError naming what is wrong."""
    try:
        manifest = json.loads(raw)
    except ValueError as error:
        raise BackupError(f"The archive's manifest.json is not valid JSON: {error}") from None
    if not isinstance(manifest, dict):
        raise BackupError("The archive's manifest.json is not a JSON object.")
    version = manifest.get("format")
    if version not in (FORMAT, LEGACY_FORMAT) or isinstance(version, bool):
        raise BackupError(f"Unknown archive format {version!r}; expected {FORMAT}.")
    objects = manifest.get("objects")
    if not isinstance(objects, int) or isinstance(objects, bool) or objects < 0:
        raise BackupError(f"The manifest's object count {objects!r} is not a whole number.")
    entries = manifest.get("files", [])
    if not isinstance(entries, list):
        raise BackupError("The manifest's files are not a list.")
    files = [_archived_file(entry, version) for entry in entries]
    names = [f.name for f in files]
    if len(set(names)) != len(names):
        raise BackupError("The manifest lists a file twice.")
    return version, objects, files


def _archived_file(entry, version) -> ArchivedFile:
    where = "The archive lists a media file it cannot restore"
    if version == LEGACY_FORMAT:
        return ArchivedFile(check_media_name(entry, where=where))
    if not isinstance(entry, dict) or set(entry) != {"name", "size", "sha256"}:
        raise BackupError(f"The manifest's file entry {entry!r} is not {{name, size, sha256}}.")
    size, sha = entry["size"], entry["sha256"]
    name = check_media_name(entry["name"], where=where)
    if not isinstance(size, int) or isinstance(size, bool) or size < 0:
        raise BackupError(f"The manifest's size {size!r} of {name!r} is not a whole number.")
    if not isinstance(sha, str) or not SHA256.fullmatch(sha):
        raise BackupError(f"The manifest's SHA-256 {sha!r} of {name!r} is not 64 hex digits.")
    return ArchivedFile(name, size, sha)


@dataclass
class DataSummary:
    objects: int = 0
    # Every file the rows refer to: True when an image field (or a rendition) holds it.
    files: dict[str, bool] = field(default_factory=dict)


class RecordChecker:
    """Checks data.jsonl line by line, keeping only the file names, never the records."""

    def __init__(self):
        self.models = {m._meta.label_lower: m for m in backed_up_models(USER_LABELS)}
        self.natural = set(self.models.values())
        self.models |= {m._meta.label_lower: m for m in backed_up_models(CONTENT_LABELS)}
        self.summary = DataSummary()

    def check_line(self, line: bytes, *, number: int) -> None:
        if not line.strip():
            return
        try:
            record = json.loads(line)
        except ValueError as error:
            raise BackupError(f"data.jsonl line {number} is not valid JSON: {error}") from None
        self.check(record, where=f"data.jsonl line {number}")

    def check(self, record, *, where: str) -> None:
        if not isinstance(record, dict) or not {"model", "fields"} <= set(record) <= RECORD_KEYS:
            raise BackupError(f"{where} is not an object with model, pk and fields.")
        model = self.models.get(record["model"]) if isinstance(record["model"], str) else None
        if model is None:
            raise BackupError(f"{where}: {record['model']!r} is not a model a backup holds.")
        label = model._meta.label
        if "pk" in record:
            self._check_value(model._meta.pk, record["pk"], where=f"{where} ({label} pk)")
        elif model not in self.natural:
            raise BackupError(f"{where}: a {label} record needs its pk.")
        values = record["fields"]
        if not isinstance(values, dict):
            raise BackupError(f"{where}: the {label} fields are not an object.")
        for name, value in values.items():
            try:
                model_field = model._meta.get_field(name)
            except FieldDoesNotExist:
                model_field = None
            if model_field is None or (not model_field.concrete and not model_field.many_to_many):
                raise BackupError(f"{where}: {label} has no field {name!r}.")
            self._check_value(model_field, value, where=f"{where} ({label}.{name})")
        for reference in references(model, values):
            check_media_name(reference.name, where=f"{where} ({label}.{reference.field})")
            self.summary.files[reference.name] = (
                self.summary.files.get(reference.name, False) or reference.image
            )
        self.summary.objects += 1

    @staticmethod
    def _check_value(model_field, value, *, where: str) -> None:
        if model_field.many_to_many:
            if not isinstance(value, list):
                raise BackupError(f"{where}: {value!r} is not a list.")
            return
        if model_field.is_relation:
            if value is not None and not isinstance(value, int | str | list):
                raise BackupError(f"{where}: {value!r} is not a key.")
            return
        if isinstance(model_field, models.JSONField):
            return
        if isinstance(value, dict | list):
            raise BackupError(f"{where}: {_short(value)} is not a single value.")
        try:
            model_field.to_python(value)
        except ValidationError as error:
            raise BackupError(f"{where}: {_short(value)}: {' '.join(error.messages)}") from None


def _short(value) -> str:
    text = repr(value)
    return text if len(text) <= 80 else f"{text[:77]}..."
