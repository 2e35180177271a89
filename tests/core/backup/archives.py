"""Archives for the backup tests: what a restore must leave alone, and archives changed by hand."""

import hashlib
import json
import zipfile
from pathlib import Path

from django.apps import apps
from django.contrib.auth import get_user_model

from core.backup import delete_content


def media_tree(root) -> dict[str, bytes]:
    """Every file under MEDIA_ROOT by relative path: what a restore must leave alone or match."""
    root = Path(root)
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def row_counts() -> dict[str, int]:
    return {m._meta.label: m._default_manager.count() for m in apps.get_models() if m._meta.managed}


def empty_the_instance(settings, tmp_path):
    delete_content()
    get_user_model().objects.all().delete()
    settings.MEDIA_ROOT = str(tmp_path / "empty-media")


def rewrite(
    source, destination, *, data=None, manifest=None, media=None, extra=None, raw_manifest=None
):
    """A copy of an archive with data.jsonl lines, the manifest or media members changed.

    Changed media get a matching manifest entry, so only the check under test can refuse them.
    """
    media = media or {}
    with zipfile.ZipFile(source) as old:
        lines = old.read("data.jsonl").decode().splitlines()
        listed = json.loads(old.read("manifest.json"))
        members = {n: old.read(n) for n in old.namelist() if n.startswith("media/")}
    for name, content in media.items():
        members[f"media/{name}"] = content
        for entry in listed["files"]:
            if entry["name"] == name:
                entry.update(size=len(content), sha256=hashlib.sha256(content).hexdigest())
    if data:
        lines = data(lines)
        listed["objects"] = len(lines)
    if manifest:
        manifest(listed)
    with zipfile.ZipFile(destination, "w", zipfile.ZIP_DEFLATED) as new:
        new.writestr("data.jsonl", "".join(f"{line}\n" for line in lines))
        for name, content in {**members, **(extra or {})}.items():
            new.writestr(name, content)
        new.writestr("manifest.json", raw_manifest or json.dumps(listed))
    return destination


def edit_records(model, change):
    """A data= function for rewrite(): `change(record)` on every record of `model`."""

    def edit(lines):
        records = [json.loads(line) for line in lines]
        for record in records:
            if record["model"] == model:
                change(record)
        return [json.dumps(record) for record in records]

    return edit
