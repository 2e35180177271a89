"""Autosave: a curator's unsaved edits of a post's change form, kept per user and post.

The editor's script (static/js/autosave.js) posts the form every few seconds while the
curator types; the row outlives a closed tab and an expired session, and the change form
offers it back on reopening. Saving the post through the editor clears it.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from core.line_endings import normalise_line_endings
from reviews.models import Post, PostAutosave
from reviews.workflow import rules

MAX_FIELDS = 5000
MAX_CHARS = 2_000_000
# Never stored: secrets of the request, and the version the form claims when it saves.
NOT_STORED = {"csrfmiddlewaretoken", "version"}


class AutosaveRefused(Exception):
    """The submitted form state cannot be stored; the message says why."""


def _clean_form_data(form_data) -> list[list[str]]:
    if not isinstance(form_data, list) or not all(
        isinstance(pair, list | tuple)
        and len(pair) == 2
        and all(isinstance(part, str) for part in pair)
        for pair in form_data
    ):
        raise AutosaveRefused("The form state must be a list of [name, value] pairs of text.")
    if len(form_data) > MAX_FIELDS:
        raise AutosaveRefused(
            f"The form has {len(form_data)} fields; at most {MAX_FIELDS} are kept."
        )
    if sum(len(name) + len(value) for name, value in form_data) > MAX_CHARS:
        raise AutosaveRefused(f"The form holds more than {MAX_CHARS:,} characters; not kept.")
    return [
        [name, normalise_line_endings(value)] for name, value in form_data if name not in NOT_STORED
    ]


def _require_editor(by, post: Post) -> None:
    if not rules.can_edit_post(by, post):
        raise PermissionDenied("You may not change this post.")


@transaction.atomic
def autosave_edits(*, post: Post, by, form_data, post_version: int) -> PostAutosave:
    """Keep `by`'s current form state of `post` (one row per user and post, replaced)."""
    _require_editor(by, post)
    data = _clean_form_data(form_data)
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
