"""Our copy of a video host's thumbnail, so a page shows a still image with no third-party request.

When a curator approves a video of a host that offers a still image (papers.video_hosts),
`papers.videos.videos_approved` queues `reviews.tasks.fetch_video_thumbnail`. It fetches the
image server-side with the gallery's fetcher (reviews.media.fetch: the URL gate, a deadline, a
size cap and the image gate), stores it content-addressed under `video-thumbnails/` (the same
bytes for two videos are one file) and records it on the video row. A host whose still is named
by a JSON answer (Vimeo's oEmbed, Bilibili's view API) is asked for that JSON first, with the
same fetcher, a small size cap and a JSON content type; the address it names must be https on
the host's own image servers, and so must any redirect that leaves the origin asked. A failed
fetch leaves the row as it was (the task records why): the placeholder shows no image.
A rejected or deleted video lets go of its file (reviews.media.cleanup.release_files: deleted
after the commit unless another video row still names it). Who may fetch the file is decided by
reviews.visibility (`public_thumbnail`): only approved videos of public papers and keynotes.
"""

import hashlib
import json
import urllib.request
from urllib.parse import urlsplit, urlunsplit

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from core.fields import validate_url
from papers.models import THUMBNAILS_DIR, Video
from papers.video_hosts import HostedVideo
from reviews.media.cleanup import release_files
from reviews.media.fetch import FetchError, HttpOnlyRedirects, download, download_image
from reviews.media.images import FORMATS

VIDEO_MODELS = ("papers.PaperVideo", "reviews.KeynoteVideo")
JSON_MAX_BYTES = 64 * 1024
JSON_TYPES = frozenset({"application/json"})


def _mirrored(url: str) -> str:
    """`VIDEO_THUMBNAIL_ORIGIN` replaces the host's scheme and address (a mirror, or a test
    server on 127.0.0.1); the path and query stay the host's. Then the URL gate."""
    if origin := settings.VIDEO_THUMBNAIL_ORIGIN:
        replaced = urlsplit(origin)
        url = urlunsplit(urlsplit(url)._replace(scheme=replaced.scheme, netloc=replaced.netloc))
    try:
        validate_url(url)
    except ValidationError as exc:
        raise FetchError(" ".join(exc.messages)) from exc
    return url


def _on_image_host(url: str, image_hosts: tuple[str, ...]) -> bool:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().rstrip(".")
    return (
        parts.scheme == "https"
        and not parts.username
        and parts.port in (None, 443)
        and any(host == allowed or host.endswith(f".{allowed}") for allowed in image_hosts)
    )


def _gated_opener(image_hosts: tuple[str, ...]):
    """An opener following a redirect only within the origin asked, or to an https address on
    the host's image servers; anything else (another port, a private address, http) is refused."""

    class Redirects(HttpOnlyRedirects):
        def redirect_request(self, req, fp, code, msg, headers, newurl):
            asked, target = urlsplit(req.full_url), urlsplit(newurl)
            same_origin = (asked.scheme, asked.netloc) == (target.scheme, target.netloc)
            if not same_origin and not _on_image_host(newurl, image_hosts):
                self.refuse(fp, f"redirected to {newurl}, not one of the host's image servers")
            return super().redirect_request(req, fp, code, msg, headers, newurl)

    return urllib.request.build_opener(Redirects)


def _still_address(value, hosted: HostedVideo) -> str:
    """The still's address a host's JSON named, if it is https on the host's image servers."""
    lookup, label = hosted.thumbnail_lookup, hosted.label
    if not isinstance(value, str) or not value:
        raise FetchError(f"the {label} answer's {'.'.join(lookup.path)} is not an address")
    if lookup.upgrade_http and value.lower().startswith("http://"):
        value = "https://" + value[len("http://") :]
    if not value.lower().startswith("https://"):
        raise FetchError(f"the {label} thumbnail address {value!r} is not https")
    if not _on_image_host(value, hosted.image_hosts):
        raise FetchError(f"the {label} thumbnail address {value!r} is not on its image servers")
    return value


def look_up_still(hosted: HostedVideo, *, timeout: float = 10) -> str:
    """Ask the host's JSON for the still's address (Vimeo, Bilibili); raises FetchError naming
    what was wrong with the answer (too big, not JSON, no address, a refused address)."""
    lookup = hosted.thumbnail_lookup
    body = download(
        _mirrored(lookup.url),
        content_types=JSON_TYPES,
        described="JSON",
        accept="application/json",
        timeout=timeout,
        max_bytes=JSON_MAX_BYTES,
        opener=_gated_opener(hosted.image_hosts),
    )
    try:
        value = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FetchError(f"the {hosted.label} answer is not valid JSON ({exc})") from exc
    for key in lookup.path:
        if not isinstance(value, dict) or key not in value:
            raise FetchError(f"the {hosted.label} answer has no {'.'.join(lookup.path)}")
        value = value[key]
    return _still_address(value, hosted)


def thumbnail_source(video, *, timeout: float = 10) -> str:
    """Where to fetch the video's still image ("" for none), through the URL gate; for a
    host whose JSON names it, that JSON is fetched first."""
    hosted = video.hosted
    if hosted is None or not hosted.has_thumbnail:
        return ""
    url = hosted.thumbnail_url or look_up_still(hosted, timeout=timeout)
    return _mirrored(url)


def thumbnail_name(content: bytes, fmt: str) -> str:
    """The content address of a thumbnail: the hash of its cleaned bytes."""
    digest = hashlib.sha256(content).hexdigest()
    return f"{THUMBNAILS_DIR}/{digest[:2]}/{digest[2:34]}.{FORMATS[fmt][0]}"


def wants_thumbnail(video) -> bool:
    """An approved video of a host with a still image, not fetched yet."""
    return (
        settings.VIDEO_THUMBNAILS
        and video.state == Video.State.APPROVED
        and not video.thumbnail
        and bool(video.hosted and video.hosted.has_thumbnail)
    )


def fetch_video_thumbnail(*, model: str, pk: int, timeout: float = 10) -> str:
    """Fetch and store the thumbnail of one video (`model` is "papers.PaperVideo" or
    "reviews.KeynoteVideo"); returns the stored name, or "" when there is nothing to do.

    Raises FetchError naming the problem (the host refused, a hostile or broken JSON answer,
    not an image, too big, ...).
    """
    if model not in VIDEO_MODELS:
        raise FetchError(f"{model} is not a video model")
    video_model = apps.get_model(model)
    video = video_model.objects.filter(pk=pk).first()
    if video is None or not wants_thumbnail(video):
        return ""
    source = thumbnail_source(video, timeout=timeout)
    opener = _gated_opener(video.hosted.image_hosts)
    clean = download_image(source, timeout=timeout, opener=opener)
    name = thumbnail_name(clean.content, clean.format)
    if not default_storage.exists(name):
        stored = default_storage.save(name, ContentFile(clean.content))
        if stored != name:
            default_storage.delete(stored)
            raise FetchError(f"the storage renamed {name} to {stored}; not recorded")
    with transaction.atomic():
        locked = video_model.objects.select_for_update().filter(pk=pk).first()
        if locked is None or not wants_thumbnail(locked) or locked.url != video.url:
            release_files([name])  # deleted, rejected or edited meanwhile; kept if shared
            return ""
        locked.thumbnail.name = name
        locked.thumbnail_width, locked.thumbnail_height = clean.width, clean.height
        locked.save(update_fields=["thumbnail", "thumbnail_width", "thumbnail_height"])
    return name


def queue_thumbnails(sender, videos, **kwargs) -> None:
    """`videos_approved` receiver: queue a fetch per video that wants one, after the commit."""
    from reviews.tasks import fetch_video_thumbnail as task

    label = sender._meta.label
    for video in videos:
        if wants_thumbnail(video):
            transaction.on_commit(lambda pk=video.pk: task.enqueue(model=label, pk=pk))


def drop_thumbnails(sender, videos, **kwargs) -> None:
    """`videos_rejected` receiver: the rows forget their thumbnails and the files are released."""
    names = [video.thumbnail.name for video in videos if video.thumbnail]
    if names:
        sender.objects.filter(pk__in=[video.pk for video in videos]).update(
            thumbnail="", thumbnail_width=None, thumbnail_height=None
        )
        release_files(names)


def video_deleted(sender, instance, **kwargs) -> None:
    """`post_delete` receiver of the video models: the thumbnail file is released."""
    release_files([instance.thumbnail.name])
