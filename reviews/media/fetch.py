"""Download external gallery images into uploads, with the same checks as an admin upload.

Every URL is fetched with a deadline and a size cap, must announce an image content type and
must pass reviews.media.images.clean_image; a failure is reported for that URL and leaves its row and
the media folder as they were.
"""

import time
import urllib.error
import urllib.request
from collections import Counter
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import DatabaseError, transaction

from reviews.media.images import CONTENT_TYPES, MAX_BYTES, CleanImage, clean_image
from reviews.media.renditions import discard_files
from reviews.models import GalleryImage, Post

USER_AGENT = "ConferenceReviews/1.0 (fetch_images)"
CHUNK = 64 * 1024


class FetchError(Exception):
    """A URL that could not be turned into a stored image; the message says why."""


@dataclass(frozen=True)
class FetchResult:
    url: str
    error: str = ""
    stored_as: str = ""

    @property
    def ok(self) -> bool:
        return not self.error


class HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Follows redirects to http(s) only; a subclass refuses more with `refuse()`."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if urlsplit(newurl).scheme not in ("http", "https"):
            self.refuse(fp, f"redirected to a non-HTTP address ({newurl})")
        return super().redirect_request(req, fp, code, msg, headers, newurl)

    @staticmethod
    def refuse(fp, reason: str):
        """Raise FetchError(reason), closing the redirect's response first: urllib leaves its
        socket open when a handler raises."""
        fp.close()
        raise FetchError(reason)


_opener = urllib.request.build_opener(HttpOnlyRedirects)


def download(
    url: str,
    *,
    content_types,
    described: str,
    accept: str = "image/*",
    timeout: float = 10,
    max_bytes: int = MAX_BYTES,
    opener=None,
) -> bytes:
    """Fetch one URL within ``timeout`` seconds in total: its bytes, if the server announced
    one of ``content_types`` (``described`` in the error otherwise) and sent at most
    ``max_bytes``. ``opener`` may gate redirects by raising FetchError."""
    if urlsplit(url).scheme not in ("http", "https"):
        raise FetchError("only http and https addresses are fetched")
    deadline = time.monotonic() + timeout
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": accept})
    try:
        with (opener or _opener).open(request, timeout=timeout) as response:
            content_type = response.headers.get_content_type()
            if content_type not in content_types:
                raise FetchError(f"the server sent {content_type}, not {described}")
            length = response.headers.get("Content-Length", "")
            if length.isdigit() and int(length) > max_bytes:
                raise FetchError(f"{int(length)} bytes is over the {max_bytes} byte limit")
            data = bytearray()
            while chunk := response.read(CHUNK):
                data += chunk
                if len(data) > max_bytes:
                    raise FetchError(f"more than {max_bytes} bytes; download stopped")
                if time.monotonic() > deadline:
                    raise FetchError(f"timed out after {timeout:g} s")
    except urllib.error.HTTPError as exc:
        exc.close()  # the error is also the response: its socket would be left open
        raise FetchError(f"HTTP {exc.code} {exc.reason}") from exc
    except urllib.error.URLError as exc:
        raise FetchError(f"could not connect ({exc.reason})") from exc
    except TimeoutError as exc:
        raise FetchError(f"timed out after {timeout:g} s") from exc
    except OSError as exc:
        raise FetchError(f"network error ({exc})") from exc
    return bytes(data)


def download_image(
    url: str, *, timeout: float = 10, max_bytes: int = MAX_BYTES, opener=None
) -> CleanImage:
    """Fetch one URL within ``timeout`` seconds in total and return the cleaned image."""
    data = download(
        url,
        content_types=CONTENT_TYPES,
        described="a JPEG, PNG, WebP or GIF",
        timeout=timeout,
        max_bytes=max_bytes,
        opener=opener,
    )
    name = PurePosixPath(urlsplit(url).path).name or "image"
    try:
        return clean_image(ContentFile(data, name=name))
    except ValidationError as exc:
        raise FetchError(" ".join(exc.messages)) from exc


def _store(image: GalleryImage, url: str, clean: CleanImage) -> str:
    """Swap the URL for the upload in one transaction; on failure remove what was written."""
    locked = None
    try:
        with transaction.atomic():
            locked = GalleryImage.objects.select_for_update().get(pk=image.pk)
            if locked.image or locked.external_url != url:
                raise FetchError("the image changed while it was being fetched; run again")
            locked.image = clean.as_file()
            locked.external_url = ""
            locked.fetched_from = url
            locked.full_clean()
            locked.save()
    except GalleryImage.DoesNotExist as exc:
        raise FetchError("the image was deleted while it was being fetched") from exc
    except (DatabaseError, ValidationError) as exc:
        if locked is not None:
            discard_files(locked.image, locked.renditions)
        raise FetchError(f"could not be saved ({exc})") from exc
    return locked.image.name


def fetch_gallery_images(
    *, post: Post | None = None, timeout: float = 10, max_bytes: int = MAX_BYTES
) -> list[FetchResult]:
    """Fetch every external gallery image (of one post, or of all) into uploads."""
    images = GalleryImage.objects.filter(image="").exclude(external_url="")
    if post is not None:
        images = images.filter(entry__section__post=post)
    images = list(
        images.order_by("entry__section__post", "entry__section__order", "entry__order", "order")
    )
    # A URL used by several rows is downloaded once; each row still gets its own file.
    uses = Counter(image.external_url for image in images)
    outcomes: dict[str, CleanImage | FetchError] = {}
    results = []
    for image in images:
        url = image.external_url
        uses[url] -= 1
        outcome = outcomes.pop(url, None)
        if outcome is None:
            try:
                outcome = download_image(url, timeout=timeout, max_bytes=max_bytes)
            except FetchError as exc:
                outcome = exc
        if uses[url]:
            outcomes[url] = outcome
        if isinstance(outcome, FetchError):
            results.append(FetchResult(url=url, error=str(outcome)))
            continue
        try:
            results.append(FetchResult(url=url, stored_as=_store(image, url, outcome)))
        except FetchError as exc:
            results.append(FetchResult(url=url, error=str(exc)))
    return results
