"""Curators' writes to posts and their parts: rules, validation, versions, checklist, history.

Every service checks the acting user through reviews.workflow.rules, validates, claims the
version the editor loaded (core.concurrency), runs the publishing checklist when the post is
published, and records the post's revision and the audit log, all in one transaction: a
refusal leaves the database as it was. The admin's nested formsets are saved by Django, so
the services take `save_children`, called after the row is written and before the checklist.
"""

from collections.abc import Callable, Iterable

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from core.concurrency import bump_version, claim_version
from core.side_effects import batched
from papers.models import Author
from reviews.models import Entry, Keynote, PartAutosave, Post, PostAutosave, Section
from reviews.workflow import rules
from reviews.workflow.audit import log_action
from reviews.workflow.publishing import PublishingRefused, publication_state, publishing_checklist
from reviews.workflow.revisions import record_revision, take_snapshot
from reviews.workflow.speakers import link_keynote_speakers, set_keynote_speakers

PUBLISHING_FIELDS = ("status", "published_at")
NOT_YOURS = "You may only change your own draft posts and their sections and entries."


def _claim(instance, expected_version: int | None) -> None:
    if instance.pk is not None:
        claim_version(instance=instance, expected=expected_version)


def _check_publishing(post: Post) -> None:
    if post.status == Post.Status.PUBLISHED:
        problems = publishing_checklist(post)
        if problems:
            raise PublishingRefused(post, problems)


@transaction.atomic
@batched()
def save_post(
    *,
    post: Post,
    by,
    expected_version: int | None,
    changed: Iterable[str] = (),
    save_children: Callable[[], None] | None = None,
) -> Post:
    """Create or change a post; `changed` names what the editor changed, for the revision.

    A contributor creates drafts they own and edits them while they are drafts; only curators
    change the publishing state. Raises PermissionDenied, EditConflict or PublishingRefused.
    """
    created = post.pk is None
    stored = None if created else Post.objects.get(pk=post.pk)
    if created and not rules.can_add_post(by):
        raise PermissionDenied("You may not add posts.")
    if stored is not None and not rules.can_edit_post(by, stored):
        raise PermissionDenied(NOT_YOURS)
    if post.status == Post.Status.PUBLISHED and post.published_at is None:
        post.published_at = timezone.now()
    publishing = [f for f in PUBLISHING_FIELDS if getattr(post, f) != getattr(stored, f, None)]
    if created and post.status == Post.Status.DRAFT:
        publishing = []
    if publishing and not rules.can_publish(by):
        raise PermissionDenied("Only curators may publish, schedule or unpublish posts.")
    if created:
        post.created_by = by
    post.full_clean(exclude=["slug"] if not post.slug else None)
    before = None if created else take_snapshot(stored)
    _claim(post, expected_version)
    post.save()
    if save_children:
        save_children()
    _check_publishing(post)
    after = take_snapshot(post)
    if created:
        summary = "Created"
    else:
        changed = really_changed(changed, before=before, after=after)
        summary = f"Changed {', '.join(changed)}" if changed else "Saved without changes"
    record_revision(post=post, by=by, summary=summary, snapshot=after)
    if by is not None:
        PostAutosave.objects.filter(post=post, user=by).delete()
    if publishing:
        when = f" ({post.published_at:%Y-%m-%d %H:%M} UTC)" if post.published_at else ""
        message = f"Set to {publication_state(post)}{when} in the form"
        log_action(user=by, obj=post, message=message)
    return post


def really_changed(names: Iterable[str], *, before: dict, after: dict) -> list[str]:
    """The names an editor reported that differ between two snapshots: a form re-submitting a
    value as it was (CRLF for LF, the sorting widget renumbering) changed nothing."""
    kept = []
    for name in names:
        if name in before["post"] or name in after["post"]:
            differs = before["post"].get(name) != after["post"].get(name)
        elif name in ("tags", "new_tags"):
            differs = before["tags"] != after["tags"]
        elif name in ("sections", "entries", "gallery images"):
            differs = before["sections"] != after["sections"]
        else:
            differs = True
        if differs:
            kept.append(name)
    return kept


def _save_part(part, *, by, expected_version, save_children, summary_of):
    if not rules.can_change_part(by, part=part, target_post=rules.target_post_of(part)):
        raise PermissionDenied(NOT_YOURS)
    before = rules.stored_post_of(part)
    verb = "Changed" if part.pk else "Added"
    part.full_clean()
    _claim(part, expected_version)
    part.save()
    if save_children:
        save_children()
    if by is not None:
        PartAutosave.objects.filter(**{part._meta.model_name: part}, user=by).delete()
    after = rules.target_post_of(part)
    for post in dict.fromkeys(p for p in (before, after) if p is not None):
        bump_version(instance=post)
        _check_publishing(post)
        moved = before is not None and before.pk != after.pk
        summary = summary_of(verb if not moved else ("Moved out" if post == before else "Moved in"))
        record_revision(post=post, by=by, summary=summary)
        if moved:
            log_action(user=by, obj=post, message=summary)
    return part


@transaction.atomic
@batched()
def save_section(
    *,
    section: Section,
    by,
    expected_version: int | None = None,
    save_children: Callable[[], None] | None = None,
) -> Section:
    """Add or change a section on its own page; moving it needs the right on both posts."""
    return _save_part(
        section,
        by=by,
        expected_version=expected_version,
        save_children=save_children,
        summary_of=lambda verb: f"{verb} section “{section}” on its own page",
    )


@transaction.atomic
@batched()
def save_entry(
    *,
    entry: Entry,
    by,
    expected_version: int | None = None,
    save_children: Callable[[], None] | None = None,
) -> Entry:
    """Add or change an entry on its own page; moving it needs the right on both posts."""
    return _save_part(
        entry,
        by=by,
        expected_version=expected_version,
        save_children=save_children,
        summary_of=lambda verb: f"{verb} entry “{entry}” on its own page",
    )


def _delete_part(part, *, by) -> None:
    if not rules.can_delete_part(by, part=part):
        raise PermissionDenied(NOT_YOURS)
    post = rules.stored_post_of(part)
    name = f"{part._meta.verbose_name} “{part}”"
    part.delete()
    bump_version(instance=post)
    _check_publishing(post)
    record_revision(post=post, by=by, summary=f"Deleted {name} on its own page")


@transaction.atomic
@batched()
def delete_section(*, section: Section, by) -> None:
    _delete_part(section, by=by)


@transaction.atomic
@batched()
def delete_entry(*, entry: Entry, by) -> None:
    _delete_part(entry, by=by)


@transaction.atomic
def save_keynote(
    *,
    keynote: Keynote,
    by,
    expected_version: int | None = None,
    speakers: list[tuple[Author, str]] | None = None,
) -> Keynote:
    """Keynotes are shared by posts: curators only, and a stale form is refused.

    `speakers` (author, affiliation) in order are a curator's choice of links; without them
    the links follow the speaker text (reviews.workflow.speakers says when chosen ones stay).
    """
    if not rules.can_change_keynote(by, keynote=keynote):
        raise PermissionDenied("Only curators may change keynotes.")
    keynote.full_clean()
    _claim(keynote, expected_version)
    keynote.save()
    if speakers is None:
        link_keynote_speakers(keynote=keynote)
    else:
        set_keynote_speakers(keynote=keynote, speakers=speakers)
    return keynote
