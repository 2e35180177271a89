"""export_site: every table read in one snapshot, streamed record by record into the zip."""

import contextlib
import datetime
import hashlib
import itertools
import json
import os
import secrets
import time
import zipfile
from pathlib import Path

from django.core import serializers
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone

from core.backup.archive import (
    CONTENT_LABELS,
    DATA,
    FORMAT,
    MANIFEST,
    MEDIA,
    USER_LABELS,
    BackupError,
    BackupReport,
    check_media_name,
)
from core.backup.records import backed_up_models, file_fields, references, rendition_fields

CHUNK = 500


class _PreciseEncoder(DjangoJSONEncoder):
    """Keeps microseconds, which Django's encoder cuts to milliseconds (dates would shift)."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


@contextlib.contextmanager
def snapshot():
    """One read-only REPEATABLE READ transaction on PostgreSQL, one transaction on SQLite.

    Inside a caller's transaction the tables are already read in that transaction, and
    PostgreSQL allows SET TRANSACTION only before its first query.
    """
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def _drop_unsafe(model, record: dict, report: BackupReport) -> None:
    """A reference outside MEDIA_ROOT cannot be restored: the archive holds the row without it."""
    values = record["fields"]
    for reference in list(references(model, values)):
        try:
            check_media_name(reference.name, where="")
        except BackupError:
            report.unsafe_references.append(
                f"{model._meta.label} {record.get('pk', '')} {reference.field}: {reference.name!r}"
            )
            model_field = model._meta.get_field(reference.field)
            values[reference.field] = "" if model_field in file_fields(model) else {}


def _write_records(stream, models_to_dump, *, natural_primary, report, names) -> None:
    for model in models_to_dump:
        rows = model._default_manager.order_by(model._meta.pk.name).iterator(chunk_size=CHUNK)
        checks_files = bool(file_fields(model) or rendition_fields(model))
        while chunk := list(itertools.islice(rows, CHUNK)):
            records = serializers.serialize(
                "python",
                chunk,
                use_natural_foreign_keys=True,
                use_natural_primary_keys=natural_primary,
            )
            for record in records:
                if checks_files:
                    _drop_unsafe(model, record, report)
                    names.update(r.name for r in references(model, record["fields"]))
                line = json.dumps(record, cls=_PreciseEncoder, ensure_ascii=False) + "\n"
                stream.write(line.encode())
                report.objects += 1


def _member(name: str, compress_type: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=time.localtime(time.time())[:6])
    info.compress_type = compress_type
    return info


def _copy_file(archive: zipfile.ZipFile, name: str) -> dict | None:
    """Stream one stored file into the archive; None when storage no longer has it."""
    digest, size = hashlib.sha256(), 0
    try:
        source = default_storage.open(name, "rb")
    except OSError:
        return None
    # Images are compressed already: deflating them again costs time and saves nothing.
    info = _member(f"{MEDIA}{name}", zipfile.ZIP_STORED)
    with source, archive.open(info, "w", force_zip64=True) as target:
        for chunk in iter(lambda: source.read(1024 * 1024), b""):
            digest.update(chunk)
            size += len(chunk)
            target.write(chunk)
    return {"name": name, "size": size, "sha256": digest.hexdigest()}


def export_site(*, destination: Path) -> BackupReport:
    """Write the archive to `destination` (whole or not at all); missing files are listed.

    Rows are read in one snapshot and written a chunk at a time; the files any row refers to
    (every FileField, and each image's renditions) are streamed from storage afterwards.
    """
    report = BackupReport(path=Path(destination))
    partial = report.path.with_name(f".{report.path.name}.{secrets.token_hex(4)}.partial")
    names: set[str] = set()
    if not report.path.parent.is_dir():
        raise BackupError(f"Cannot write {report.path}: {report.path.parent} is not a folder.")
    try:
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
            with (
                snapshot(),
                archive.open(_member(DATA, zipfile.ZIP_DEFLATED), "w", force_zip64=True) as data,
            ):
                _write_records(
                    data,
                    backed_up_models(USER_LABELS),
                    natural_primary=True,
                    report=report,
                    names=names,
                )
                _write_records(
                    data,
                    backed_up_models(CONTENT_LABELS),
                    natural_primary=False,
                    report=report,
                    names=names,
                )
            files = []
            for name in sorted(names):
                entry = _copy_file(archive, name)
                if entry is None:
                    report.missing_files.append(name)
                else:
                    files.append(entry)
            report.files = len(files)
            manifest = {
                "format": FORMAT,
                "created_at": timezone.now().isoformat(),
                "labels": USER_LABELS + CONTENT_LABELS,
                "objects": report.objects,
                "files": files,
            }
            archive.writestr(MANIFEST, json.dumps(manifest, indent=1))
        os.replace(partial, report.path)
    finally:
        partial.unlink(missing_ok=True)
    return report
