"""Uploads waiting between a preview and its confirmation, kept in storage under a token.

A two-step page (the Markdown import: upload and preview, then confirm) stages the files
here instead of in the session: the session row stays a few bytes whatever was uploaded,
and the files live in the `staging` storage (never served) under an unguessable token, for
one user, until they are taken or STAGED_UPLOAD_SECONDS pass. Expired ones are removed
whenever something is staged, and by `manage.py purge_staged_uploads`.
"""

import datetime
import json
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.utils import timezone

MANIFEST = "manifest.json"


@dataclass
class StagedUpload:
    files: list[tuple[str, bytes]]
    data: dict


def _storage():
    return storages["staging"]


def _manifest(token: str) -> dict | None:
    storage = _storage()
    name = f"{token}/{MANIFEST}"
    if not storage.exists(name):
        return None
    with storage.open(name, "rb") as handle:
        return json.loads(handle.read())


def _expired(manifest: dict, now: datetime.datetime) -> bool:
    created = datetime.datetime.fromisoformat(manifest["created_at"])
    return now - created > datetime.timedelta(seconds=settings.STAGED_UPLOAD_SECONDS)


def stage_upload(*, files: list[tuple[str, bytes]], data: dict, owner_id: int) -> str:
    """Keep `files` (name, content) and the JSON-able `data` for `owner_id`; the token."""
    purge_expired_uploads()
    storage, token = _storage(), secrets.token_urlsafe(24)
    manifest = {
        "owner": owner_id,
        "created_at": timezone.now().isoformat(),
        "names": [name for name, _content in files],
        "data": data,
    }
    # The manifest first: a purge running meanwhile sees a fresh upload, not a stray folder.
    storage.save(f"{token}/{MANIFEST}", ContentFile(json.dumps(manifest).encode()))
    for index, (_name, content) in enumerate(files):
        storage.save(f"{token}/{index}", ContentFile(content))
    return token


def take_upload(*, token: str, owner_id: int) -> StagedUpload | None:
    """The staged upload, removed from storage; None if unknown, expired or someone else's."""
    if not isinstance(token, str) or not token.replace("-", "").replace("_", "").isalnum():
        return None
    manifest = _manifest(token)
    if manifest is None or manifest["owner"] != owner_id:
        return None
    if _expired(manifest, timezone.now()):
        discard_upload(token=token)
        return None
    storage, files = _storage(), []
    for index, name in enumerate(manifest["names"]):
        with storage.open(f"{token}/{index}", "rb") as handle:
            files.append((name, handle.read()))
    discard_upload(token=token)
    return StagedUpload(files=files, data=manifest["data"])


def discard_upload(*, token: str) -> None:
    storage = _storage()
    try:
        names = storage.listdir(token)[1]
    except FileNotFoundError:
        return
    for name in names:
        storage.delete(f"{token}/{name}")
    storage.delete(token)  # the folder, on a filesystem storage


def purge_expired_uploads() -> int:
    """Remove every staged upload past its expiry (or without a readable manifest)."""
    storage, now, removed = _storage(), timezone.now(), 0
    try:
        tokens = storage.listdir("")[0]
    except FileNotFoundError:
        return 0
    for token in tokens:
        try:
            manifest = _manifest(token)
            stale = manifest is None or _expired(manifest, now)
        except (ValueError, KeyError, TypeError):
            stale = True
        if stale:
            discard_upload(token=token)
            removed += 1
    return removed
