"""The admin half of autosave, shared by the post, section, entry and paper change pages: the
context the banner (templates/admin/includes/autosave_banner.html) and static/js/autosave.js
read, and the endpoint's answer to the script."""

import json
from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.http import JsonResponse

from core.autosave import AutosaveRefused


def autosave_context(
    *, url: str, saved, saved_version: int | None, current_version: int, form_id: str, what: str
) -> dict:
    """`saved` is the user's stored autosave row of this record (or None), kept while the record
    was at `saved_version`; `what` names the record in the banner ("post", "entry", "paper")."""
    context = {
        "autosave_url": url,
        "autosave_form": form_id,
        "autosave_what": what,
        "autosave_version": current_version,
    }
    if saved is not None:
        context["pending_autosave"] = saved
        context["autosave_stale"] = saved_version < current_version
        context["autosave_data"] = {"saved_at": saved.saved_at.isoformat(), "form": saved.form_data}
    return context


def autosave_response(request, *, keep: Callable, discard: Callable[[], object]) -> JsonResponse:
    """POST ?discard=1 forgets the kept edits; any other POST is {"form": pairs, "version": n},
    stored by `keep(form_data=..., version=...)`, which returns the row."""
    if "discard" in request.GET:
        discard()
        return JsonResponse({"discarded": True})
    try:
        body = json.loads(request.body or b"null")
        if not isinstance(body, dict):
            body = {}
        saved = keep(form_data=body.get("form"), version=int(body.get("version") or 0))
    except (ValueError, TypeError):
        return JsonResponse({"error": "The autosave is not valid JSON."}, status=400)
    except AutosaveRefused as refusal:
        return JsonResponse({"error": str(refusal)}, status=400)
    except PermissionDenied as refusal:
        return JsonResponse({"error": str(refusal)}, status=403)
    return JsonResponse({"saved_at": saved.saved_at.isoformat()})
