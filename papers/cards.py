"""A paper's item on the list pages (conference, tag, author, paper list), rendered when what
it shows changes and stored in `Paper.card_html`, so a list reads one column per paper instead
of its review statistics, authors and conference.

A card shows the paper's own fields, its authors' names and addresses in order, its
conference and its shown reviews' count and mean rating; nothing about posts, so publishing
or unpublishing cannot make it stale: whether a card appears is the list's visibility filter.
`refresh_paper_cards(paper_ids=...)` is the one writer (idempotent; an unchanged card is not
written). Signals queue it for every save or delete of what a card shows, once per
`core.side_effects.batched()` block; writers that go around the signals (bulk creates,
queryset updates, a restored backup) call it themselves. A paper with no stored card yet is
rendered live, never shown empty.
"""

from django.db.models import Prefetch
from django.db.models.signals import post_delete, post_save
from django.utils.safestring import SafeString
from taggit.models import Tag

from core.fragments import StoredFragment, by_model
from papers.models import Author, Authorship, Conference, Paper, PeerReviewExcerpt, TaggedPaper

# Paper columns a card shows: a save naming none of them leaves the card as it is.
SHOWN = {"title", "slug", "tldr", "outcome", "conference", "conference_id"}
# Author columns a card shows.
AUTHOR_SHOWN = {"name", "slug"}


def card_papers(queryset):
    """Papers with what a card reads: review statistics, conference, authors in order."""
    authorships = Authorship.objects.select_related("author").order_by("order")
    return (
        queryset.with_review_stats()
        .select_related("conference")
        .prefetch_related(Prefetch("authorships", queryset=authorships))
    )


def render_paper_card(paper: Paper) -> str:
    """The card's HTML; expects the paper loaded by `card_papers()`."""
    return PAPER_CARD.render(paper)


def refresh_paper_cards(*, paper_ids) -> list[int]:
    """Render and store the card of each paper in `paper_ids`; returns the ids whose card
    changed (unknown ids are ignored). A changed card moves the page-cache version."""
    return PAPER_CARD.refresh(ids=paper_ids)


def with_cards(queryset):
    """Papers for a list page: (pk, title, slug, card_html) rows, the stored card and what a
    caller may read; no Paper is built."""
    return queryset.values_list("pk", "title", "slug", "card_html", named=True)


def card_rows(queryset):
    """Papers for a list that shows only their cards: (pk, card_html) rows, no Paper built."""
    return queryset.values_list("pk", "card_html", named=True)


def paper_cards(papers) -> list[SafeString]:
    """The cards of `papers` (loaded with their `card_html`, e.g. by `with_cards()`) in their
    order; papers with no stored card yet are rendered live, in a fixed number of queries."""
    return PAPER_CARD.stored(papers)


def papers_showing(items, *, topics: bool = False) -> set[int]:
    """Ids of the papers whose card shows any of `items`, (model, pk) pairs: the paper, its
    authors, its conference, and with `topics` its tags too (as its page shows them)."""
    rows = by_model(items)
    paper_ids = rows.pop(Paper, set())
    if authors := rows.pop(Author, set()):
        paper_ids |= set(
            Authorship.objects.filter(author__in=authors).values_list("paper_id", flat=True)
        )
    if conferences := rows.pop(Conference, set()):
        paper_ids |= set(
            Paper.objects.filter(conference__in=conferences).values_list("pk", flat=True)
        )
    if topics and (tags := rows.pop(Tag, set())):
        paper_ids |= set(
            TaggedPaper.objects.filter(tag__in=tags).values_list("content_object_id", flat=True)
        )
    return paper_ids


PAPER_CARD = StoredFragment(
    model=Paper,
    column="card_html",
    template="includes/paper_card.html",
    load=card_papers,
    showing=papers_showing,
    context=lambda paper: {"paper": paper},
    defer=("search_vector", "title_vector"),
)


def queue_card_refresh(model, pk) -> None:
    """Refresh the cards showing the row now, or once at the end of a `batched()` block."""
    PAPER_CARD.queue(model, pk)


def _saved(sender, instance, created=False, raw=False, update_fields=None, **kwargs):
    if raw:  # a restored backup refreshes every card (PapersConfig.after_restore)
        return
    if created and sender in (Author, Conference):
        return  # no paper names a row this new
    if sender is Paper:
        if update_fields is None or SHOWN & set(update_fields):
            queue_card_refresh(Paper, instance.pk)
    elif sender is Author:
        if update_fields is None or AUTHOR_SHOWN & set(update_fields):
            queue_card_refresh(Author, instance.pk)
    elif sender is Conference:
        queue_card_refresh(Conference, instance.pk)
    else:
        queue_card_refresh(Paper, instance.paper_id)


def _deleted(sender, instance, **kwargs):
    queue_card_refresh(Paper, instance.paper_id)


def connect_signals():
    for model in (Paper, Author, Conference, Authorship, PeerReviewExcerpt):
        post_save.connect(_saved, sender=model, dispatch_uid=f"paper-card-{model._meta.label}")
    for model in (Authorship, PeerReviewExcerpt):
        post_delete.connect(
            _deleted, sender=model, dispatch_uid=f"paper-card-{model._meta.label}-delete"
        )
