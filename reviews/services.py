from django.db import transaction
from django.utils import timezone

from .models import Post


@transaction.atomic
def publish_posts(*, posts) -> int:
    """Publish drafts now; posts already scheduled keep their time."""
    count = 0
    for post in posts.select_for_update(of=("self",)):
        if post.status != Post.Status.PUBLISHED:
            post.status = Post.Status.PUBLISHED
            post.published_at = post.published_at or timezone.now()
            post.save(update_fields=["status", "published_at", "updated_at"])
            count += 1
    return count


@transaction.atomic
def unpublish_posts(*, posts) -> int:
    count = 0
    for post in posts.select_for_update(of=("self",)):
        if post.status != Post.Status.DRAFT:
            post.status = Post.Status.DRAFT
            post.save(update_fields=["status", "updated_at"])
            count += 1
    return count
