"""Weighted search vectors of posts, entries and keynotes, kept current by signals.

Weights: titles and names A, subtitles and entry summaries B, body text C. An entry's vector
includes the title of the paper or keynote it presents, so saving those refreshes the entries.
Whether a post (and so its entries) is public is checked at query time, never stored here.
"""

from django.contrib.postgres.search import SearchVector
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.db.models.signals import post_save

from core.side_effects import run_or_defer
from papers.models import Paper
from reviews.models import Entry, Keynote, Post
from search import index_papers as paper_index

CONFIG = paper_index.CONFIG


def post_vector():
    return (
        SearchVector("title", "author_name", weight="A", config=CONFIG)
        + SearchVector("subtitle", weight="B", config=CONFIG)
        + SearchVector("intro", "conclusion", weight="C", config=CONFIG)
    )


def keynote_vector():
    return (
        SearchVector("title", "speaker", weight="A", config=CONFIG)
        + SearchVector("affiliation", weight="B", config=CONFIG)
        + SearchVector("summary", weight="C", config=CONFIG)
    )


def entry_vector():
    paper_title = Paper.objects.filter(pk=OuterRef("paper_id")).values("title")
    keynote = Keynote.objects.filter(pk=OuterRef("keynote_id"))
    heading = (
        SearchVector("heading", weight="A", config=CONFIG)
        + SearchVector(Coalesce(Subquery(paper_title), Value("")), weight="A", config=CONFIG)
        + SearchVector(
            Coalesce(Subquery(keynote.values("title")), Value("")), weight="A", config=CONFIG
        )
        + SearchVector(
            Coalesce(Subquery(keynote.values("speaker")), Value("")), weight="A", config=CONFIG
        )
    )
    return heading + SearchVector("summary", weight="B", config=CONFIG)


def refresh_posts(posts) -> int:
    return posts.update(search_vector=post_vector()) if paper_index.vectors_enabled() else 0


def refresh_keynotes(keynotes) -> int:
    return keynotes.update(search_vector=keynote_vector()) if paper_index.vectors_enabled() else 0


def refresh_entries(entries) -> int:
    return entries.update(search_vector=entry_vector()) if paper_index.vectors_enabled() else 0


def refresh_entry_pks(pks) -> int:
    return refresh_entries(Entry.objects.filter(pk__in=pks))


def rebuild_search_index() -> dict[str, int]:
    """Recompute every stored vector; for imports and loads that bypass model signals."""
    return {
        **paper_index.rebuild(),
        "posts": refresh_posts(Post.objects.all()),
        "entries": refresh_entries(Entry.objects.all()),
        "keynotes": refresh_keynotes(Keynote.objects.all()),
    }


def _post_saved(sender, instance, **kwargs):
    run_or_defer(
        "search-posts", lambda pks: refresh_posts(Post.objects.filter(pk__in=pks)), instance.pk
    )


def _entry_saved(sender, instance, **kwargs):
    run_or_defer("search-entries", refresh_entry_pks, instance.pk)


def _keynote_saved(sender, instance, created, **kwargs):
    run_or_defer(
        "search-keynotes",
        lambda pks: refresh_keynotes(Keynote.objects.filter(pk__in=pks)),
        instance.pk,
    )
    if not created:
        refresh_entries(Entry.objects.filter(keynote=instance))


def _paper_saved(sender, instance, created, **kwargs):
    if not created:
        refresh_entries(Entry.objects.filter(paper=instance))


def connect() -> None:
    post_save.connect(_post_saved, sender=Post, dispatch_uid="search_post_saved")
    post_save.connect(_entry_saved, sender=Entry, dispatch_uid="search_entry_saved")
    post_save.connect(_keynote_saved, sender=Keynote, dispatch_uid="search_keynote_saved")
    post_save.connect(_paper_saved, sender=Paper, dispatch_uid="search_paper_entries")
