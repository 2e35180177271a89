"""SQLite's full-text index: an FTS5 table per result kind and a trigram vocabulary for typos.

Each kind's table holds three columns, `title`, `names` and `body`, stemmed by FTS5's porter
tokenizer (as PostgreSQL's english configuration stems) and ranked by bm25 with titles and names
weighted above the body. Every word of a query matches as a prefix ("hyena" finds "HyenaDNA").
Typo tolerance reads `search_word`, the words of titles and names, through a trigram index:
"protien" shares trigrams with "protein", which is one transposition away.

The tables are created by search's migration (0001_fts_tables) on SQLite only and written by the same index
functions (search/index_*.py) that keep PostgreSQL's vectors; nothing here runs elsewhere.
"""

import datetime
import functools
import json
import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.dateparse import parse_datetime

TABLES = {
    "paper": "search_paper_fts",
    "post": "search_post_fts",
    "entry": "search_entry_fts",
    "keynote": "search_keynote_fts",
    "review": "search_review_fts",
}
WORDS, WORDS_INDEX = "search_word", "search_word_fts"
# bm25 column weights: title, names, body (PostgreSQL's A, A and B-C).
WEIGHTS = (10.0, 8.0, 1.0)
TOKEN_RE = re.compile(r"\w+", re.UNICODE)
TYPO_CANDIDATES = 200
TYPO_VARIANTS = 5
CHUNK = 500
# The keys of a page's rows, one JSON parameter whatever their number.
KEYS = "SELECT value FROM json_each(%s)"


def enabled() -> bool:
    return connection.vendor == "sqlite"


def words_of(text: str) -> set[str]:
    return {w.casefold() for w in TOKEN_RE.findall(text or "") if len(w) >= 3 and not w.isdigit()}


def replace_rows(kind: str, rows: Iterable[tuple[int, str, str, str]], *, pks=None) -> int:
    """Store `rows` (pk, title, names, body) for `kind`, replacing the rows of `pks`."""
    if not enabled():
        return 0
    table = TABLES[kind]
    rows = list(rows)
    pks = [row[0] for row in rows] if pks is None else list(pks)
    words = set()
    with connection.cursor() as cursor:
        for start in range(0, len(pks), CHUNK):
            chunk = pks[start : start + CHUNK]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"DELETE FROM {table} WHERE rowid IN ({marks})", chunk)
        cursor.executemany(
            f"INSERT INTO {table} (rowid, title, names, body) VALUES (%s, %s, %s, %s)", rows
        )
        for _, title, names, _ in rows:
            words |= words_of(title) | words_of(names)
        add_words(cursor, words)
    return len(rows)


def add_words(cursor, words: set[str]) -> None:
    if not words:
        return
    cursor.execute(f"SELECT coalesce(max(id), 0) FROM {WORDS}")
    (before,) = cursor.fetchone()
    cursor.executemany(
        f"INSERT OR IGNORE INTO {WORDS} (word) VALUES (%s)", [(w,) for w in sorted(words)]
    )
    cursor.execute(
        f"INSERT INTO {WORDS_INDEX} (rowid, word) SELECT id, word FROM {WORDS} WHERE id > %s",
        [before],
    )


def clear() -> None:
    """Empty every table; `rebuild_search_index` then refills them."""
    if not enabled():
        return
    with connection.cursor() as cursor:
        for table in TABLES.values():
            cursor.execute(f"DELETE FROM {table}")
        cursor.execute(f"DELETE FROM {WORDS}")
        cursor.execute(f"INSERT INTO {WORDS_INDEX} ({WORDS_INDEX}) VALUES ('delete-all')")


def quoted(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def term_expression(term, variants: dict[str, list[str]] | None = None) -> str:
    """One term as FTS5 syntax: a word as a prefix, a phrase as adjacent words."""
    tokens = TOKEN_RE.findall(term.text)
    if not tokens:
        return ""
    if len(tokens) > 1:
        return quoted(" ".join(tokens))
    token = tokens[0]
    expression = quoted(token) + ("*" if len(token) > 1 else "")
    others = (variants or {}).get(token.casefold(), [])
    if others:
        return "(" + " OR ".join([expression, *(quoted(w) for w in others)]) + ")"
    return expression


def match_expression(groups, variants=None) -> str:
    """Web-search groups (see text.parse_query) as one FTS5 MATCH expression, or ""."""
    ors = []
    for group in groups:
        positive = [term_expression(t, variants) for t in group if not t.exclude]
        negative = [term_expression(t) for t in group if t.exclude]
        positive, negative = [p for p in positive if p], [n for n in negative if n]
        if not positive:
            continue
        expression = "(" + " AND ".join(positive) + ")"
        if negative:
            expression += " NOT (" + " OR ".join(negative) + ")"
        ors.append(expression)
    return " OR ".join(ors)


def candidates(kind: str, expression: str, *, visible, limit: int, scored: bool = True):
    """(sql, params) of the `limit` most recent rows (id, score) of `kind` that match
    `expression` and that `visible` (a `Visible`: the kind's visible, filtered rows) lets
    through; None when `visible` is None or can hold nothing.

    The FTS table drives: its matches are read newest first and each is looked up in `visible`
    by primary key until `limit` pass, so a broad word stops early and a filter never makes
    SQLite probe the full-text query once per filtered row (2.7 s for "protein" in one
    conference's excerpts at 100,000 papers). bm25 scores only the rows returned.
    """
    compiled = visible.row_sql() if visible is not None else None
    if compiled is None:
        return None
    table = TABLES[kind]
    weights = ", ".join(str(w) for w in WEIGHTS)
    score = f"-bm25({table}, {weights})" if scored else "0"
    sql = (
        f"SELECT rowid AS id, {score} AS score FROM {table} "
        f"WHERE {table} MATCH %s AND EXISTS ({compiled[0]}) "
        f"ORDER BY rowid DESC LIMIT {int(limit)}"
    )
    return sql, [expression, *compiled[1]]


@dataclass(frozen=True)
class Visible:
    """A kind's visible rows that pass the filters, as `build()` makes them for `key` (the
    kind and its filters' values): `candidates` compiles them once per key, the time of each
    search put in, and builds no queryset once compiled (building and compiling the five
    kinds' visibility querysets cost more CPU than the search statement on the demo)."""

    kind: str
    key: tuple
    build: Callable[[], QuerySet]

    def row_sql(self):
        """(sql, params) of these rows narrowed to the FTS row at hand, or None."""
        return _clocked(self.key, lambda: _compiled_visible_row(self.kind, self.build()))


def _clocked(key, make):
    """(sql, params) that `make()` compiles, compiled once per `key` (the kind and filters'
    values it depends on), the parameters that were the time at compiling replaced by the
    time now; None when it can hold no row."""
    compiled = _shapes.get(key, _shapes)
    if compiled is _shapes:
        compiled = _with_times(make)
        with _shapes_lock:
            _shapes[key] = compiled
            if len(_shapes) > SHAPES:
                del _shapes[next(iter(_shapes))]
    if compiled is None:
        return None
    sql, params, times = compiled
    if times:
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        params = [now if index in times else value for index, value in enumerate(params)]
    return sql, list(params)


# {shape key: (sql, params, positions of the time)}, the oldest dropped past SHAPES (the keys
# hold the filters' values).
_shapes: dict = {}
_shapes_lock = threading.Lock()
SHAPES = 512


def _with_times(make):
    """`make()`'s SQL and parameters, with the positions of the parameters that are the
    time it was built at (the visibility rule's "now"), to be replaced by the time of each
    search."""
    before = timezone.now()
    compiled = make()
    after = timezone.now()
    if compiled is None:
        return None
    sql, params = compiled
    before, after = (
        parse_datetime(connection.ops.adapt_datetimefield_value(t)) for t in (before, after)
    )
    times = {index for index, value in enumerate(params) if before <= _time(value) <= after}
    return sql, tuple(params), times


def _time(value):
    """A parameter as the (naive, UTC) time it spells, else a time past any search's: a
    filter's value may spell anything."""
    try:
        parsed = parse_datetime(value) if isinstance(value, str) else None
    except ValueError:
        parsed = None
    return parsed if parsed and parsed.tzinfo is None else datetime.datetime.max


def _compiled_visible_row(kind, visible):
    row = visible.filter(pk=RawSQL(f"{TABLES[kind]}.rowid", ())).order_by().values("pk")
    try:
        return row.query.sql_with_params()
    except EmptyResultSet:
        return None


def rows_by_key(model, columns, keys, *, key="pk", order=()) -> list[dict]:
    """[{column: value}] of the rows of `model` whose `key` is one of `keys`, in `order`.

    The SQL is compiled once per shape (a page's rows are read by key, visibility having been
    checked by the statement that found them): building and compiling a queryset cost more
    CPU than reading twenty rows.
    """
    sql, compiler, converters = _compiled_rows(model, tuple(columns), key, tuple(order))
    with connection.cursor() as cursor:
        cursor.execute(sql, [json.dumps(list(keys))])
        rows = cursor.fetchall()
    if converters:
        rows = compiler.apply_converters(rows, converters)
    return [dict(zip(columns, row, strict=True)) for row in rows]


@functools.cache
def _compiled_rows(model, columns, key, order):
    rows = model._default_manager.filter(**{f"{key}__in": RawSQL(KEYS, ("[]",))})
    compiler = rows.order_by(*order).values_list(*columns).query.get_compiler(connection.alias)
    sql, params = compiler.as_sql()
    if tuple(params) != ("[]",):
        raise ValueError(f"{model.__name__} rows by key take one parameter, not {params}")
    converters = compiler.get_converters([expression for expression, *_ in compiler.select])
    return sql, compiler, converters


def typo_variants(words: list[str]) -> dict[str, list[str]]:
    """Indexed title and name words one or two edits away from each of `words`."""
    found = {}
    with connection.cursor() as cursor:
        for word in {w.casefold() for w in words if len(w) >= 4 and not w.isdigit()}:
            grams = {word[i : i + 3] for i in range(len(word) - 2)}
            cursor.execute(
                f"SELECT {WORDS}.word FROM {WORDS_INDEX} JOIN {WORDS} ON {WORDS}.id = {WORDS_INDEX}.rowid "
                f"WHERE {WORDS_INDEX} MATCH %s ORDER BY {WORDS_INDEX}.rank LIMIT %s",
                [" OR ".join(quoted(g) for g in sorted(grams)), TYPO_CANDIDATES],
            )
            limit = 1 if len(word) <= 5 else 2
            close = sorted(
                (distance, candidate)
                for (candidate,) in cursor.fetchall()
                if candidate != word
                and abs(len(candidate) - len(word)) <= limit
                and (distance := edit_distance(word, candidate)) <= limit
            )
            if close:
                found[word] = [candidate for _, candidate in close[:TYPO_VARIANTS]]
    return found


def edit_distance(a: str, b: str) -> int:
    """Damerau-Levenshtein distance (with adjacent transpositions): "protien" -> "protein" is 1."""
    previous2, previous = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if previous2 is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                value = min(value, previous2[j - 2] + 1)
            current.append(value)
        previous2, previous = previous, current
    return previous[-1]
