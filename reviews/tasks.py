"""The reviews app's background tasks: thin wrappers of its services (see core.tasks)."""

import logging

from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage

from core.tasks import retried_task
from papers.models import Conference
from reviews.markdown.importer import MarkdownSource, import_post
from reviews.media import pipeline
from reviews.media.fetch import FetchError, fetch_gallery_images
from reviews.media.video_thumbnails import fetch_video_thumbnail as fetch_thumbnail
from reviews.models import Post

logger = logging.getLogger(__name__)


@retried_task(on_give_up=pipeline.give_up, queue_name="default")
def make_renditions(*, kind: str, pk: int) -> str:
    """The renditions of one gallery image ("gallery") or post cover ("cover")."""
    return pipeline.render(kind=kind, pk=pk)


@retried_task()
def fetch_images(*, post_id: int | None = None, timeout: float = 10) -> dict:
    """Download external gallery images into uploads (one post's, or every post's)."""
    post = Post.objects.filter(pk=post_id).first() if post_id is not None else None
    if post_id is not None and post is None:
        return {"fetched": [], "failed": [], "error": f"no post with id {post_id}"}
    results = fetch_gallery_images(post=post, timeout=timeout)
    return {
        "fetched": [r.stored_as for r in results if r.ok],
        "failed": [f"{r.url}: {r.error}" for r in results if not r.ok],
    }


@retried_task()
def fetch_video_thumbnail(*, model: str, pk: int, timeout: float = 10) -> dict:
    """Our copy of an approved video's thumbnail; a refused fetch is recorded (the result and
    a warning naming the reason), not retried."""
    try:
        return {"stored": fetch_thumbnail(model=model, pk=pk, timeout=timeout), "error": ""}
    except FetchError as exc:
        logger.warning("No thumbnail for %s %s: %s", model, pk, exc)
        return {"stored": "", "error": str(exc)}


@retried_task()
def import_markdown(
    *,
    name: str,
    filename: str,
    conference_id: int | None = None,
    update: bool = False,
    user_id: int | None = None,
) -> str:
    """Import a Markdown file or Jekyll bundle stored under `name`, then delete it.

    `filename` is the name the curator uploaded (it gives the slug and the messages); the
    service checks `user_id`'s right to create or replace the post, as the admin page does.
    """
    with default_storage.open(name, "rb") as handle:
        source = MarkdownSource(filename, handle.read())
    conference = None if conference_id is None else Conference.objects.get(pk=conference_id)
    by = None if user_id is None else get_user_model().objects.get(pk=user_id)
    report = import_post(source=source, conference=conference, update=update, by=by)
    default_storage.delete(name)
    return report.summary()
