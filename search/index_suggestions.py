"""The stored suggestions (search.models), kept current by signals, on both databases.

A record's rows are rewritten whenever what they show or whether it is public may have moved:
its own save or delete, a paper's authorships, an author's or conference's rename (their
papers show them), and every public flag reviews.rendering's refresh moves
(`public_flags_changed`: publishing, unpublishing, an import, a merge). Only records
`reviews.visibility.public_since()` returns are stored, with that time; search.suggest shows
a row once it has come, so a draft or what only a draft features never has a row, and a
scheduled post's appear when it is due. Inside `batched()` the rewrite runs once per block.
`rebuild_suggestions()` (part of `rebuild_search_index`, and run after a backup's restore)
rewrites them all.
"""

import re

from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save
from django.urls import reverse
from taggit.models import Tag

from core.side_effects import run_or_defer
from papers.models import Author, Authorship, Conference, Paper
from reviews.models import Post
from reviews.rendering import public_flags_changed
from reviews.visibility import public_since
from search.models import Suggestion, SuggestionWord

WORD_RE = re.compile(r"\w+", re.UNICODE)
WORD_LENGTH = SuggestionWord._meta.get_field("word").max_length
CHUNK = 500
# The rank's tiers: a word that starts the label, its other words, then words it does not show.
FIRST, LABEL, OTHER = 0, 1, 2
LENGTH_CAP = 999
# Public-flag labels (reviews.visibility) whose records have suggestions.
FLAG_KINDS = {
    "papers.Paper": Suggestion.Kind.PAPER,
    "papers.Author": Suggestion.Kind.AUTHOR,
    "papers.Conference": Suggestion.Kind.CONFERENCE,
    "taggit.Tag": Suggestion.Kind.TAG,
}


def words_of(text: str) -> list[str]:
    """The casefolded words of `text`, in order, each cut to what a row stores."""
    return [w.casefold()[:WORD_LENGTH] for w in WORD_RE.findall(text or "")]


def _papers(pks):
    papers = public_since(Paper.objects.filter(pk__in=pks)).select_related("conference")
    papers = papers.only("title", "slug", "conference__short_name", "conference__year")
    names = {}
    authorships = Authorship.objects.filter(paper_id__in=pks).order_by("paper_id", "order")
    for paper_id, name in authorships.values_list("paper_id", "author__name"):
        names.setdefault(paper_id, []).append(name)
    for p in papers:
        yield (p, p.title, p.get_absolute_url(), str(p.conference or ""), names.get(p.pk, []))


def _authors(pks):
    for a in public_since(Author.objects.filter(pk__in=pks)).only("name", "slug"):
        yield (a, a.name, a.get_absolute_url(), "", [])


def _tags(pks):
    for t in public_since(Tag.objects.filter(pk__in=pks)):
        yield (t, t.name, reverse("reviews:tag-detail", kwargs={"slug": t.slug}), "", [])


def _conferences(pks):
    for c in public_since(Conference.objects.filter(pk__in=pks)):
        yield (c, str(c), c.get_absolute_url(), c.full_name, [c.full_name])


def _posts(pks):
    posts = public_since(Post.objects.filter(pk__in=pks)).only("title", "slug", "subtitle")
    for p in posts:
        yield (p, p.title, p.get_absolute_url(), p.subtitle, [])


SOURCES = {
    Suggestion.Kind.PAPER: _papers,
    Suggestion.Kind.AUTHOR: _authors,
    Suggestion.Kind.TAG: _tags,
    Suggestion.Kind.CONFERENCE: _conferences,
    Suggestion.Kind.POST: _posts,
}
MODELS = {Paper: "paper", Author: "author", Tag: "tag", Conference: "conference", Post: "post"}


def word_rows(kind, label, others) -> list[tuple]:
    """A suggestion's words, each once at its best rank: (kind, word, prefix2, prefix3, rank)."""
    length = min(len(label), LENGTH_CAP)
    ranks = {}
    for position, word in enumerate(words_of(label)):
        ranks.setdefault(word, FIRST if position == 0 else LABEL)
    for text in others:
        for word in words_of(text):
            ranks.setdefault(word, OTHER)
    return [
        (kind, word, word[:2], word[:3], tier * (LENGTH_CAP + 1) + length)
        for word, tier in ranks.items()
    ]


def _delete(kind, pks) -> None:
    """The rows of `pks`, if any, by raw DELETEs: the ORM's cascade would load every word row
    to send signals no one listens to."""
    ids = list(Suggestion.objects.filter(kind=kind, object_id__in=pks).values_list("pk", flat=True))
    if not ids:
        return
    marks = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        for table, column in ((SuggestionWord, "suggestion_id"), (Suggestion, "id")):
            cursor.execute(f"DELETE FROM {table._meta.db_table} WHERE {column} IN ({marks})", ids)


def refresh_suggestions(items) -> int:
    """Rewrite the suggestions of `items`, (kind, pk) pairs; returns the rows stored.

    Idempotent: a record that is gone or not public (now or later) loses its row.
    """
    by_kind: dict[str, set] = {}
    for kind, pk in items:
        if pk is not None:
            by_kind.setdefault(kind, set()).add(pk)
    stored = 0
    for kind, pks in by_kind.items():
        pks = sorted(pks)
        for start in range(0, len(pks), CHUNK):
            stored += _store(kind, pks[start : start + CHUNK])
    return stored


def _store(kind, pks) -> int:
    _delete(kind, pks)
    suggestions, words = [], []
    for obj, label, url, detail, others in SOURCES[kind](pks):
        suggestions.append(
            Suggestion(
                kind=kind,
                object_id=obj.pk,
                label=label[:300],
                url=url,
                detail=detail[:300],
                public_from=obj.public_since,
            )
        )
        words.append(word_rows(kind, label, others))
    Suggestion.objects.bulk_create(suggestions)
    # Plain rows, not models: a rebuild writes about a dozen per paper.
    rows = [
        (suggestion.pk, *row)
        for suggestion, its_words in zip(suggestions, words, strict=True)
        for row in its_words
    ]
    if rows:
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {SuggestionWord._meta.db_table} "
                "(suggestion_id, kind, word, prefix2, prefix3, rank) VALUES (%s, %s, %s, %s, %s, %s)",
                rows,
            )
    return len(suggestions)


@transaction.atomic
def rebuild_suggestions() -> int:
    """Every suggestion rewritten from the rows: for loads and restores that bypass signals.

    One transaction, so readers keep the old rows until the new ones are in. On PostgreSQL the
    old rows stay as dead tuples until (auto)vacuum, and planning slows until then (18 ms
    instead of 1 at 100k papers): a bulk load runs VACUUM ANALYZE after it.
    """
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {SuggestionWord._meta.db_table}")
        cursor.execute(f"DELETE FROM {Suggestion._meta.db_table}")
    stored = 0
    for model, kind in MODELS.items():
        pks = list(public_since(model.objects.all()).order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(pks), CHUNK):
            stored += _store(kind, pks[start : start + CHUNK])
    return stored


def queue(items) -> None:
    for item in items:
        run_or_defer("search-suggestions", refresh_suggestions, item)


def _saved(sender, instance, raw=False, **kwargs):
    if raw:  # a restore rebuilds them (SearchConfig.after_restore)
        return
    kind = MODELS[sender]
    queue([(kind, instance.pk)])
    if sender in (Author, Conference) and not kwargs.get("created"):
        papers = Paper.objects.filter(
            **({"authorships__author": instance} if sender is Author else {"conference": instance})
        )
        queue(("paper", pk) for pk in papers.values_list("pk", flat=True).distinct())


def _deleted(sender, instance, **kwargs):
    queue([(MODELS[sender], instance.pk)])


def _authorship_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        queue([("paper", instance.paper_id)])


def _flags_changed(sender, changed, **kwargs):
    queue(
        (FLAG_KINDS[label], pk)
        for label, pks in changed.items()
        if label in FLAG_KINDS
        for pk in pks
    )


def connect() -> None:
    for model in MODELS:
        uid = f"search-suggestions-{model._meta.label}"
        post_save.connect(_saved, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_deleted, sender=model, dispatch_uid=f"{uid}-delete")
    for signal in (post_save, post_delete):
        signal.connect(
            _authorship_changed, sender=Authorship, dispatch_uid=f"search-suggestions-{signal!r}"
        )
    public_flags_changed.connect(_flags_changed, dispatch_uid="search-suggestions-flags")
