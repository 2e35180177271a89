"""The archive's layout and the checks every member passes before a restore writes anything.

A format-2 archive holds `data.jsonl` (one dumpdata record per line, so both ends stream),
`media/<name>` for each file a row refers to, and `manifest.json` (written last) listing the
record count and every file with its size and SHA-256. Format 1 (`data.json`, one JSON array,
the file names alone) is still read.
"""

import contextlib
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.utils._os import safe_join

FORMAT = 2
LEGACY_FORMAT = 1
MANIFEST = "manifest.json"
DATA = "data.jsonl"
LEGACY_DATA = "data.json"
MEDIA = "media/"
MAX_MANIFEST_BYTES = 256 * 1024 * 1024
# A format-1 data.json is one JSON document and has to be parsed whole.
MAX_LEGACY_DATA_BYTES = 512 * 1024 * 1024
# The ratio cap applies from this size on: a tiny member may compress as well as it likes.
RATIO_FLOOR = 1024 * 1024

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
    # References left out of an export because they point outside MEDIA_ROOT: "label pk field: name".
    unsafe_references: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ArchivedFile:
    name: str
    size: int | None = None
    sha256: str | None = None


def check_media_name(name, *, where: str) -> str:
    """The name itself if it is a plain relative path that stays inside MEDIA_ROOT."""
    if not isinstance(name, str) or not name:
        raise BackupError(f"{where}: {name!r} is not a file name.")
    if "\x00" in name:
        raise BackupError(f"{where}: {name!r} contains a NUL byte.")
    if "\\" in name or name.startswith("/") or PurePosixPath(name).is_absolute():
        raise BackupError(f"{where}: {name!r} is not a relative path inside MEDIA_ROOT.")
    if any(part in ("", ".", "..") for part in name.split("/")):
        raise BackupError(f"{where}: {name!r} leaves MEDIA_ROOT or is not a normalised path.")
    try:
        safe_join(settings.MEDIA_ROOT, name)
    except SuspiciousFileOperation:
        raise BackupError(f"{where}: {name!r} resolves outside MEDIA_ROOT.") from None
    return name


@contextlib.contextmanager
def reading(member: str):
    """Damaged data (a bad CRC, a truncated stream) becomes a BackupError naming the member."""
    try:
        yield
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as error:
        raise BackupError(f"The archive is damaged: cannot read {member}: {error}") from None


def open_archive(path: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile, EOFError, ValueError) as error:
        raise BackupError(f"Cannot read {path}: {error}") from error


def check_members(archive: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    """Every member by name, after the count, size, ratio, duplicate and path checks."""
    infos = archive.infolist()
    if len(infos) > settings.BACKUP_MAX_MEMBERS:
        raise BackupError(
            f"The archive has {len(infos):,} members; the limit is {settings.BACKUP_MAX_MEMBERS:,}."
        )
    members, total = {}, 0
    for info in infos:
        name = info.filename
        if name in members:
            raise BackupError(f"The archive holds {name!r} twice.")
        if info.flag_bits & 0x1:
            raise BackupError(f"The archive's member {name!r} is encrypted.")
        if name not in (MANIFEST, DATA, LEGACY_DATA):
            if not name.startswith(MEDIA):
                raise BackupError(f"The archive holds {name!r}, which no restore uses.")
            check_media_name(name.removeprefix(MEDIA), where="The archive's member")
        if (
            info.file_size > RATIO_FLOOR
            and info.file_size > info.compress_size * settings.BACKUP_MAX_RATIO
        ):
            raise BackupError(
                f"The archive's member {name!r} unpacks to {info.file_size:,} bytes from "
                f"{info.compress_size:,}, more than {settings.BACKUP_MAX_RATIO} times its size "
                "(a zip bomb?)."
            )
        total += info.file_size
        members[name] = info
    if total > settings.BACKUP_MAX_BYTES:
        raise BackupError(
            f"The archive unpacks to {total:,} bytes; the limit is {settings.BACKUP_MAX_BYTES:,}."
        )
    if MANIFEST not in members or not ({DATA, LEGACY_DATA} & members.keys()):
        raise BackupError(
            f"Not an export_site archive: {MANIFEST} or {DATA} is missing "
            f"(it holds {len(members)} members)."
        )
    return members
