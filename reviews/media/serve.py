"""Serves uploaded media with a content type decided by us, never guessed from the bytes.

Only the uploads of public posts are served to everyone (reviews.visibility.may_view_upload);
a draft's uploads go to its editors alone, never cached, and anything else is a 404. On object
storage (reviews.media.storage) the same decision ends in a redirect to a signed, expiring
URL of the private bucket instead of the bytes.
"""

import os

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.utils._os import safe_join
from django.utils.cache import add_never_cache_headers, patch_cache_control

from reviews.media.storage import DRAFT_URL_SECONDS, PUBLIC_URL_SECONDS
from reviews.visibility import may_preview_upload, public_upload

IMAGE_TYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
    ".gif": "image/gif",
}


def _allowed(request, path) -> bool | None:
    """True for a public upload, False for a draft's upload its editor may see, else None."""
    if public_upload(path):
        return True
    if may_preview_upload(request.user, path):
        return False
    return None


def _redirect_to_bucket(request, path):
    if ".." in path.split("/") or path.startswith("/") or not default_storage.exists(path):
        raise Http404("No such file.")
    public = _allowed(request, path)
    if public is None:
        raise Http404("No such file.")
    seconds = PUBLIC_URL_SECONDS if public else DRAFT_URL_SECONDS
    response = HttpResponseRedirect(default_storage.signed_url(path, seconds=seconds))
    if public:
        # Cached for less than the signature lives, so a cached redirect never points at an
        # expired URL.
        response["Cache-Control"] = f"public, max-age={seconds // 2}"
    else:
        add_never_cache_headers(response)
        patch_cache_control(response, private=True)
    return response


def serve_media(request, path):
    if getattr(default_storage, "signs_urls", lambda: False)():
        return _redirect_to_bucket(request, path)
    try:
        full_path = safe_join(settings.MEDIA_ROOT, path)
    except SuspiciousFileOperation:
        raise Http404("No such file.") from None
    if not os.path.isfile(full_path):
        raise Http404("No such file.")
    public = public_upload(path)
    if not public and not may_preview_upload(request.user, path):
        raise Http404("No such file.")
    extension = os.path.splitext(full_path)[1].lower()
    content_type = IMAGE_TYPES.get(extension)
    response = FileResponse(
        open(full_path, "rb"),  # noqa: SIM115 - FileResponse closes it
        content_type=content_type or "application/octet-stream",
        as_attachment=content_type is None,
    )
    if public:
        response["Cache-Control"] = "public, max-age=86400"
    else:
        add_never_cache_headers(response)
        patch_cache_control(response, private=True)
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
