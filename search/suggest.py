"""Search-as-you-type: public titles, authors, tags and conferences that start like the query.

Every word of the query must start a word of the suggestion ("hyena d" suggests "HyenaDNA: ...
DNA"); a paper is also found by its authors' names, a conference by its full name. The rows are
stored (search.models, kept current by search.index_suggestions from the reviews.visibility
selectors), so a suggestion is one indexed query whatever the size of the catalogue, and no
reader ever waits for an index to be built. A row is shown once its `public_from` has come.

The query's longest word picks the rows by its first two or three letters, through an index in
rank order, so only the rows shown are read; its other letters and the other words are checked
on those rows. Within each source, a label that starts with the word comes first, then the
shorter label.
"""

import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import Exists, OuterRef
from django.utils import timezone

from search import text as ts
from search.index_suggestions import WORD_LENGTH
from search.models import Suggestion as Row
from search.models import SuggestionWord

MIN_LENGTH = 2
MAX_LENGTH = 100
PER_SOURCE = 4
LIMIT = 10
# Rows read per source: a record has one row per word, so two words of one title can share a
# prefix; the repeats are dropped after the read.
READ = PER_SOURCE * 3
WORD_RE = re.compile(r"\w+", re.UNICODE)
ORDER = list(Row.Kind.values)


@dataclass(frozen=True)
class Suggestion:
    kind: str
    label: str
    url: str
    detail: str = ""


def query_words(query: str | None) -> list[str]:
    cleaned = ts.clean_query((query or "")[:MAX_LENGTH])
    words = WORD_RE.findall(cleaned.text)
    return words if len("".join(words)) >= MIN_LENGTH else []


def suggest(*, query: str | None, limit: int = LIMIT) -> list[Suggestion]:
    """Up to `limit` suggestions for what a reader has typed so far, papers first: one query."""
    words = list(dict.fromkeys(w.casefold()[:WORD_LENGTH] for w in query_words(query)))
    if not words or max(len(w) for w in words) < MIN_LENGTH:
        return []
    now = timezone.now()
    parts = [_matching(kind, words, now).query.sql_with_params() for kind in ORDER]
    # Each source's LIMIT in a subquery of its own: SQLite takes none in a bare UNION member.
    with connection.cursor() as cursor:
        cursor.execute(
            " UNION ALL ".join(
                f"SELECT * FROM ({sql}) AS {kind}"
                for kind, (sql, _) in zip(ORDER, parts, strict=True)
            ),
            [param for _, params in parts for param in params],
        )
        rows = cursor.fetchall()
    found, seen = [], set()
    for kind, _rank, pk, label, url, detail in sorted(
        rows, key=lambda row: (ORDER.index(row[0]), row[1], row[2])
    ):
        shown = sum(1 for s in found if s.kind == kind)
        if pk not in seen and shown < PER_SOURCE:
            seen.add(pk)
            found.append(Suggestion(kind, label, url, detail))
    return found[:limit]


def _matching(kind, words, now):
    """The best READ rows of `kind` whose suggestion has a word starting with each of `words`."""
    key = max(words, key=len)
    rows = SuggestionWord.objects.filter(kind=kind, suggestion__public_from__lte=now)
    if len(key) == 2:
        rows = rows.filter(prefix2=key)
    else:
        rows = rows.filter(prefix3=key[:3])
        if len(key) > 3:
            rows = rows.filter(word__startswith=key)
    for other in words:
        if other != key:
            others = SuggestionWord.objects.filter(
                suggestion=OuterRef("suggestion"), word__startswith=other
            )
            rows = rows.filter(Exists(others))
    return rows.order_by("rank", "suggestion").values_list(
        "kind",
        "rank",
        "suggestion",
        "suggestion__label",
        "suggestion__url",
        "suggestion__detail",
    )[:READ]
