"""Serves uploaded media with a content type decided by us, never guessed from the bytes.

Only the uploads of public posts are served to everyone (reviews.visibility.may_view_upload);
a draft's uploads go to its editors alone, never cached, and anything else is a 404.
"""

import os

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.http import FileResponse, Http404
from django.utils._os import safe_join
from django.utils.cache import add_never_cache_headers, patch_cache_control

from reviews.visibility import may_preview_upload, public_upload

IMAGE_TYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
    ".gif": "image/gif",
}


def serve_media(request, path):
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
