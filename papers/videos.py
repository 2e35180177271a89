"""Videos readers suggest and curators review: the only writers of `Video` rows.

A suggestion is stored waiting and shown nowhere until a curator approves it. The views, the
admin queue and the tests all go through these functions, for papers and keynotes alike (the
target's `videos` relation names the model).
"""

import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.dispatch import Signal
from django.utils import timezone
from redis.exceptions import RedisError

from core.side_effects import batched
from papers.models import Video

RATE_WINDOW_SECONDS = 3600
CACHE_ERRORS = (RedisError, OSError)
TOO_MANY = "Too many suggestions from your address in the last hour; please try again later."
DUPLICATE = "This video has already been suggested for this page."

logger = logging.getLogger(__name__)

# Sent inside the approving transaction: sender is the video model, videos the rows just
# approved. reviews.media.video_thumbnails listens to fetch the hosts' still images.
videos_approved = Signal()
# Sent inside the rejecting transaction, the same way: their thumbnails are dropped.
videos_rejected = Signal()


class SuggestionRefused(Exception):
    """The reader's suggestion was not stored; the message says why and what to do."""


def suggest_video(*, target, url: str, title: str, suggested_by: str = "", address: str):
    """Store a waiting suggestion of a video for `target`, a paper or keynote the reader sees.

    Raises ValidationError for bad input (the field named) and SuggestionRefused past
    `VIDEO_SUGGESTIONS_PER_HOUR` valid suggestions from one address.
    """
    relation = target.videos
    video = relation.model(
        **{relation.field.name: target},
        url=url.strip(),
        title=title.strip(),
        suggested_by=suggested_by.strip(),
    )
    video.full_clean(exclude=["state"], validate_constraints=False)  # duplicates: below
    if relation.filter(url=video.url).exists():
        raise ValidationError({"url": DUPLICATE})
    if not _within_rate_limit(address):
        raise SuggestionRefused(TOO_MANY)
    # A waiting row changes no public page: every cached page stays valid (core.page_cache).
    video.changes_no_public_page = True
    try:
        with transaction.atomic():
            video.save()
    except IntegrityError:
        raise ValidationError({"url": DUPLICATE}) from None
    return video


def _within_rate_limit(address: str) -> bool:
    """Count this address's suggestions in the current hour in the shared cache.

    An unreachable cache lets the suggestion through (logged): moderation still stands between
    it and the site, and readers should not see an error for our outage.
    """
    limit = settings.VIDEO_SUGGESTIONS_PER_HOUR
    if not limit:
        return True
    window = int(time.time()) // RATE_WINDOW_SECONDS
    key = f"video-suggestions:{address}:{window}"
    try:
        cache.add(key, 0, RATE_WINDOW_SECONDS + 1)
        try:
            used = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, RATE_WINDOW_SECONDS + 1)
            used = 1
    except CACHE_ERRORS as exc:
        logger.warning("Video suggestion rate limit skipped, cache unreachable: %s", exc)
        return True
    return used <= limit


def approve_videos(*, videos, by) -> int:
    """Approve the given videos (a queryset of one video model): they go public. Returns how
    many changed state."""
    return _review(videos=videos, state=Video.State.APPROVED, by=by)


def reject_videos(*, videos, by) -> int:
    """Reject the given videos: hidden again if they were public, kept so they are not
    suggested twice."""
    return _review(videos=videos, state=Video.State.REJECTED, by=by)


def _review(*, videos, state, by) -> int:
    opts = videos.model._meta
    if by is not None and not by.has_perm(f"{opts.app_label}.change_{opts.model_name}"):
        raise PermissionDenied("Only curators may approve or reject videos.")
    now = timezone.now()
    with transaction.atomic(), batched():
        # Locked rows: two curators acting at once each change a video once, never half.
        rows = list(videos.select_for_update().exclude(state=state).order_by("pk"))
        for video in rows:
            video.state, video.reviewed_at, video.reviewed_by = state, now, by
            video.save(update_fields=["state", "reviewed_at", "reviewed_by"])
        if rows and state == Video.State.APPROVED:
            videos_approved.send(sender=videos.model, videos=rows)
        elif rows and state == Video.State.REJECTED:
            videos_rejected.send(sender=videos.model, videos=rows)
    return len(rows)
