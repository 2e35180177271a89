"""Our copy of a video host's thumbnail, so a page shows a still image with no third-party request.

When a curator approves a video of a host that offers a still image (papers.video_hosts),
`papers.videos.videos_approved` queues `reviews.tasks.fetch_video_thumbnail`. It fetches the
image server-side with the gallery's fetcher (reviews.media.fetch: the URL gate, a deadline, a
size cap and the image gate), stores it content-addressed under `video-thumbnails/` (the same
bytes for two videos are one file) and records it on the video row. A failed fetch leaves the
row as it was: the placeholder shows no image. Who may fetch the file is decided by
reviews.visibility (`public_thumbnail`): only approved videos of public papers and keynotes.
"""

import hashlib
from urllib.parse import urlsplit, urlunsplit

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from core.fields import validate_url
from papers.models import THUMBNAILS_DIR, Video
from reviews.media.fetch import FetchError, download_image
from reviews.media.images import FORMATS

VIDEO_MODELS = ("papers.PaperVideo", "reviews.KeynoteVideo")


def thumbnail_source(video) -> str:
    """Where the host keeps the video's still image ("" for none), through the URL gate.

    `VIDEO_THUMBNAIL_ORIGIN` replaces the host's scheme and address (a mirror, or a test
    server on 127.0.0.1); the path stays the host's.
    """
    hosted = video.hosted
    if hosted is None or not hosted.thumbnail_url:
        return ""
    url = hosted.thumbnail_url
    if origin := settings.VIDEO_THUMBNAIL_ORIGIN:
        replaced = urlsplit(origin)
        url = urlunsplit(urlsplit(url)._replace(scheme=replaced.scheme, netloc=replaced.netloc))
    validate_url(url)
    return url


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
        and bool(video.hosted and video.hosted.thumbnail_url)
    )


def fetch_video_thumbnail(*, model: str, pk: int, timeout: float = 10) -> str:
    """Fetch and store the thumbnail of one video (`model` is "papers.PaperVideo" or
    "reviews.KeynoteVideo"); returns the stored name, or "" when there is nothing to do.

    Raises FetchError naming the problem (the host refused, not an image, too big, ...).
    """
    if model not in VIDEO_MODELS:
        raise FetchError(f"{model} is not a video model")
    video_model = apps.get_model(model)
    video = video_model.objects.filter(pk=pk).first()
    if video is None or not wants_thumbnail(video):
        return ""
    try:
        source = thumbnail_source(video)
    except ValidationError as exc:
        raise FetchError(" ".join(exc.messages)) from exc
    clean = download_image(source, timeout=timeout)
    name = thumbnail_name(clean.content, clean.format)
    if not default_storage.exists(name):
        stored = default_storage.save(name, ContentFile(clean.content))
        if stored != name:
            default_storage.delete(stored)
            raise FetchError(f"the storage renamed {name} to {stored}; not recorded")
    with transaction.atomic():
        locked = video_model.objects.select_for_update().filter(pk=pk).first()
        if locked is None or not wants_thumbnail(locked) or thumbnail_source(locked) != source:
            return ""  # deleted, rejected or edited meanwhile; the file may serve another row
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
