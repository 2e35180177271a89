"""Autosave of a paper's change form: a curator's unsaved edits (inline rows included), kept per
user and paper while they type (static/js/autosave.js), offered back when the form reopens,
cleared by a save of the paper. What is kept, and its limits, is core.autosave's."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from core.autosave import clean_form_data
from papers.models import Paper, PaperAutosave
from papers.rules import can_change_papers
from papers.services import NOT_A_PAPER_EDITOR


@transaction.atomic
def autosave_paper_edits(*, paper: Paper, by, form_data, paper_version: int) -> PaperAutosave:
    """Keep `by`'s current form state of `paper` (one row per user and paper, replaced)."""
    if by is None or not can_change_papers(by):
        raise PermissionDenied(NOT_A_PAPER_EDITOR)
    autosave, _ = PaperAutosave.objects.update_or_create(
        paper=paper,
        user=by,
        defaults={
            "form_data": clean_form_data(form_data),
            "paper_version": paper_version,
            "saved_at": timezone.now(),
        },
    )
    return autosave


def pending_paper_autosave(*, paper: Paper, by) -> PaperAutosave | None:
    """`by`'s autosaved edits of `paper`, to offer back when the change form opens."""
    if not can_change_papers(by):
        return None
    return PaperAutosave.objects.filter(paper=paper, user=by).first()


def discard_paper_autosave(*, paper: Paper, by) -> int:
    """Forget `by`'s autosaved edits of `paper` (when the curator declines them)."""
    deleted, _ = PaperAutosave.objects.filter(paper=paper, user=by).delete()
    return deleted
