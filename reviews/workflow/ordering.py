"""Reordering a post's sections, a section's entries and an entry's images, from the outline.
The new order is written by core.ordering (two passes under the unique order constraints).
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max

from core.concurrency import bump_version
from core.ordering import write_order
from reviews.models import Entry, GalleryImage, Post, Section
from reviews.workflow import rules
from reviews.workflow.editing import NOT_YOURS, _check_publishing
from reviews.workflow.revisions import record_revision

STALE = (
    "The outline changed since you opened it (something was added or removed): "
    "reload the page and move it again."
)


def _reorder(*, rows, ids: list[int], by, post: Post, summary: str) -> Post:
    if not rules.can_edit_post(by, post):
        raise PermissionDenied(NOT_YOURS)
    Post.objects.select_for_update().values_list("pk", flat=True).get(pk=post.pk)
    write_order(rows=rows, ids=ids, stale=STALE)
    bump_version(instance=post)
    _check_publishing(post)
    record_revision(post=post, by=by, summary=summary)
    return post


@transaction.atomic
def reorder_sections(*, post: Post, ids: list[int], by) -> Post:
    """Put the post's sections in the order of `ids` (every section, each once)."""
    return _reorder(
        rows=Section.objects.filter(post=post),
        ids=ids,
        by=by,
        post=post,
        summary="Reordered sections",
    )


@transaction.atomic
def reorder_entries(*, section: Section, ids: list[int], by) -> Post:
    """Put the section's entries in the order of `ids` (every entry, each once)."""
    return _reorder(
        rows=Entry.objects.filter(section=section),
        ids=ids,
        by=by,
        post=section.post,
        summary=f"Reordered entries in “{section}”",
    )


@transaction.atomic
def reorder_images(*, entry: Entry, ids: list[int], by) -> Post:
    """Put the entry's gallery images in the order of `ids` (every image, each once)."""
    return _reorder(
        rows=GalleryImage.objects.filter(entry=entry),
        ids=ids,
        by=by,
        post=entry.section.post,
        summary=f"Reordered images of “{entry}”",
    )


def next_order(part: Section | Entry) -> int:
    """The order that puts a new section or entry after its siblings."""
    if isinstance(part, Section):
        siblings = Section.objects.filter(post_id=part.post_id)
    else:
        siblings = Entry.objects.filter(section_id=part.section_id)
    top = siblings.aggregate(top=Max("order"))["top"]
    return 0 if top is None else top + 1
