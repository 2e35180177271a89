"""The admin half of curated orders (the post outline, an entry's gallery, a paper's excerpts):
the ↑/↓ buttons of one row and the request they, or a drag, send. The buttons post a form of
their own, so they work without JavaScript; static/js/admin-inline-order.js (rows of an inline)
and admin-outline.js save the same request with fetch() and move the row in place.
"""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils.html import format_html

from core.ordering import moved
from core.versioned_admin import refusal_messages


def move_buttons(*, pk: int, label: str, form: str) -> str:
    """Move up / down for one row, submitting the reorder form `form` (by its id)."""
    return format_html(
        '<span class="outline-moves" data-id="{pk}">'
        '<button type="submit" class="button outline-move" form="{form}" name="move" '
        'value="{pk}:up" aria-label="Move “{label}” up">↑</button>'
        '<button type="submit" class="button outline-move" form="{form}" name="move" '
        'value="{pk}:down" aria-label="Move “{label}” down">↓</button></span>',
        pk=pk,
        label=label,
        form=form,
    )


def requested_order(request, current: list[int]) -> list[int]:
    """The new order a request asks for: ids=1,3,2 (a drag) or move=<id>:up|down (a button)."""
    if "move" in request.POST:
        pk, _, direction = request.POST["move"].partition(":")
        offset = {"up": -1, "down": 1}.get(direction)
        if offset is None or not pk.isdigit():
            raise ValidationError("Say which item to move, and up or down.")
        return moved(current, int(pk), offset)
    try:
        return [int(part) for part in request.POST.get("ids", "").split(",") if part.strip()]
    except ValueError:
        raise ValidationError("The new order is not a list of ids.") from None


def reorder_response(
    modeladmin,
    request,
    *,
    current: list[int],
    save: Callable[[list[int]], int],
    back: str,
    refusals: tuple[type[Exception], ...],
):
    """Run `save(ids)` (a service call returning the parent's new version); answer JSON to
    fetch() and redirect a plain form back to `back` with a message."""
    wants_json = "application/json" in request.headers.get("Accept", "")
    try:
        ids = requested_order(request, current)
        version = save(ids)
    except refusals as refusal:
        text = " ".join(refusal_messages(refusal))
        if wants_json:
            return JsonResponse({"error": text}, status=400)
        modeladmin.message_user(request, text, messages.ERROR)
        return redirect(back)
    if wants_json:
        return JsonResponse({"version": version, "ids": ids})
    modeladmin.message_user(request, "New order saved.", messages.SUCCESS)
    return redirect(back)
