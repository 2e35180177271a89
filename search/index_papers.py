"""Weighted search vectors of papers and review excerpts, kept current by signals.

Weights: titles and names A, TL;DR B, abstract and contribution C. A paper's authors live in
another table, so saving or deleting an authorship (or renaming an author) refreshes the paper.
Vectors exist on PostgreSQL only; on SQLite the column stays empty and search matches text.
Bulk writes (bulk_create, update, COPY) bypass signals: run `manage.py rebuild_search_index`.
"""

from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.search import SearchVector
from django.db import connection
from django.db.models import OuterRef, Subquery, TextField, Value
from django.db.models.functions import Coalesce
from django.db.models.signals import post_delete, post_save

from core.side_effects import run_or_defer
from papers.models import Author, Authorship, Paper, PeerReviewExcerpt

CONFIG = "english"


def vectors_enabled() -> bool:
    return connection.vendor == "postgresql"


def paper_vector():
    names = (
        Authorship.objects.filter(paper=OuterRef("pk"))
        .order_by()
        .values("paper")
        .annotate(names=StringAgg("author__name", " "))
        .values("names")
    )
    return (
        SearchVector("title", weight="A", config=CONFIG)
        + SearchVector(
            Coalesce(Subquery(names), Value(""), output_field=TextField()),
            weight="A",
            config=CONFIG,
        )
        + SearchVector("tldr", weight="B", config=CONFIG)
        + SearchVector("abstract", "contribution", weight="C", config=CONFIG)
    )


def excerpt_vector():
    return SearchVector("text", weight="B", config=CONFIG)


def refresh_papers(papers) -> int:
    """Recompute the vectors of `papers` (a queryset) in one UPDATE."""
    if not vectors_enabled():
        return 0
    return papers.update(search_vector=paper_vector())


def refresh_excerpts(excerpts) -> int:
    if not vectors_enabled():
        return 0
    return excerpts.update(search_vector=excerpt_vector())


def rebuild() -> dict[str, int]:
    return {
        "papers": refresh_papers(Paper.objects.all()),
        "review excerpts": refresh_excerpts(PeerReviewExcerpt.objects.all()),
    }


def refresh_paper_pks(pks) -> int:
    return refresh_papers(Paper.objects.filter(pk__in=pks))


def _paper_saved(sender, instance, **kwargs):
    run_or_defer("search-papers", refresh_paper_pks, instance.pk)


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
