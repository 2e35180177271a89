"""A readable comparison of two versions of a post: field by field, section by section, entry by
entry. Used for a working copy against its live post (reviews.workflow.drafts).

Sections and entries are aligned by what they present (a section's title; an entry's paper,
keynote or heading), not by position, so adding one entry at the top reports one added entry
instead of every entry below it as changed.
"""

import difflib
import json
from dataclasses import dataclass, field

from django.db.models.fields.files import FieldFile

from reviews.models import Entry, GalleryImage, Post, Section

POST_SKIPPED = {
    "id",
    "slug",
    "status",
    "published_at",
    "created_at",
    "updated_at",
    "created_by",
    "version",
    "search_vector",
    "working_copy_of",
    "cover_renditions",
    "body_html",  # rendered from the rest (reviews.rendering), never edited
    "card_html",  # rendered from the rest (reviews.cards), never edited
}
SECTION_SKIPPED = {"id", "post", "order", "version"}
ENTRY_SKIPPED = {"id", "section", "order", "version", "search_vector"}
IMAGE_SKIPPED = {"id", "entry", "order", "renditions", "fetched_from"}


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: str
    after: str

    @property
    def line_diff(self) -> list[tuple[str, str]]:
        """For text of several lines: ("-", line) removed, ("+", line) added, (" ", line) kept."""
        if "\n" not in self.before and "\n" not in self.after:
            return []
        lines = difflib.ndiff(self.before.splitlines(), self.after.splitlines())
        return [(line[0], line[2:]) for line in lines if line[0] in "+- "]


@dataclass(frozen=True)
class PartChange:
    """One section, entry or image: "added", "removed" or "changed" (with its fields)."""

    where: str
    kind: str
    fields: tuple[FieldChange, ...] = field(default=())

    def __str__(self):
        return f"{self.where} {self.kind}"


def _text(obj, model_field) -> str:
    if model_field.is_relation:
        related = getattr(obj, model_field.name)
        return "" if related is None else str(related)
    value = getattr(obj, model_field.attname)
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return "" if value is None else str(value)


def _field_changes(old, new, model, skipped) -> tuple[FieldChange, ...]:
    changes = []
    for model_field in model._meta.concrete_fields:
        if model_field.name in skipped:
            continue
        before, after = _text(old, model_field), _text(new, model_field)
        if before != after:
            changes.append(FieldChange(str(model_field.verbose_name), before, after))
    return tuple(changes)


def _align(old_items, new_items, key) -> list[tuple]:
    """(old, new) pairs in the new order; None on the side where a part was added or removed.
    A part that moved is one pair (its key removed in one place and added in another)."""
    old_keys, new_keys = [key(item) for item in old_items], [key(item) for item in new_items]
    matcher = difflib.SequenceMatcher(a=old_keys, b=new_keys, autojunk=False)
    pairs, removed = [], {}
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pairs += zip(old_items[i1:i2], new_items[j1:j2], strict=True)
            continue
        for old in old_items[i1:i2]:
            removed.setdefault(key(old), []).append(old)
        pairs += [(None, new) for new in new_items[j1:j2]]
    aligned = []
    for old, new in pairs:
        if old is None and removed.get(key(new)):
            old = removed[key(new)].pop(0)
        aligned.append((old, new))
    return aligned + [(old, None) for olds in removed.values() for old in olds]


def _entry_key(entry: Entry):
    return (
        entry.kind,
        entry.paper_id,
        entry.keynote_id,
        entry.heading if entry.kind == "free" else "",
    )


def _image_key(image: GalleryImage):
    return image.image.name or image.external_url


def _compare_parts(where, old, new, model, skipped) -> list[PartChange]:
    if old is None:
        return [PartChange(where, "added", _field_changes(model(), new, model, skipped))]
    if new is None:
        return [PartChange(where, "removed")]
    fields = _field_changes(old, new, model, skipped)
    return [PartChange(where, "changed", fields)] if fields else []


def _compare_images(where, old_entry, new_entry) -> list[PartChange]:
    old_images = list(old_entry.images.all()) if old_entry else []
    new_images = list(new_entry.images.all()) if new_entry else []
    changes = []
    pairs = _align(old_images, new_images, _image_key)
    for number, (old, new) in enumerate(pairs, start=1):
        label = f"Image {number} ({_image_key(new or old)}) of {where}"
        changes += _compare_parts(label, old, new, GalleryImage, IMAGE_SKIPPED)
    if _reordered(old_images, new_images, _image_key):
        changes.append(PartChange(f"Images of {where}", "reordered"))
    return changes


def compare_posts(*, old: Post, new: Post) -> list[PartChange]:
    """What changed from `old` to `new`, both loaded with selectors.post_with_content()."""
    changes = []
    post_fields = list(_field_changes(old, new, Post, POST_SKIPPED))
    old_tags = sorted(tag.name for tag in old.tags.all())
    new_tags = sorted(tag.name for tag in new.tags.all())
    if old_tags != new_tags:
        post_fields.append(FieldChange("tags", ", ".join(old_tags), ", ".join(new_tags)))
    if post_fields:
        changes.append(PartChange("The post", "changed", tuple(post_fields)))
    old_sections, new_sections = list(old.sections.all()), list(new.sections.all())
    for old_section, new_section in _align(old_sections, new_sections, lambda s: s.title):
        section = new_section or old_section
        where = f"Section “{section.title}”"
        changes += _compare_parts(where, old_section, new_section, Section, SECTION_SKIPPED)
        old_entries = list(old_section.entries.all()) if old_section else []
        new_entries = list(new_section.entries.all()) if new_section else []
        for old_entry, new_entry in _align(old_entries, new_entries, _entry_key):
            entry = new_entry or old_entry
            entry_where = f"Entry “{entry.display_heading}” in “{section.title}”"
            if old_section is None or new_section is None:
                continue
            changes += _compare_parts(entry_where, old_entry, new_entry, Entry, ENTRY_SKIPPED)
            if old_entry is not None and new_entry is not None:
                changes += _compare_images(f"“{entry.display_heading}”", old_entry, new_entry)
        if old_section and new_section and _reordered(old_entries, new_entries, _entry_key):
            changes.append(PartChange(f"Entries of “{section.title}”", "reordered"))
    if _reordered(old_sections, new_sections, lambda s: s.title):
        changes.append(PartChange("Sections", "reordered"))
    return changes


def _reordered(old_items, new_items, key) -> bool:
    """The same parts in another order (an added or removed part is reported on its own)."""
    old_keys, new_keys = [key(i) for i in old_items], [key(i) for i in new_items]
    return sorted(map(repr, old_keys)) == sorted(map(repr, new_keys)) and old_keys != new_keys


def summarise(changes: list[PartChange], *, limit: int = 250) -> str:
    """One line for a revision: "intro, tags; Entry “X” in “Y” changed; ..."."""
    parts = []
    for change in changes:
        if change.where == "The post":
            parts.append(", ".join(f.label for f in change.fields))
        else:
            parts.append(str(change))
    text = "; ".join(parts) or "no differences"
    return text if len(text) <= limit else text[: limit - 1] + "…"
