from dataclasses import dataclass, field

from django.db import transaction

from reviews.models import Post
from reviews.workflow.publishing import Problem, PublishingRefused, publish_post, unpublish_post


@dataclass
class BulkPublishReport:
    published: list[Post] = field(default_factory=list)
    refused: dict[Post, list[Problem]] = field(default_factory=dict)


def publish_posts(*, posts, by) -> BulkPublishReport:
    """Publish each post that passes the checklist; the others are reported, none half-done.

    Posts already published (or scheduled) keep their time and are left alone.
    """
    report = BulkPublishReport()
    for post in posts.exclude(status=Post.Status.PUBLISHED).order_by("pk"):
        try:
            report.published.append(publish_post(post=post, by=by))
        except PublishingRefused as refused:
            report.refused[post] = refused.problems
    return report


@transaction.atomic
def unpublish_posts(*, posts, by) -> int:
    count = 0
    for post in posts.filter(status=Post.Status.PUBLISHED):
        unpublish_post(post=post, by=by)
        count += 1
    return count
