"""import_site: check the whole archive, stage its files, load the rows, swap files on commit.

Nothing live is touched until every member has passed its checks: files are unpacked into a
staging folder, rows load in one transaction, and the staged files replace the live ones only
once that transaction commits. A failure at any step leaves the rows and the media as they were.
"""

import hashlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.core import serializers
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.files import File
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.management import call_command
from django.core.serializers.base import DeserializationError
from django.db import DatabaseError, transaction

from core.backup.archive import (
    CONTENT_APPS,
    DATA,
    LEGACY_DATA,
    LEGACY_FORMAT,
    MANIFEST,
    MAX_LEGACY_DATA_BYTES,
    MAX_MANIFEST_BYTES,
    MEDIA,
    ArchivedFile,
    BackupError,
    BackupReport,
    check_members,
    open_archive,
    reading,
)
from core.backup.records import MAX_RECORD_BYTES, DataSummary, RecordChecker, read_manifest
from reviews.media.images import MAX_BYTES, check_stored_image

STAGING_PREFIX = ".restore-"
ABANDONED_SECONDS = 24 * 3600


def existing_content() -> dict[str, int]:
    """Rows already in the content tables, by model: what a restore would collide with."""
    counts = {
        model._meta.label: model._default_manager.count()
        for label in CONTENT_APPS
        for model in apps.get_app_config(label).get_models()
    }
    counts["admin.LogEntry"] = LogEntry.objects.count()
    return {label: count for label, count in counts.items() if count}


def delete_content() -> None:
    """Dependents before what they depend on, so PROTECT foreign keys (entry -> paper) never block."""
    LogEntry.objects.all().delete()
    app_list = [(apps.get_app_config(label), None) for label in CONTENT_APPS]
    for model in reversed(serializers.sort_dependencies(app_list, allow_cycles=True)):
        model._default_manager.all().delete()


def _lines(stream) -> Iterator[bytes]:
    while line := stream.readline(MAX_RECORD_BYTES + 1):
        if len(line) > MAX_RECORD_BYTES:
            raise BackupError(f"A record in {DATA} is longer than {MAX_RECORD_BYTES:,} bytes.")
        yield line


def _unpack_data(archive, members, version, work: Path) -> tuple[Path, DataSummary]:
    """data.jsonl checked while it is copied out, a line at a time (format 1 converted)."""
    checker, path = RecordChecker(), work / DATA
    with path.open("wb") as out:
        if version == LEGACY_FORMAT:
            if LEGACY_DATA not in members:
                raise BackupError(f"A format-1 archive needs {LEGACY_DATA}.")
            if members[LEGACY_DATA].file_size > MAX_LEGACY_DATA_BYTES:
                raise BackupError(f"The format-1 {LEGACY_DATA} is too large to read whole.")
            with reading(LEGACY_DATA):
                raw = archive.read(LEGACY_DATA)
            try:
                records = json.loads(raw)
            except ValueError as error:
                raise BackupError(f"{LEGACY_DATA} is not valid JSON: {error}") from None
            if not isinstance(records, list):
                raise BackupError(f"{LEGACY_DATA} is not a JSON list of records.")
            for number, record in enumerate(records, 1):
                checker.check(record, where=f"{LEGACY_DATA} record {number}")
                out.write(json.dumps(record, ensure_ascii=False).encode() + b"\n")
            return path, checker.summary
        if DATA not in members:
            raise BackupError(f"A format-2 archive needs {DATA}.")
        with reading(DATA), archive.open(DATA) as data:
            for number, line in enumerate(_lines(data), 1):
                checker.check_line(line, number=number)
                out.write(line)
        return path, checker.summary


def _check_files(files: list[ArchivedFile], members, summary: DataSummary) -> None:
    listed = {f.name for f in files}
    archived = {name.removeprefix(MEDIA) for name in members if name.startswith(MEDIA)}
    if stray := sorted(archived - listed):
        raise BackupError(f"The archive holds media/{stray[0]} but its manifest does not list it.")
    if absent := sorted(listed - archived):
        raise BackupError(f"The manifest lists {absent[0]!r} but the archive does not hold it.")
    if unused := sorted(listed - summary.files.keys()):
        raise BackupError(f"The archive holds {unused[0]!r}, which no row refers to.")
    for archived_file in files:
        info = members[f"{MEDIA}{archived_file.name}"]
        if archived_file.size is not None and info.file_size != archived_file.size:
            raise BackupError(
                f"The archive's media file {archived_file.name!r} is {info.file_size:,} bytes; "
                f"the manifest says {archived_file.size:,}."
            )
        if summary.files[archived_file.name] and info.file_size > MAX_BYTES:
            raise BackupError(
                f"The archive's media file {archived_file.name!r} is larger than the upload limit."
            )


def _staging_folder() -> Path:
    """Beside the live files when storage is a folder, so the swap is a rename.

    Staging folders a day old are left from a restore that never committed (a crash, or a
    caller's transaction rolled back after import_site returned): they go first.
    """
    if not isinstance(default_storage, FileSystemStorage):
        return Path(tempfile.mkdtemp(prefix="restore-"))
    root = Path(default_storage.location)
    root.mkdir(parents=True, exist_ok=True)
    for old in root.glob(f"{STAGING_PREFIX}*"):
        if old.is_dir() and time.time() - old.stat().st_mtime > ABANDONED_SECONDS:
            shutil.rmtree(old, ignore_errors=True)
    return Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=root))


def _stage(archive, files: list[ArchivedFile], summary: DataSummary, staging: Path) -> None:
    """Unpack every file, check its digest, and put each image through the image gate."""
    for archived_file in files:
        member = f"{MEDIA}{archived_file.name}"
        target = staging / archived_file.name
        target.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        with reading(member), archive.open(member) as source, target.open("wb") as out:
            for chunk in iter(lambda: source.read(1024 * 1024), b""):
                digest.update(chunk)
                out.write(chunk)
        if archived_file.sha256 and digest.hexdigest() != archived_file.sha256:
            raise BackupError(
                f"The archive's media file {archived_file.name!r} does not match its SHA-256."
            )
        if summary.files[archived_file.name]:
            try:
                check_stored_image(target.read_bytes(), name=archived_file.name)
            except ValidationError as error:
                raise BackupError(
                    f"The archive's media file {archived_file.name!r} is refused: "
                    f"{' '.join(error.messages)}"
                ) from None


def _swap(staging: Path, names: list[str]) -> None:
    try:
        _move_in(staging, names)
    except OSError as error:
        raise BackupError(
            f"The rows are restored, but moving the files in failed: {error}. The files not yet "
            f"moved are in {staging}; move them into MEDIA_ROOT by hand."
        ) from None
    shutil.rmtree(staging, ignore_errors=True)


def _move_in(staging: Path, names: list[str]) -> None:
    """Move the staged files over the live ones (a rename each on a filesystem storage)."""
    storage = default_storage
    for name in names:
        staged = staging / name
        if isinstance(storage, FileSystemStorage):
            target = Path(storage.path(name))
            target.parent.mkdir(parents=True, exist_ok=True)
            if storage.file_permissions_mode is not None:
                os.chmod(staged, storage.file_permissions_mode)
            os.replace(staged, target)
            continue
        if storage.exists(name):
            storage.delete(name)
        with staged.open("rb") as content:
            saved = storage.save(name, File(content))
        if saved != name:
            raise BackupError(f"The storage renamed {name!r} to {saved!r}.")


def _load(data_path: Path) -> None:
    try:
        call_command("loaddata", str(data_path), verbosity=0)
    except (DeserializationError, DatabaseError, ValidationError, ObjectDoesNotExist) as error:
        raise BackupError(f"The archive's rows cannot be loaded: {error}") from None


def _after_load() -> None:
    """Loaded rows are raw saves, which skip the apps' signals: each app that keeps stored
    derived values (reviews' public flags) recomputes them in its `after_restore()`."""
    for config in apps.get_app_configs():
        if hasattr(config, "after_restore"):
            config.after_restore()


def import_site(*, source: Path, force: bool = False) -> BackupReport:
    """Load an archive made by export_site; refused if the database has content, unless `force`.

    With `force`, the existing content (not the users) is deleted first, in the same
    transaction. Files reach storage only when that transaction commits.
    """
    report = BackupReport(path=Path(source))
    staging = None
    with (
        open_archive(report.path) as archive,
        tempfile.TemporaryDirectory(dir=settings.FILE_UPLOAD_TEMP_DIR) as work,
    ):
        members = check_members(archive)
        if members[MANIFEST].file_size > MAX_MANIFEST_BYTES:
            raise BackupError(f"The archive's {MANIFEST} is over {MAX_MANIFEST_BYTES:,} bytes.")
        with reading(MANIFEST):
            version, objects, files = read_manifest(archive.read(MANIFEST))
        existing = existing_content()
        if existing and not force:
            found = ", ".join(f"{count} {label}" for label, count in existing.items())
            raise BackupError(
                f"The database is not empty ({found}); restore into an empty database, "
                "or pass --force to replace its content."
            )
        data_path, summary = _unpack_data(archive, members, version, Path(work))
        if summary.objects != objects:
            raise BackupError(
                f"The archive's data holds {summary.objects} records; its manifest says {objects}."
            )
        _check_files(files, members, summary)
        staging = _staging_folder()
        try:
            _stage(archive, files, summary, staging)
            with transaction.atomic():
                if force:
                    delete_content()
                _load(data_path)
                _after_load()
                names = [f.name for f in files]
                transaction.on_commit(lambda: _swap(staging, names))
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    report.objects = objects
    report.files = len(files)
    return report
