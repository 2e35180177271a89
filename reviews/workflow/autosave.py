"""Autosave: a curator's unsaved edits of a post's change form, kept per user and post.

The editor's script (static/js/autosave.js) posts the form every few seconds while the
curator types; the row outlives a closed tab and an expired session, and the change form
offers it back on reopening. Saving the post through the editor clears it.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from core.autosave import clean_form_data
from reviews.models import Post, PostAutosave
from reviews.workflow import rules


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
