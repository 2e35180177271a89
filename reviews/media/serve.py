"""Serves uploaded media with a content type decided by us, never guessed from the bytes.

Only the uploads of public posts are served to everyone (reviews.visibility.may_view_upload);
a draft's uploads go to its editors alone, never cached, and anything else is a 404. The files
are read through the storage, so the same gate stands in front of local disk and of a bucket;
for a bucket (core.storage), a draft's editors are sent to a signed URL that soon expires.
"""

import os

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.core.files.utils import validate_file_name
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.utils.cache import add_never_cache_headers, patch_cache_control

from core.storage import signed_url
from reviews.visibility import may_preview_upload, public_upload

IMAGE_TYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
    ".gif": "image/gif",
}


def stored_name(path: str) -> str:
    """The storage name behind a /media/ path; traversal, absolute paths and NULs are refused."""
    if "\x00" in path or "\\" in path or path.startswith("/"):
        raise Http404("No such file.")
    try:
        return validate_file_name(path, allow_relative_path=True)
    except SuspiciousFileOperation:
        raise Http404("No such file.") from None


def serve_media(request, path):
    name = stored_name(path)
    public = public_upload(name)
    if not public and not may_preview_upload(request.user, name):
        raise Http404("No such file.")
    if not default_storage.exists(name):
        raise Http404("No such file.")
    if not public and (
        direct := signed_url(default_storage, name, seconds=settings.MEDIA_SIGNED_URL_SECONDS)
    ):
        response = HttpResponseRedirect(direct)
        add_never_cache_headers(response)
        patch_cache_control(response, private=True)
        return response
    content_type = IMAGE_TYPES.get(os.path.splitext(name)[1].lower())
    response = FileResponse(
        default_storage.open(name, "rb"),
        content_type=content_type or "application/octet-stream",
        as_attachment=content_type is None,
        filename=os.path.basename(name),
    )
    if public:
        response["Cache-Control"] = "public, max-age=86400"
    else:
        add_never_cache_headers(response)
        patch_cache_control(response, private=True)
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
