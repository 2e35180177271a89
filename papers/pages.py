"""A paper's page, rendered when what it shows changes and stored in `Paper.page_html`, so a
reader's request reads one row instead of seven queries and a few hundred template nodes.

Stored: the head's Scholar tags, BibTeX link and JSON-LD, then the article from the title to
the topics: authors, conference, record and links, TL;DR to abstract, the shown reviews
(curator-hidden ones never reach it: `paper_with_reviews` prefetches `shown()` only), the
approved videos and the topics. Not stored: the posts featuring the paper (whether a post is
public depends on the time and on who asks, so the view reads them live) and static file
addresses (a deploy changes them without a save). So nothing stored depends on visibility,
and a curator's edit of anything shown refreshes it: signals per row, once per
`core.side_effects.batched()` block; writers that go around the signals (hiding a review,
reordering excerpts, a restore) call `refresh_paper_pages` themselves.
"""

import functools
from dataclasses import dataclass

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.safestring import SafeString, mark_safe
from taggit.models import Tag

from core.fragments import StoredFragment
from papers.cards import papers_showing
from papers.models import (
    Author,
    Authorship,
    Conference,
    Paper,
    PaperLink,
    PaperVideo,
    PeerReviewExcerpt,
    TaggedPaper,
)
from papers.selectors import approved_videos, paper_topics, paper_with_reviews, review_summary

# Between the stored head tags and the body; every field is escaped, so no text can hold it.
SEPARATOR = mark_safe("\n<!-- paper page body -->\n")
# Paper columns the page does not show: a save naming only these leaves it as it is.
NOT_SHOWN = {"provenance", "bibtex", "listed", "public_from", "version", "updated_at"}
NOT_SHOWN |= {"card_html", "page_html", "search_vector", "title_vector", "comment"}
AUTHOR_SHOWN = {"name", "slug"}
TAG_SHOWN = {"name", "slug"}


@dataclass(frozen=True)
class PaperPage:
    head: SafeString
    body: SafeString


def page_context(paper: Paper) -> dict:
    return {
        "paper": paper,
        "links": list(paper.links.all()),
        "videos": approved_videos(paper),
        "reviews": review_summary(paper),
        "topics": paper_topics(paper),
        "separator": SEPARATOR,
    }


PAPER_PAGE = StoredFragment(
    model=Paper,
    column="page_html",
    template="includes/paper_page.html",
    load=paper_with_reviews,
    showing=functools.partial(papers_showing, topics=True),
    context=page_context,
)


def refresh_paper_pages(*, paper_ids) -> list[int]:
    """Render and store the page of each paper in `paper_ids`; returns the ids whose page
    changed (unknown ids are ignored). A changed page moves the page-cache version."""
    return PAPER_PAGE.refresh(ids=paper_ids)


def with_page(queryset):
    """Papers for the page view: the stored page and what the base template reads."""
    return queryset.only("pk", "title", "slug", "tldr", "page_html")


def paper_page(paper: Paper) -> PaperPage:
    """The stored page of `paper` (loaded by `with_page()`), or a live render while none is."""
    (html,) = PAPER_PAGE.stored([paper])
    head, body = html.split(SEPARATOR.strip(), 1)
    return PaperPage(head=mark_safe(head), body=mark_safe(body))


def queue_page_refresh(model, pk) -> None:
    """Refresh the pages showing the row now, or once at the end of a `batched()` block."""
    PAPER_PAGE.queue(model, pk)


def _saved(sender, instance, created=False, raw=False, update_fields=None, **kwargs):
    if raw:  # a restored backup refreshes every page (PapersConfig.after_restore)
        return
    if created and sender in (Author, Conference, Tag):
        return  # no paper names a row this new
    if sender is Paper:
        if update_fields is None or set(update_fields) - NOT_SHOWN:
            queue_page_refresh(Paper, instance.pk)
    elif sender in (Author, Tag):
        shown = AUTHOR_SHOWN if sender is Author else TAG_SHOWN
        if update_fields is None or shown & set(update_fields):
            queue_page_refresh(sender, instance.pk)
    elif sender is Conference:
        queue_page_refresh(Conference, instance.pk)
    elif sender is TaggedPaper:
        queue_page_refresh(Paper, instance.content_object_id)
    else:
        queue_page_refresh(Paper, instance.paper_id)


def _deleted(sender, instance, **kwargs):
    if sender is TaggedPaper:
        queue_page_refresh(Paper, instance.content_object_id)
    else:
        queue_page_refresh(Paper, instance.paper_id)


def _topics_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """Taggit's add, remove, set and clear (rows it writes around per-row signals too)."""
    if not action.startswith("post_"):
        return
    if isinstance(instance, Paper):
        queue_page_refresh(Paper, instance.pk)
    else:
        for pk in pk_set or ():
            queue_page_refresh(Paper, pk)


def connect_signals():
    saved = (Paper, Author, Conference, Tag, TaggedPaper, Authorship, PaperLink, PaperVideo)
    for model in (*saved, PeerReviewExcerpt):
        post_save.connect(_saved, sender=model, dispatch_uid=f"paper-page-{model._meta.label}")
    for model in (TaggedPaper, Authorship, PaperLink, PaperVideo, PeerReviewExcerpt):
        post_delete.connect(
            _deleted, sender=model, dispatch_uid=f"paper-page-{model._meta.label}-delete"
        )
    m2m_changed.connect(_topics_changed, sender=TaggedPaper, dispatch_uid="paper-page-topics")
