"""Drafts of a live post: a working copy that readers never see, then publish or discard.

The first edit of a published post opens a working copy: a draft Post row with
`working_copy_of` set, cloning its sections, entries and gallery images (image rows name the
same files; reviews.media.signals deletes a file only when no row names it any more). Every
visibility rule already hides drafts, so the public page, feeds, sitemap, search, API and
exports keep showing the live post. The curators' editor works on the copy as on any post.

Publishing the changes moves the copy's content onto the live post in one transaction: the live
post keeps its pk, slug, URL, publication state and revision history, and records a revision.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.db.models.fields.files import FieldFile

from core.concurrency import bump_version
from papers.models import unique_slug
from reviews.models import Entry, GalleryImage, PartAutosave, Post, Section
from reviews.selectors import post_with_content
from reviews.workflow import rules
from reviews.workflow.audit import log_action
from reviews.workflow.compare import POST_SKIPPED, PartChange, compare_posts, summarise
from reviews.workflow.publishing import PublishingRefused, publishing_checklist
from reviews.workflow.revisions import record_revision

# Fields of a post that are content, so travel between the live post and its working copy.
# The cover's renditions follow the cover: reviews.media.signals renews them when it changes.
CONTENT_FIELDS = [f.attname for f in Post._meta.concrete_fields if f.name not in POST_SKIPPED]


class DraftError(Exception):
    """A working-copy action that cannot be done, with a message a curator can act on."""


def uses_working_copy(post: Post) -> bool:
    """Edits of a published (or scheduled) post go to a working copy, never to the post."""
    return post.working_copy_of_id is None and post.status == Post.Status.PUBLISHED


def working_copy_of(post: Post) -> Post | None:
    return Post.objects.filter(working_copy_of=post).first()


def _require_editor(by, live: Post) -> None:
    if not rules.can_edit_post(by, live):
        raise PermissionDenied("You may not change this post.")


def _clone(live: Post, *, by) -> Post:
    """The copy and its parts, written in a fixed number of queries whatever the post's size."""
    live = post_with_content(Post.objects.filter(pk=live.pk)).get()
    copy = Post(
        **{name: _raw(live, name) for name in CONTENT_FIELDS},
        cover_renditions=live.cover_renditions,
        slug=unique_slug(Post, f"{live.slug} changes"),
        status=Post.Status.DRAFT,
        published_at=live.published_at,
        working_copy_of=live,
        created_by=by,
    )
    copy.save()
    copy.tags.set(list(live.tags.all()))
    sections = list(live.sections.all())
    new_sections = Section.objects.bulk_create(
        [_copy_row(s, post=copy) for s in sections], batch_size=500
    )
    entries, new_entries = [], []
    for section, new_section in zip(sections, new_sections, strict=True):
        for entry in section.entries.all():
            entries.append(entry)
            new_entries.append(_copy_row(entry, section=new_section))
    new_entries = Entry.objects.bulk_create(new_entries, batch_size=500)
    images = [
        _copy_row(image, entry=new_entry)
        for entry, new_entry in zip(entries, new_entries, strict=True)
        for image in entry.images.all()
    ]
    GalleryImage.objects.bulk_create(images, batch_size=500)
    return copy


def _raw(row, attname: str):
    """A field's stored value: a file's name, not the FieldFile bound to `row`."""
    value = getattr(row, attname)
    return value.name if isinstance(value, FieldFile) else value


def _copy_row(row, **parent):
    values = {
        f.attname: _raw(row, f.attname)
        for f in row._meta.concrete_fields
        if not f.primary_key and f.name not in parent and f.name != "version"
    }
    return type(row)(**values, **parent)


def _is_untouched(copy: Post) -> bool:
    """Every save of a post or of its parts goes through a service that bumps the version;
    unsaved edits kept by autosave (of the post's page or of its parts' pages) belong to the
    copy too."""
    if copy.version != 1 or copy.autosaves.exists():
        return False
    return not _part_autosaves(copy).exists()


def _part_autosaves(post: Post):
    return PartAutosave.objects.filter(Q(section__post=post) | Q(entry__section__post=post))


@transaction.atomic
def open_working_copy(*, post: Post, by) -> Post:
    """The working copy to edit for published `post`: the existing one, or a new clone.

    An existing copy nobody has edited yet is cloned afresh, so that it never holds an old
    state of a live post changed since (a restore, an import). A post that needs no copy
    (a draft, or a copy itself) is returned as it is.
    """
    live = Post.objects.select_for_update().get(pk=post.pk)
    if not uses_working_copy(live):
        return live
    _require_editor(by, live)
    existing = working_copy_of(live)
    if existing is not None and not _is_untouched(existing):
        return existing
    if existing is not None:
        existing.delete()
    copy = _clone(live, by=by)
    log_action(user=by, obj=live, message="Opened a draft of changes")
    return copy


def part_in_working_copy(*, part, by):
    """The section or entry of the live post's working copy that stands where `part` stands
    (same section and entry order), opening the copy; None if the copy has no such part."""
    live_post = part.post if isinstance(part, Section) else part.section.post
    copy = open_working_copy(post=live_post, by=by)
    if isinstance(part, Section):
        return copy.sections.filter(order=part.order).first()
    return Entry.objects.filter(
        section__post=copy, section__order=part.section.order, order=part.order
    ).first()


def pending_changes(*, copy: Post) -> list[PartChange]:
    """What publishing the working copy would change on the live post."""
    if copy.working_copy_of_id is None:
        raise DraftError(f"“{copy}” is not a draft of changes to a live post.")
    pair = {
        p.pk: p
        for p in post_with_content(Post.objects.filter(pk__in=[copy.pk, copy.working_copy_of_id]))
    }
    return compare_posts(old=pair[copy.working_copy_of_id], new=pair[copy.pk])


def _locked_pair(copy: Post) -> tuple[Post, Post]:
    if copy.working_copy_of_id is None:
        raise DraftError(f"“{copy}” is not a draft of changes to a live post.")
    live = Post.objects.select_for_update().get(pk=copy.working_copy_of_id)
    copy = Post.objects.select_for_update().filter(pk=copy.pk).first()
    if copy is None:
        raise DraftError("These changes were published or discarded meanwhile.")
    return live, copy


@transaction.atomic
def publish_changes(*, copy: Post, by) -> Post:
    """Apply the working copy onto its live post and delete the copy; returns the live post.

    Curators only (the right to publish). The copy must pass the publishing checklist, as the
    live post is public. Raises PermissionDenied, DraftError or PublishingRefused, with nothing
    changed.
    """
    if not rules.can_publish(by):
        raise PermissionDenied("Only curators may publish changes to a live post.")
    live, copy = _locked_pair(copy)
    problems = publishing_checklist(copy)
    if problems:
        raise PublishingRefused(live, problems)
    changes = pending_changes(copy=copy)
    for name in CONTENT_FIELDS:
        setattr(live, name, _raw(copy, name))
    live.full_clean(exclude=["slug"])
    # The live parts go; the copy's parts move over (same rows, same files, same vectors),
    # without the edits kept of them: like the copy's own, those were of a draft now gone.
    Section.objects.filter(post=live).delete()
    _part_autosaves(copy).delete()
    Section.objects.filter(post=copy).update(post=live)
    live.save()
    live.tags.set(list(copy.tags.all()))
    copy.delete()
    bump_version(instance=live)
    summary = f"Published changes: {summarise(changes)}"
    record_revision(post=live, by=by, summary=summary)
    log_action(user=by, obj=live, message=summary)
    return live


@transaction.atomic
def discard_changes(*, copy: Post, by) -> Post:
    """Delete the working copy; the live post is as it was. Returns the live post."""
    live, copy = _locked_pair(copy)
    _require_editor(by, live)
    copy.delete()
    log_action(user=by, obj=live, message="Discarded the draft of changes")
    return live
