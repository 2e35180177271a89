"""A post's item on the list pages (home, tag, conference), rendered when what it shows
changes and stored in `Post.card_html`, so a list reads one column per post instead of its
conference and tags and builds no address per tag.

A card shows the post's own fields (title, subtitle, slug, cover, publication date, reading
time from the intro and conclusion), its conference's name and slug and its tags' names and
slugs; never whether the post is public: whether a card appears is the list's visibility
filter (`public_posts()`), so publishing, unpublishing or a schedule coming due cannot make
it stale. `refresh_post_cards(post_ids=...)` is the one writer (idempotent; an unchanged card
is not written). Signals queue it for every save or delete of what a card shows, once per
`core.side_effects.batched()` block; writers that go around the signals (a restored backup)
call it themselves. A post with no stored card yet is rendered live, never shown empty.

Cards are stored with the home page's `<h2>` title; a list one level down (`level=3`) swaps
that one heading, the only one a card has (every field in it is escaped).
"""

from django.db.models import Prefetch
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.safestring import SafeString, mark_safe
from taggit.models import Tag

from core.fragments import StoredFragment, by_model
from papers.models import Conference
from reviews.models import Post, TaggedPost

# Post columns a card shows: a save naming none of them leaves the card as it is.
SHOWN = {
    "title",
    "subtitle",
    "slug",
    "conference",
    "conference_id",
    "cover_image",
    "cover_image_url",
    "published_at",
    "reading_time",
    "intro",
    "conclusion",
}
# Conference and tag columns a card shows (a conference's name is its short name and year).
CONFERENCE_SHOWN = {"short_name", "year", "slug"}
TAG_SHOWN = {"name", "slug"}
STORED_LEVEL = 2


def card_posts(queryset):
    """Posts with what a card reads: conference and tags in the order they were given (a
    stored card must not depend on the order a join happens to return)."""
    tagged = TaggedPost.objects.select_related("tag").order_by("pk")
    return queryset.select_related("conference").prefetch_related(
        Prefetch("tagged_items", queryset=tagged, to_attr="card_tags")
    )


def render_post_card(post: Post) -> str:
    """The card's HTML at the stored heading level; expects the post loaded by `card_posts()`."""
    return POST_CARD.render(post)


def refresh_post_cards(*, post_ids) -> list[int]:
    """Render and store the card of each post in `post_ids`; returns the ids whose card
    changed (unknown ids are ignored). A changed card moves the page-cache version."""
    return POST_CARD.refresh(ids=post_ids)


def with_post_cards(queryset):
    """Posts for a list page: (pk, card_html) rows, the stored card and the key a live render
    needs; no Post is built."""
    return queryset.values_list("pk", "card_html", named=True)


def post_cards(posts, *, level: int = STORED_LEVEL) -> list[SafeString]:
    """The cards of `posts` (loaded with their `card_html`, e.g. by `with_post_cards()`) in their
    order, titled at heading `level`; posts with no stored card yet are rendered live, in a
    fixed number of queries."""
    return [mark_safe(_at_level(html, level)) for html in POST_CARD.stored(posts)]


def _at_level(html: str, level: int) -> str:
    if level == STORED_LEVEL:
        return html
    opening = f'<h{STORED_LEVEL} class="post-card-title">'
    html = html.replace(opening, f'<h{level} class="post-card-title">', 1)
    return html.replace(f"</h{STORED_LEVEL}>", f"</h{level}>", 1)


def posts_showing(items) -> set[int]:
    """Ids of the posts whose card shows any of `items`, (model, pk) pairs."""
    rows = by_model(items)
    post_ids = rows.pop(Post, set())
    if conferences := rows.pop(Conference, set()):
        post_ids |= set(
            Post.objects.filter(conference__in=conferences).values_list("pk", flat=True)
        )
    if tags := rows.pop(Tag, set()):
        post_ids |= set(
            TaggedPost.objects.filter(tag__in=tags).values_list("content_object_id", flat=True)
        )
    return post_ids


POST_CARD = StoredFragment(
    model=Post,
    column="card_html",
    template="includes/post_card.html",
    load=card_posts,
    showing=posts_showing,
    context=lambda post: {"post": post, "level": STORED_LEVEL},
    defer=("body_html", "search_vector", "front_matter"),
)


def queue_card_refresh(model, pk) -> None:
    """Refresh the cards showing the row now, or once at the end of a `batched()` block."""
    POST_CARD.queue(model, pk)


def _saved(sender, instance, created=False, raw=False, update_fields=None, **kwargs):
    if raw:  # a restored backup refreshes every card (ReviewsConfig.after_restore)
        return
    if sender is TaggedPost:
        queue_card_refresh(Post, instance.content_object_id)
        return
    if created and sender in (Conference, Tag):
        return  # no post names a row this new
    shown = {Post: SHOWN, Conference: CONFERENCE_SHOWN, Tag: TAG_SHOWN}[sender]
    if update_fields is None or shown & set(update_fields):
        queue_card_refresh(sender, instance.pk)


def _deleted(sender, instance, **kwargs):
    queue_card_refresh(Post, instance.content_object_id)


def _tags_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """Taggit's add, remove, set and clear (rows it writes around per-row signals too)."""
    if not action.startswith("post_"):
        return
    if isinstance(instance, Post):
        queue_card_refresh(Post, instance.pk)
    else:
        for pk in pk_set or ():
            queue_card_refresh(Post, pk)


def connect_signals():
    for model in (Post, Conference, Tag, TaggedPost):
        post_save.connect(_saved, sender=model, dispatch_uid=f"post-card-{model._meta.label}")
    post_delete.connect(_deleted, sender=TaggedPost, dispatch_uid="post-card-tagged-delete")
    m2m_changed.connect(_tags_changed, sender=TaggedPost, dispatch_uid="post-card-tags")
