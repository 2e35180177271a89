"""Optimistic concurrency for posts: every save claims the version the editor loaded."""

from django.db.models import F

from reviews.models import Post


class EditConflict(Exception):
    """Someone saved the post after this editor loaded it; saving now would overwrite their work."""

    def __init__(self, post_id, expected):
        self.post_id = post_id
        self.expected = expected
        super().__init__(
            "Someone else saved this post after you opened it. Nothing was saved: reload the "
            "page to see their changes, then apply yours again (your input is kept below)."
        )


def claim_version(*, post, expected: int) -> int:
    """Bump the version with UPDATE ... WHERE version = expected, inside the caller's transaction.

    The row stays locked until the transaction ends, so a concurrent save of the same post waits
    and then matches no row. Sets and returns the new version on `post`, so that a later full
    `post.save()` writes the bumped value back instead of the stale one it loaded.
    """
    claimed = Post.objects.filter(pk=post.pk, version=expected).update(version=F("version") + 1)
    if not claimed:
        raise EditConflict(post.pk, expected)
    post.version = expected + 1
    return post.version


def bump_version(*, post) -> int:
    """A change made outside a form (publish, restore) still invalidates forms already open."""
    Post.objects.filter(pk=post.pk).update(version=F("version") + 1)
    post.version = Post.objects.filter(pk=post.pk).values_list("version", flat=True).get()
    return post.version
