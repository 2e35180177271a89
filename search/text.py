"""Text-search machinery shared by the site search and the admin: one API, two backends.

PostgreSQL matches the stored, weighted `search_vector` with web-search syntax ("exact phrase",
-exclude, or), ranks with ts_rank, snippets with ts_headline and forgives typos in titles and
names through pg_trgm. SQLite reads the same syntax and matches words case-insensitively in the
text columns; it ranks title matches first and has no typo tolerance.
"""

import html
import re
import unicodedata
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    TrigramWordSimilarity,
)
from django.db import connection
from django.db.models import Case, F, FloatField, Q, Value, When
from django.db.models.functions import Greatest
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from search.index_papers import CONFIG

MAX_QUERY_LENGTH = 200
FUZZY_LIMIT = 200
# ts_headline writes these around matches; the text is escaped before they become <mark>.
START_SEL, STOP_SEL = "\ue000", "\ue001"
TOKEN_RE = re.compile(r'(-?)"([^"]*)"?|(\S+)')
WORD_RE = re.compile(r"\w", re.UNICODE)


@dataclass(frozen=True)
class CleanQuery:
    text: str
    message: str = ""

    def __bool__(self):
        return bool(self.text)


def clean_query(raw: str | None) -> CleanQuery:
    """What can be searched of `raw`, with a message for the reader when something was off."""
    text = "".join(
        " " if unicodedata.category(ch) in ("Cc", "Cs", "Co") else ch for ch in raw or ""
    )
    text = " ".join(text.split())
    if not text:
        return CleanQuery("", "Type a word, a title or an author's name to search.")
    message = ""
    if len(text) > MAX_QUERY_LENGTH:
        text = text[:MAX_QUERY_LENGTH].rsplit(" ", 1)[0] or text[:MAX_QUERY_LENGTH]
        message = (
            f"Your search was long, so only its first {MAX_QUERY_LENGTH} characters were used."
        )
    if not WORD_RE.search(text):
        return CleanQuery(
            "", "Search needs at least one letter or digit: try a word from a title or a name."
        )
    return CleanQuery(text, message)


@dataclass(frozen=True)
class Term:
    text: str
    exclude: bool = False


def parse_query(text: str) -> list[list[Term]]:
    """Web-search syntax as groups joined by "or", each a list of terms that must all hold."""
    groups: list[list[Term]] = [[]]
    for match in TOKEN_RE.finditer(text):
        minus, phrase, word = match.groups()
        if word is not None:
            if word.lower() == "or" and groups[-1]:
                groups.append([])
                continue
            minus, word = ("-", word[1:]) if word.startswith("-") else ("", word)
            phrase = re.sub(r"^\W+|\W+$", "", word)
        phrase = " ".join((phrase or "").split())
        if phrase:
            groups[-1].append(Term(phrase, exclude=bool(minus)))
    return [group for group in groups if any(not t.exclude for t in group)]


def positive_terms(text: str) -> list[str]:
    return [t.text for group in parse_query(text) for t in group if not t.exclude]


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def web_query(text: str) -> SearchQuery:
    return SearchQuery(text, search_type="websearch", config=CONFIG)


def matching(queryset, *, text: str, fields: list[str]):
    """`queryset` narrowed to rows matching `text`, annotated with `rank` (higher is better).

    On SQLite `fields` are the columns to look in, the first being the title; lookups that
    cross a to-many relation are matched in a subquery so rows are never duplicated.
    """
    return matches(queryset, text=text, fields=fields).annotate(rank=rank(text, fields=fields))


def matches(queryset, *, text: str, fields: list[str]):
    """`queryset` narrowed to rows matching `text`, unranked (cheap to count)."""
    if is_postgres():
        return queryset.filter(search_vector=web_query(text))
    groups = parse_query(text)
    if not groups:
        return queryset.none()

    def contains(term):
        return reduce(or_, (Q(**{f"{field}__icontains": term}) for field in fields))

    condition = reduce(
        or_,
        (
            reduce(
                lambda a, b: a & b,
                (~contains(t.text) if t.exclude else contains(t.text) for t in group),
            )
            for group in groups
        ),
    )
    return queryset.filter(pk__in=queryset.model._default_manager.filter(condition).values("pk"))


def rank(text: str, *, fields: list[str]):
    """ts_rank over the weighted vector; on SQLite, title matches before the others."""
    if is_postgres():
        return SearchRank(F("search_vector"), web_query(text))
    terms = positive_terms(text)
    if not terms:
        return Value(0.0, output_field=FloatField())
    title_hit = reduce(or_, (Q(**{f"{fields[0]}__icontains": t}) for t in terms))
    return Case(When(title_hit, then=Value(1.0)), default=Value(0.5), output_field=FloatField())


def similar(queryset, *, text: str, fields: list[str], extra=None):
    """Rows whose title or name fields contain a word like `text` (pg_trgm), ranked by likeness.

    `extra` is a flat values_list of more matching primary keys (e.g. papers by an author whose name is
    like `text`). Each condition is looked up on its own, through its trigram index, and capped
    at FUZZY_LIMIT: ORing them in one WHERE would scan the whole table. PostgreSQL only; on
    SQLite there is no typo tolerance and this returns nothing.
    """
    if not is_postgres():
        return queryset.none().annotate(rank=Value(0.0, output_field=FloatField()))
    model = queryset.model._default_manager
    candidates = [
        model.filter(**{f"{field}__trigram_word_similar": text}).values_list("pk", flat=True)
        for field in fields
    ]
    if extra is not None:
        candidates.append(extra)
    ids = {pk for pks in candidates for pk in pks.order_by()[:FUZZY_LIMIT]}
    likeness = [TrigramWordSimilarity(text, field) for field in fields]
    rank = likeness[0] if len(likeness) == 1 else Greatest(*likeness)
    return queryset.filter(pk__in=ids).annotate(rank=rank)


def headline(expression, *, text: str, whole: bool = False):
    """A ts_headline expression over `expression`; render its value with `highlight()`."""
    return SearchHeadline(
        expression,
        web_query(text),
        config=CONFIG,
        start_sel=START_SEL,
        stop_sel=STOP_SEL,
        highlight_all=whole or None,
        max_words=None if whole else 30,
        min_words=None if whole else 12,
        max_fragments=None if whole else 2,
        fragment_delimiter=None if whole else " … ",
    )


def highlight(headline_text: str) -> SafeString:
    """Escaped text with ts_headline's markers turned into <mark> elements."""
    escaped = escape(headline_text or "")
    return mark_safe(escaped.replace(START_SEL, "<mark>").replace(STOP_SEL, "</mark>"))


def mark_terms(value: str, *, text: str, length: int | None = None) -> SafeString:
    """Escaped `value` (cut to about `length` characters around the first match) with each
    search term in <mark>: the SQLite stand-in for ts_headline."""
    return TermMarker(text)(value, length=length)


class TermMarker:
    """`mark_terms` for one query: its terms and their pattern are read once, then marked in
    every title and snippet of a results page."""

    def __init__(self, text: str):
        self.terms = sorted(set(positive_terms(text)), key=len, reverse=True)
        self.lowered = [t.lower() for t in self.terms]
        self.pattern = self.terms and re.compile(
            r"(?<!\w)(?:" + "|".join(re.escape(t) for t in self.terms) + ")", re.IGNORECASE
        )

    def __call__(self, value: str, *, length: int | None = None) -> SafeString:
        value = " ".join((value or "").split())
        if length and len(value) > length:
            lowered = value.lower()
            hits = [i for i in (lowered.find(t) for t in self.lowered) if i >= 0]
            start = max(0, min(hits, default=0) - length // 3)
            start = value.rfind(" ", 0, start) + 1 if start else 0
            cut = value[start : start + length].rsplit(" ", 1)[0]
            value = ("… " if start else "") + cut + (" …" if start + len(cut) < len(value) else "")
        # The standard library's escape, which Django's wraps (without its lazy-string check:
        # forty calls a results page).
        if not self.pattern:
            return mark_safe(html.escape(value))
        parts, last = [], 0
        for match in self.pattern.finditer(value):
            parts += [html.escape(value[last : match.start()]), "<mark>"]
            parts += [html.escape(match.group()), "</mark>"]
            last = match.end()
        parts.append(html.escape(value[last:]))
        return mark_safe("".join(parts))
