"""The reviews app's background tasks: thin wrappers of its services (see core.tasks)."""

from core.tasks import retried_task
from reviews.media import pipeline
from reviews.media.fetch import fetch_gallery_images
from reviews.models import Post


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
