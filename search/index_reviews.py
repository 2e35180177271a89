"""The search index of posts, entries and keynotes, kept current by signals, on both databases.

PostgreSQL stores weighted vectors on the rows; SQLite, rows of search.fts's FTS5 tables. Weights: titles and names A, subtitles and entry summaries B, body text C. An entry's vector
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
from search import fts
from search import index_papers as paper_index
from search.index_suggestions import rebuild_suggestions

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
    if paper_index.vectors_enabled():
        return posts.update(search_vector=post_vector())
    return _replace_fts(
        "post",
        posts,
        lambda pks: (
            (pk, title, author, f"{subtitle} {intro} {conclusion}")
            for pk, title, author, subtitle, intro, conclusion in Post.objects.filter(
                pk__in=pks
            ).values_list("pk", "title", "author_name", "subtitle", "intro", "conclusion")
        ),
    )


def refresh_keynotes(keynotes) -> int:
    if paper_index.vectors_enabled():
        return keynotes.update(search_vector=keynote_vector())
    return _replace_fts(
        "keynote",
        keynotes,
        lambda pks: (
            (pk, title, speaker, f"{affiliation} {summary}")
            for pk, title, speaker, affiliation, summary in Keynote.objects.filter(
                pk__in=pks
            ).values_list("pk", "title", "speaker", "affiliation", "summary")
        ),
    )


def refresh_entries(entries) -> int:
    if paper_index.vectors_enabled():
        return entries.update(search_vector=entry_vector())
    fields = ("pk", "heading", "paper__title", "keynote__title", "keynote__speaker", "summary")
    return _replace_fts(
        "entry",
        entries,
        lambda pks: (
            (pk, " ".join(filter(None, [heading, paper, keynote])), speaker or "", summary)
            for pk, heading, paper, keynote, speaker, summary in Entry.objects.filter(
                pk__in=pks
            ).values_list(*fields)
        ),
    )


def _replace_fts(kind, queryset, rows_for) -> int:
    if not fts.enabled():
        return 0
    count = 0
    for pks in paper_index.chunks(queryset):
        count += fts.replace_rows(kind, rows_for(pks), pks=pks)
    return count


def refresh_entry_pks(pks) -> int:
    return refresh_entries(Entry.objects.filter(pk__in=pks))


def rebuild_search_index() -> dict[str, int]:
    """Recompute every stored vector; for imports and loads that bypass model signals."""
    return {
        **paper_index.rebuild(),
        "posts": refresh_posts(Post.objects.all()),
        "entries": refresh_entries(Entry.objects.all()),
        "keynotes": refresh_keynotes(Keynote.objects.all()),
        "suggestions": rebuild_suggestions(),
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
