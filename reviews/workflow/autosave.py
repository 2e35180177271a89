"""Autosave: a curator's unsaved edits of a post's change form, or of a section's or an entry's
own page, kept per user and record.

The editor's script (static/js/autosave.js) posts the form every few seconds while the
curator types; the row outlives a closed tab and an expired session, and the change form
offers it back on reopening. Saving the post (or the part) through the editor clears it.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from core.autosave import AutosaveRefused, clean_form_data
from reviews.models import Entry, PartAutosave, Post, PostAutosave, Section
from reviews.workflow import drafts, rules

NO_PART_IN_DRAFT = (
    "This post is live and its draft of changes has no such {what}: nothing was kept. "
    "Reopen the post to edit its draft."
)


def _require_editor(by, post: Post) -> None:
    if not rules.can_edit_post(by, post):
        raise PermissionDenied("You may not change this post.")


@transaction.atomic
def autosave_edits(*, post: Post, by, form_data, post_version: int) -> PostAutosave:
    """Keep `by`'s current form state of `post` (one row per user and post, replaced)."""
    _require_editor(by, post)
    data = clean_form_data(form_data)
    autosave, _ = PostAutosave.objects.update_or_create(
        post=post,
        user=by,
        defaults={"form_data": data, "post_version": post_version, "saved_at": timezone.now()},
    )
    return autosave


def pending_autosave(*, post: Post, by) -> PostAutosave | None:
    """`by`'s autosaved edits of `post`, to offer back when the change form opens."""
    if not rules.can_edit_post(by, post):
        return None
    return PostAutosave.objects.filter(post=post, user=by).first()


def discard_autosave(*, post: Post, by) -> int:
    """Forget `by`'s autosaved edits of `post` (after a save, or when the curator declines)."""
    deleted, _ = PostAutosave.objects.filter(post=post, user=by).delete()
    return deleted


def _part_key(part: Section | Entry) -> dict:
    return {"section": part} if isinstance(part, Section) else {"entry": part}


def _may_change_part(by, part: Section | Entry) -> bool:
    return by is not None and rules.can_change_part(by, part=part, target_post=None)


@transaction.atomic
def autosave_part_edits(*, part: Section | Entry, by, form_data, part_version: int) -> PartAutosave:
    """Keep `by`'s current form state of a section's or an entry's page (one row per user and
    part, replaced). A part of a live post is edited in its draft of changes, so its edits are
    kept on the draft's part that stands in its place, never on the live one."""
    if not _may_change_part(by, part):
        raise PermissionDenied("You may not change this post.")
    data = clean_form_data(form_data)
    if drafts.uses_working_copy(rules.stored_post_of(part)):
        twin = drafts.part_in_working_copy(part=part, by=by)
        if twin is None:
            raise AutosaveRefused(NO_PART_IN_DRAFT.format(what=part._meta.verbose_name))
        part = twin
    autosave, _ = PartAutosave.objects.update_or_create(
        **_part_key(part),
        user=by,
        defaults={"form_data": data, "part_version": part_version, "saved_at": timezone.now()},
    )
    return autosave


def pending_part_autosave(*, part: Section | Entry, by) -> PartAutosave | None:
    """`by`'s autosaved edits of a section's or an entry's page, to offer back when it opens."""
    if not _may_change_part(by, part):
        return None
    return PartAutosave.objects.filter(**_part_key(part), user=by).first()


def discard_part_autosave(*, part: Section | Entry, by) -> int:
    """Forget `by`'s autosaved edits of a part's page (after a save, or when declined)."""
    deleted, _ = PartAutosave.objects.filter(**_part_key(part), user=by).delete()
    return deleted
