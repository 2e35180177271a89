"""A post's body rendered once, at save time, and stored in `Post.body_html`.

Everything between the draft banner and the footer of a post page (header, intro, contents,
sections with their entries and galleries, conclusion, disclaimer) depends only on rows, never
on the request or the clock, so it is rendered when those rows change rather than per request,
as djangoproject.com stores `body_html`. The post page then reads one column.

`refresh_post_html(post_ids=...)` is the one writer: idempotent, callable by id from anywhere
(a background task that finishes renditions calls it too). Signals queue it for every save or
delete of what the body shows (the post, its sections, entries and slides, the papers, keynotes,
their speakers' links and conference it features); inside `core.side_effects.batched()` (imports, the editing
services) it runs once per block, still inside the transaction, so no reader ever sees a new
page-cache version with an old body. A section or entry moved to another post refreshes the
post it left too. The same hooks keep the public flags current
(`reviews.visibility.refresh_public_flags`), once per block as well, scoped to the records the
rows written name and the ones they named when loaded (`flag_scope`).
"""

import threading
from contextlib import contextmanager

from django.db.models import Q, prefetch_related_objects
from django.db.models.signals import post_delete, post_init, post_save
from django.dispatch import Signal
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from core.page_cache import bump_content_version
from core.side_effects import batch_scope, run_or_defer
from papers.models import Author, Authorship, Conference, Paper, TaggedPaper
from reviews.media.renditions import renditions_ready
from reviews.models import (
    Entry,
    GalleryImage,
    Keynote,
    KeynoteSpeaker,
    Post,
    Section,
    TaggedPost,
)
from reviews.selectors import post_sections, post_with_content
from reviews.visibility import refresh_public_flags

BODY_TEMPLATE = "reviews/post_body.html"
HELD = "reviews.rendering.held-posts"  # batch_scope() key of the posts hold_content() gave
# Post columns the body does not show: a save of only these leaves it as it is.
NOT_SHOWN = {
    "version",
    "status",
    "updated_at",
    "search_vector",
    "body_html",
    "card_html",
    "front_matter",
}
# Post columns no public flag depends on (reviews.visibility: status, time, conference, tags).
NOT_PUBLISHING = NOT_SHOWN - {"status"}
# Rows whose writes can move a public flag, besides posts, sections and entries.
FLAG_SOURCES = (Paper, Keynote, Author, Authorship, KeynoteSpeaker, TaggedPost, TaggedPaper)
# The refresh_public_flags scope a written row stands for, and the records it names (column,
# scope) whose flags it can move: the ones named before a save as well as after.
FLAG_SELF = {
    Post: "posts",
    Section: "sections",
    Paper: "papers",
    Keynote: "keynotes",
    Author: "authors",
}
FLAG_LINKS = {
    Post: (("conference_id", "conferences"),),
    Entry: (("paper_id", "papers"), ("keynote_id", "keynotes")),
    Paper: (("conference_id", "conferences"),),
    Keynote: (("conference_id", "conferences"),),
    Authorship: (("author_id", "authors"),),
    KeynoteSpeaker: (("author_id", "authors"),),
    TaggedPost: (("tag_id", "tags"),),
    TaggedPaper: (("tag_id", "tags"),),
}
_unmoved = threading.local()
EVERYTHING = ("everything", None)  # a write whose former links are unknown: the whole site
UNKNOWN = object()
# Sent with `changed` (refresh_public_flags' answer) when the flags moved: for stores of what
# is public that live in a later app (search's suggestions).
public_flags_changed = Signal()


def render_post_body(post: Post) -> str:
    """The body's HTML; expects the post loaded by `selectors.post_with_content()`."""
    sections = list(post.sections.all())
    summaries = [entry.summary for section in sections for entry in section.entries.all()]
    context = {
        "post": post,
        "sections": sections,
        "reading_time": post.reading_time or post.compute_reading_time(summaries),
    }
    return render_to_string(BODY_TEMPLATE, context).strip()


def refresh_post_html(*, post_ids) -> list[int]:
    """Render and store the body of each post in `post_ids`; returns the ids whose body changed.

    Idempotent: an unchanged body is not written, and unknown ids are ignored. A changed body
    also moves the page-cache version, so cached pages showing the old one are not served.
    """
    post_ids = {pk for pk in post_ids if pk is not None}
    if not post_ids:
        return []
    held = (batch_scope() or {}).get(HELD, {})
    posts = [held.pop(pk) for pk in sorted(post_ids & held.keys())]
    if rest := post_ids - {post.pk for post in posts}:
        posts += post_with_content(Post.objects.filter(pk__in=rest))
    changed = []
    for post in posts:
        html = render_post_body(post)
        if html != post.body_html:
            Post.objects.filter(pk=post.pk).update(body_html=html)
            changed.append(post.pk)
    if changed:
        bump_content_version(sender=Post)
    return sorted(changed)


def hold_content(post: Post) -> None:
    """Let this `batched()` block's refresh render `post` from memory instead of reading it
    back: its sections, entries and images must be loaded as `post_with_content()` loads them
    (an import holds exactly the rows it has just written). Used once, by the next refresh."""
    scope = batch_scope()
    if scope is not None:
        scope.setdefault(HELD, {})[post.pk] = post


def post_body(post: Post) -> SafeString:
    """The body for the post page: stored for public posts, rendered afresh for a preview.

    A draft's preview renders live so a curator always sees the rows as they are; a public post
    with no stored body yet (a row written around the signals, an old backup) renders live too.
    """
    if post.is_public and post.body_html:
        return mark_safe(post.body_html)  # our template; curator HTML sanitized
    prefetch_related_objects([post], post_sections())
    return mark_safe(render_post_body(post))


def posts_showing(items) -> set[int]:
    """Ids of the posts whose body shows any of `items`, (model, pk) pairs."""
    by_model: dict[type, set] = {}
    for model, pk in items:
        by_model.setdefault(model, set()).add(pk)
    post_ids = by_model.pop(Post, set())
    lookups = {
        Section: "sections",
        Entry: "sections__entries",
        Paper: "sections__entries__paper",
        Keynote: "sections__entries__keynote",
        Conference: "conference",
    }
    condition = Q()
    for model, pks in by_model.items():
        condition |= Q(**{f"{lookups[model]}__in": pks})
    if condition:
        post_ids |= set(Post.objects.filter(condition).values_list("pk", flat=True).distinct())
    return post_ids


def _refresh_items(items):
    refresh_post_html(post_ids=posts_showing(items))


def queue_refresh(model, pk):
    run_or_defer("post-body-html", _refresh_items, (model, pk))


def _refresh_flags(items):
    if EVERYTHING in items:
        refresh_site_flags()
        return
    scope: dict[str, list] = {}
    for kind, pk in items:
        scope.setdefault(kind, []).append(pk)
    if scope:
        _tell(refresh_public_flags(**scope))


def refresh_site_flags() -> dict[str, list]:
    """Every public flag stored anew, and the stores that follow them (suggestions) told."""
    return _tell(refresh_public_flags())


def _tell(changed):
    if any(changed.values()):
        public_flags_changed.send(sender=Post, changed=changed)
    return changed


@contextmanager
def flags_unmoved():
    """Writes in this block queue no flag refresh: for a writer that knows they cannot move
    one (the rows of a post that `visibility.lends_nothing()`, and new records they name)."""
    _unmoved.depth = getattr(_unmoved, "depth", 0) + 1
    try:
        yield
    finally:
        _unmoved.depth -= 1


def queue_flags(*items):
    """Public flags follow every write that could move them, once per `batched()` block,
    scoped to the (scope, pk) `items` the writes touched (outside a block: at once, for all)."""
    if getattr(_unmoved, "depth", 0):
        return
    if batch_scope() is None:
        _refresh_flags(set(items))
        return
    for item in items:
        run_or_defer("public-flags", _refresh_flags, item)


def _remember_links(sender, instance, **kwargs):
    """What a row held when loaded (post_init), so a save moving it away from a paper, a
    conference or an author refreshes the one it left too."""
    if instance.pk is not None:
        instance.flag_links = {
            column: instance.__dict__.get(column, UNKNOWN) for column, _ in FLAG_LINKS[sender]
        }


def flag_scope(sender, instance, *, saved=True, created=False, update_fields=None) -> list:
    """The (scope, pk) items whose flags a save or delete of `instance` can move."""
    items = [(FLAG_SELF[sender], instance.pk)] if sender in FLAG_SELF else []
    links = FLAG_LINKS.get(sender, ())
    before = getattr(instance, "flag_links", None)
    for column, kind in links:
        now = getattr(instance, column)
        items.append((kind, now))
        untouched = update_fields is not None and not {column, column[:-3]} & set(update_fields)
        if created or (saved and untouched):
            continue
        old = UNKNOWN if before is None else before.get(column, UNKNOWN)
        if old is UNKNOWN:
            return [EVERYTHING]
        if old != now:
            items.append((kind, old))
    if saved and links:
        instance.flag_links = {column: getattr(instance, column) for column, _ in links}
    return items


def _moved_from(instance, parent: str):
    """The parent a section or entry was loaded under, when a save moved it elsewhere.

    `stored_parent_id` is set by the models' `from_db`; after this save the row lives under
    its new parent, so the next save compares with that.
    """
    before = getattr(instance, "stored_parent_id", None)
    instance.stored_parent_id = getattr(instance, parent)
    return before if before != instance.stored_parent_id else None


def _saved(sender, instance, created=False, raw=False, update_fields=None, **kwargs):
    # Fixtures and backups (raw) bring their stored body with them; a restore refreshes flags.
    if raw:
        return
    scope = {"created": created, "update_fields": update_fields}
    if sender is Post:
        if update_fields is None or not set(update_fields) <= NOT_SHOWN:
            queue_refresh(Post, instance.pk)
        if update_fields is None or not set(update_fields) <= NOT_PUBLISHING:
            queue_flags(*flag_scope(sender, instance, **scope))
        return
    if sender in (Section, Entry):
        queue_flags(*flag_scope(sender, instance, **scope))
    if sender is GalleryImage:
        queue_refresh(Entry, instance.entry_id)
    elif sender is Entry:
        queue_refresh(Section, instance.section_id)
        if (before := _moved_from(instance, "section_id")) is not None:
            queue_refresh(Section, before)
    elif sender is Section:
        queue_refresh(Section, instance.pk)
        if (before := _moved_from(instance, "post_id")) is not None:
            queue_refresh(Post, before)
    elif sender in FLAG_SOURCES:
        queue_flags(*flag_scope(sender, instance, **scope))
        if sender in (Paper, Keynote):
            queue_refresh(sender, instance.pk)
        elif sender is KeynoteSpeaker:
            queue_refresh(Keynote, instance.keynote_id)
    else:
        queue_refresh(sender, instance.pk)


def _deleted(sender, instance, **kwargs):
    # The row is gone: its parent names the post (nothing, for a post itself).
    if sender in (Post, Section, Entry, *FLAG_SOURCES):
        queue_flags(*flag_scope(sender, instance, saved=False))
    parents = {GalleryImage: (Entry, "entry_id"), Entry: (Section, "section_id")}
    parents[KeynoteSpeaker] = (Keynote, "keynote_id")
    parents[Section] = (Post, "post_id")
    if sender in parents:
        model, attribute = parents[sender]
        queue_refresh(model, getattr(instance, attribute))


def _renditions_ready(sender, instance, **kwargs):
    """A rendition task finished after the row's save: the body gains the srcset."""
    if sender is GalleryImage:
        queue_refresh(Entry, instance.entry_id)
    elif sender is Post:
        queue_refresh(Post, instance.pk)


def connect_signals():
    """Connected after the renditions' handlers, so a slide's body shows its renditions; and
    to the renditions task's end, which comes later (reviews.media.pipeline)."""
    renditions_ready.connect(_renditions_ready, dispatch_uid="post-body-html-renditions")
    shown = (Post, Section, Entry, GalleryImage, Paper, Keynote, KeynoteSpeaker, Conference)
    for model in dict.fromkeys((*shown, *FLAG_SOURCES)):
        uid = f"post-body-html-{model._meta.label}"
        post_save.connect(_saved, sender=model, dispatch_uid=f"{uid}-save")
        if model is not Conference:
            post_delete.connect(_deleted, sender=model, dispatch_uid=f"{uid}-delete")
        if model in FLAG_LINKS:
            post_init.connect(_remember_links, sender=model, dispatch_uid=f"{uid}-init")
