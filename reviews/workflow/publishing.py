"""Publishing: the checklist a post must pass, and publish / schedule / unpublish."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from core.concurrency import bump_version
from reviews.models import Post
from reviews.selectors import post_with_content
from reviews.workflow.audit import log_action
from reviews.workflow.revisions import record_revision
from reviews.workflow.rules import can_publish


@dataclass(frozen=True)
class Problem:
    code: str
    message: str
    items: tuple[str, ...] = ()

    def __str__(self):
        return f"{self.message}: {'; '.join(self.items)}" if self.items else self.message


class PublishingRefused(Exception):
    def __init__(self, post, problems):
        self.post = post
        self.problems = problems
        super().__init__(f"“{post}” cannot be published: " + " ".join(f"{p}." for p in problems))


PUBLICATION_STATES = ["draft", "scheduled", "published", "unpublished"]


def filter_by_state(queryset, state: str):
    """Posts in one of PUBLICATION_STATES, as publication_state() names them."""
    if state == "scheduled":
        return queryset.scheduled()
    if state == "published":
        return queryset.published()
    return queryset.filter(status=state)


def publication_state(post: Post) -> str:
    """draft, scheduled, published or unpublished: scheduled is published with a future time."""
    if post.status == Post.Status.PUBLISHED and post.published_at > timezone.now():
        return "scheduled"
    return post.status


def _lacks_summary(entry) -> bool:
    return not entry.summary.strip()


def _lacks_alt(image) -> bool:
    return not image.alt_text.strip()


def entry_checklist(entry) -> list[str]:
    """The checklist for one entry (its images prefetched), as short notes for the outline."""
    notes = ["no summary"] if _lacks_summary(entry) else []
    missing = sum(1 for image in entry.images.all() if _lacks_alt(image))
    if missing:
        notes.append(f"{missing} image{'s' if missing > 1 else ''} without alt text")
    return notes


def publishing_checklist(post: Post) -> list[Problem]:
    """What stops a post from going public, each problem naming the items to fix.

    The post's own fields are read from `post` as given (the editor's preview passes unsaved
    values); its sections, entries and images from the database."""
    conference_id = post.conference_id
    post = post_with_content(Post.objects.filter(pk=post.pk)).get()
    missing_alt, empty_sections, no_summary = [], [], []
    for section in post.sections.all():
        entries = list(section.entries.all())
        # Text or a link line is content too: blogs write "Other events of note" that way.
        if not entries and not section.body.strip() and not section.link_url:
            empty_sections.append(f"“{section.title}”")
        for entry in entries:
            where = f"“{entry.display_heading}” in “{section.title}”"
            if _lacks_summary(entry):
                no_summary.append(where)
            missing_alt += [
                f"image {n} ({image.src}) of {where}"
                for n, image in enumerate(entry.images.all(), start=1)
                if _lacks_alt(image)
            ]
    problems = []
    if conference_id is None:
        problems.append(Problem("missing_conference", "The post has no conference"))
    if missing_alt:
        problems.append(Problem("missing_alt_text", "Images without alt text", tuple(missing_alt)))
    if empty_sections:
        problems.append(
            Problem(
                "empty_section", "Sections without entries, text or a link", tuple(empty_sections)
            )
        )
    if no_summary:
        problems.append(Problem("missing_summary", "Entries without a summary", tuple(no_summary)))
    return problems


def _lock_and_refresh(post):
    """Hold the row until the transaction ends, then work on its current values."""
    Post.objects.select_for_update().values_list("pk", flat=True).get(pk=post.pk)
    post.refresh_from_db()


def _require_publisher(by):
    if not can_publish(by):
        raise PermissionDenied("Only curators may publish, schedule or unpublish posts.")


@transaction.atomic
def publish_post(*, post: Post, by, at: datetime.datetime | None = None) -> Post:
    """Publish now, or schedule for `at`: the post turns public at that time with no cron job.

    Without `at`, a post keeps the publication time it already has (a scheduled post stays
    scheduled, a re-published post keeps its original date). Raises PublishingRefused listing
    every checklist problem, with nothing changed.
    """
    _require_publisher(by)
    _lock_and_refresh(post)
    if post.working_copy_of_id:
        problem = Problem("working_copy", "It holds changes to a live post: use “Publish changes”")
        raise PublishingRefused(post, [problem])
    problems = publishing_checklist(post)
    if problems:
        raise PublishingRefused(post, problems)
    post.status = Post.Status.PUBLISHED
    post.published_at = at or post.published_at or timezone.now()
    post.save(update_fields=["status", "published_at", "updated_at"])
    bump_version(instance=post)
    state = publication_state(post)
    message = (
        f"Scheduled for {post.published_at:%Y-%m-%d %H:%M} UTC"
        if state == "scheduled"
        else "Published"
    )
    record_revision(post=post, by=by, summary=message)
    log_action(user=by, obj=post, message=message)
    return post


@transaction.atomic
def unpublish_post(*, post: Post, by) -> Post:
    """Take a post off the site; it keeps its publication date for when it comes back."""
    _require_publisher(by)
    _lock_and_refresh(post)
    post.status = Post.Status.UNPUBLISHED
    post.save(update_fields=["status", "updated_at"])
    bump_version(instance=post)
    record_revision(post=post, by=by, summary="Unpublished")
    log_action(user=by, obj=post, message="Unpublished")
    return post
