"""A size cap on each uploaded file, enforced while the body is read, before it is spooled.

`UploadLimitHandler` comes first in FILE_UPLOAD_HANDLERS: it counts the bytes of each file as
they arrive and stops the upload as soon as one passes UPLOAD_MAX_BYTES, so no handler after
it keeps them in memory or on disk and the rest of the body is not read.
`UploadLimitMiddleware` then answers 413 naming the file and the limit, before any view (or
the CSRF check, which would otherwise read the truncated form) sees the request.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpResponse
from django.template.defaultfilters import filesizeformat


@dataclass(frozen=True)
class RefusedUpload:
    file_name: str
    limit: int

    def message(self) -> str:
        return (
            f"“{self.file_name}” is larger than the upload limit of "
            f"{filesizeformat(self.limit)} ({self.limit:,} bytes); nothing was saved."
        )


class UploadLimitHandler(FileUploadHandler):
    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > settings.UPLOAD_MAX_BYTES:
            self.request.refused_upload = RefusedUpload(self.file_name, settings.UPLOAD_MAX_BYTES)
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size):
        return None


class UploadLimitMiddleware:
    """413 for a multipart request whose upload the handler stopped (placed before CSRF)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and request.content_type == "multipart/form-data":
            request.FILES  # noqa: B018 - parse now, through the upload handlers
            refused = getattr(request, "refused_upload", None)
            if refused is not None:
                response = HttpResponse(
                    refused.message(), status=413, content_type="text/plain; charset=utf-8"
                )
                response["Connection"] = "close"
                return response
        return self.get_response(request)
