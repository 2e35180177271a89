"""Revisions of a post: a JSON snapshot at every save, a readable diff, and a restore."""

import difflib
import json

from django.core import serializers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from core.concurrency import bump_version
from core.side_effects import batched
from reviews.models import Entry, GalleryImage, Post, PostRevision, Section
from reviews.selectors import post_with_content
from reviews.workflow.audit import log_action
from reviews.workflow.rules import can_restore_revision

# Publishing state and bookkeeping are not content: a restore never publishes or unpublishes.
BOOKKEEPING = {"id", "version", "created_by", "created_at", "updated_at", "body_html", "card_html"}
NOT_RESTORED = BOOKKEEPING | {"status", "published_at"}
CHILD_SKIPPED = {"id", "version", "post", "section", "entry"}
# Renditions are rebuilt from the restored sources (their files may have been released since).
NOT_RESTORED_MEDIA = {"cover_renditions", "renditions"}


class RestoreError(Exception):
    pass


def _fields(obj) -> dict:
    """Concrete fields as JSON values, keyed by name; new fields are captured without changes."""
    [data] = json.loads(serializers.serialize("json", [obj]))
    return data["fields"]


def take_snapshot(post: Post) -> dict:
    post = post_with_content(Post.objects.filter(pk=post.pk)).get()
    post_fields = {k: v for k, v in _fields(post).items() if k not in BOOKKEEPING}
    sections = []
    for section in post.sections.all():
        entries = []
        for entry in section.entries.all():
            fields = {k: v for k, v in _fields(entry).items() if k not in CHILD_SKIPPED}
            fields["display_heading"] = entry.display_heading
            fields["images"] = [
                {k: v for k, v in _fields(image).items() if k not in CHILD_SKIPPED}
                for image in entry.images.all()
            ]
            entries.append(fields)
        fields = {k: v for k, v in _fields(section).items() if k not in CHILD_SKIPPED}
        sections.append({**fields, "entries": entries})
    return {
        "post": post_fields,
        "tags": sorted(tag.name for tag in post.tags.all()),
        "sections": sections,
    }


def record_revision(
    *, post: Post, by=None, summary: str = "", snapshot: dict | None = None
) -> PostRevision:
    """Store what the post looks like now; call it after the sections and entries are saved.
    `snapshot` is take_snapshot(post) when the caller has just taken it."""
    return PostRevision.objects.create(
        post=post,
        created_by=by,
        snapshot=snapshot if snapshot is not None else take_snapshot(post),
        summary=summary[:300],
    )


def _ordered(data: dict, model) -> list[str]:
    """Keys in model field order (PostgreSQL's jsonb does not keep key order), then the rest."""
    names = [f.name for f in model._meta.concrete_fields if f.name in data]
    return names + sorted(set(data) - set(names))


def _value_lines(name: str, value, indent: str) -> list[str]:
    text = "" if value is None else str(value)
    if "\n" not in text:
        return [f"{indent}{name}: {text}"]
    return [f"{indent}{name}:"] + [f"{indent}  {line}" for line in text.splitlines()]


def render_snapshot_text(snapshot: dict) -> str:
    """A stable, line-oriented rendering of a snapshot: what the diff compares."""
    post = snapshot.get("post", {})
    lines = []
    for name in _ordered(post, Post):
        lines += _value_lines(name, post[name], "")
    lines.append(f"tags: {', '.join(snapshot.get('tags', []))}")
    for s_number, section in enumerate(snapshot.get("sections", []), start=1):
        lines.append(f"== Section {s_number}: {section['title']}")
        for e_number, entry in enumerate(section["entries"], start=1):
            lines.append(f"-- Entry {s_number}.{e_number}: {entry.get('display_heading', '')}")
            fields = {k: v for k, v in entry.items() if k not in {"images", "display_heading"}}
            for name in _ordered(fields, Entry):
                lines += _value_lines(name, fields[name], "   ")
            for i_number, image in enumerate(entry.get("images", []), start=1):
                lines.append(f"   image {i_number}:")
                for name in _ordered(image, GalleryImage):
                    lines += _value_lines(name, image[name], "     ")
    return "\n".join(lines) + "\n"


def diff_revisions(old: PostRevision, new: PostRevision) -> list[str]:
    """Unified diff lines from `old` to `new` (empty when they show the same post)."""
    return list(
        difflib.unified_diff(
            render_snapshot_text(old.snapshot).splitlines(),
            render_snapshot_text(new.snapshot).splitlines(),
            fromfile=f"revision {old.pk}",
            tofile=f"revision {new.pk}",
            lineterm="",
        )
    )


def _assign(instance, model, data: dict, skipped: set):
    for field in model._meta.concrete_fields:
        if field.name in skipped or field.name not in data:
            continue
        value = data[field.name]
        if not field.is_relation:
            value = field.to_python(value)
        setattr(instance, field.attname, value)


def _clean(instance, where: str):
    try:
        instance.full_clean()
    except ValidationError as error:
        problems = "; ".join(f"{k}: {' '.join(v)}" for k, v in error.message_dict.items())
        raise RestoreError(f"{where} cannot be restored: {problems}") from error


def _missing(field_file) -> bool:
    return bool(field_file) and not field_file.storage.exists(field_file.name)


@transaction.atomic
@batched()
def restore_revision(*, revision: PostRevision, by) -> PostRevision:
    """Put the post's content back as it was; the restore is itself a new revision.

    Status and publication date stay as they are now: restoring old text never publishes a
    draft or hides a published post. Raises RestoreError, with nothing changed, when the old
    content no longer fits (a paper deleted since, a slug taken by another post). Uploaded
    files that are gone from storage are left out (an image without its file, or the cover)
    and named in the new revision's summary and in its ``missing_files`` attribute; everything
    else is restored, and renditions are made again for the restored sources.
    """
    post = Post.objects.select_for_update().get(pk=revision.post_id)
    if not can_restore_revision(by, post=post):
        raise PermissionDenied("You may only restore revisions of posts you may edit.")
    snapshot = revision.snapshot
    missing: list[str] = []
    _assign(post, Post, snapshot["post"], NOT_RESTORED | NOT_RESTORED_MEDIA)
    if _missing(post.cover_image):
        missing.append(f"the cover ({post.cover_image.name})")
        post.cover_image = ""
    _clean(post, "The post")
    post.sections.all().delete()
    for section_data in snapshot["sections"]:
        section = Section(post=post)
        _assign(section, Section, section_data, CHILD_SKIPPED)
        _clean(section, f"Section “{section.title}”")
        section.save()
        for entry_data in section_data["entries"]:
            entry = Entry(section=section)
            _assign(entry, Entry, entry_data, CHILD_SKIPPED)
            _clean(entry, f"Entry “{entry_data.get('display_heading', '')}”")
            entry.save()
            for number, image_data in enumerate(entry_data["images"], start=1):
                image = GalleryImage(entry=entry)
                _assign(image, GalleryImage, image_data, CHILD_SKIPPED | NOT_RESTORED_MEDIA)
                if _missing(image.image):
                    heading = entry_data.get("display_heading", "")
                    missing.append(f"image {number} of “{heading}” ({image.image.name})")
                    continue
                _clean(image, f"An image of “{entry_data.get('display_heading', '')}”")
                image.save()
    post.save()
    bump_version(instance=post)
    post.tags.set(snapshot["tags"])
    message = f"Restored revision {revision.pk} of {revision.created_at:%Y-%m-%d %H:%M} UTC"
    if missing:
        message += "; missing from storage and left out: " + ", ".join(missing)
    log_action(user=by, obj=post, message=message)
    summary_length = PostRevision._meta.get_field("summary").max_length
    summary = message if len(message) <= summary_length else message[: summary_length - 1] + "…"
    restored = record_revision(post=post, by=by, summary=summary)
    restored.missing_files = missing
    restored.message = message
    return restored
