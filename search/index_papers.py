"""The search index of papers and review excerpts, kept current by signals, on both databases.

PostgreSQL: weighted vectors on the rows. Weights: titles and names A, TL;DR B, abstract and
contribution C; `title_vector` repeats only the title and names, a small vector that ranks a
broad match without reading every abstract. SQLite: rows of search.fts's FTS5 tables.
A paper's authors live in another table, so saving or deleting an authorship (or renaming an
author) refreshes the paper. Bulk writes (bulk_create, update, COPY) bypass signals: run
`manage.py rebuild_search_index`.
"""

from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.search import SearchVector
from django.db import connection
from django.db.models import OuterRef, Subquery, TextField, Value
from django.db.models.functions import Coalesce
from django.db.models.signals import post_delete, post_save

from core.side_effects import run_or_defer
from papers.models import Author, Authorship, Paper, PeerReviewExcerpt
from search import fts

CONFIG = "english"


def vectors_enabled() -> bool:
    return connection.vendor == "postgresql"


def title_vector():
    names = (
        Authorship.objects.filter(paper=OuterRef("pk"))
        .order_by()
        .values("paper")
        .annotate(names=StringAgg("author__name", " "))
        .values("names")
    )
    return SearchVector("title", weight="A", config=CONFIG) + SearchVector(
        Coalesce(Subquery(names), Value(""), output_field=TextField()), weight="A", config=CONFIG
    )


def paper_vector():
    return (
        title_vector()
        + SearchVector("tldr", weight="B", config=CONFIG)
        + SearchVector("abstract", "contribution", weight="C", config=CONFIG)
    )


def excerpt_vector():
    return SearchVector("text", weight="B", config=CONFIG)


def refresh_papers(papers) -> int:
    """Re-index `papers` (a queryset): one UPDATE on PostgreSQL, FTS5 rows on SQLite."""
    if vectors_enabled():
        return papers.update(search_vector=paper_vector(), title_vector=title_vector())
    if not fts.enabled():
        return 0
    count = 0
    for pks in chunks(papers):
        names = {}
        authorships = Authorship.objects.filter(paper__in=pks).order_by("paper_id", "order")
        for paper_id, name in authorships.values_list("paper_id", "author__name"):
            names.setdefault(paper_id, []).append(name)
        rows = Paper.objects.filter(pk__in=pks).values_list(
            "pk", "title", "tldr", "abstract", "contribution"
        )
        count += fts.replace_rows(
            "paper",
            (
                (pk, title, " ".join(names.get(pk, [])), f"{tldr} {abstract} {contribution}")
                for pk, title, tldr, abstract, contribution in rows
            ),
            pks=pks,
        )
    return count


def refresh_excerpts(excerpts) -> int:
    if vectors_enabled():
        return excerpts.update(search_vector=excerpt_vector())
    if not fts.enabled():
        return 0
    count = 0
    for pks in chunks(excerpts):
        rows = PeerReviewExcerpt.objects.filter(pk__in=pks).values_list(
            "pk", "paper__title", "reviewer_label", "text"
        )
        count += fts.replace_rows("review", rows, pks=pks)
    return count


def chunks(queryset, size=2000):
    """Primary keys of `queryset` in lists of `size`, so a rebuild never holds every row."""
    pks = list(queryset.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(pks), size):
        yield pks[start : start + size]


def rebuild() -> dict[str, int]:
    fts.clear()
    return {
        "papers": refresh_papers(Paper.objects.all()),
        "review excerpts": refresh_excerpts(PeerReviewExcerpt.objects.all()),
    }


def refresh_paper_pks(pks) -> int:
    return refresh_papers(Paper.objects.filter(pk__in=pks))


def _paper_saved(sender, instance, created, **kwargs):
    run_or_defer("search-papers", refresh_paper_pks, instance.pk)
    if fts.enabled() and not created:  # SQLite indexes an excerpt under its paper's title
        refresh_excerpts(PeerReviewExcerpt.objects.filter(paper=instance))


def _authorship_changed(sender, instance, **kwargs):
    run_or_defer("search-papers", refresh_paper_pks, instance.paper_id)


def _author_saved(sender, instance, created, **kwargs):
    if not created:
        refresh_papers(Paper.objects.filter(authorships__author=instance))


def _excerpt_saved(sender, instance, **kwargs):
    run_or_defer(
        "search-excerpts",
        lambda pks: refresh_excerpts(PeerReviewExcerpt.objects.filter(pk__in=pks)),
        instance.pk,
    )


def connect() -> None:
    post_save.connect(_paper_saved, sender=Paper, dispatch_uid="search_paper_saved")
    post_save.connect(_authorship_changed, sender=Authorship, dispatch_uid="search_authorship")
    post_delete.connect(
        _authorship_changed, sender=Authorship, dispatch_uid="search_authorship_deleted"
    )
    post_save.connect(_author_saved, sender=Author, dispatch_uid="search_author_saved")
    post_save.connect(_excerpt_saved, sender=PeerReviewExcerpt, dispatch_uid="search_excerpt")
