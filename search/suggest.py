"""Search-as-you-type: public titles, authors, tags and conferences that start like the query.

Every word of the query must start a word of the suggestion ("hyena d" suggests "HyenaDNA: ...
DNA"). Papers are found through their compact title-and-names vector on PostgreSQL (a prefix
tsquery on its GIN index) and the FTS5 table's title column on SQLite; authors, tags and
conferences are short tables matched by name. Each source starts from its reviews.visibility
selector: nothing only a draft features is ever suggested. One query per source, at any size.
"""

import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery
from django.db.models import Q
from django.urls import reverse

from reviews.visibility import (
    public_authors,
    public_conferences,
    public_papers,
    public_posts,
    public_topics,
)
from search import fts
from search import text as ts
from search.index_papers import CONFIG

MIN_LENGTH = 2
MAX_LENGTH = 100
PER_SOURCE = 4
LIMIT = 10
# A short prefix matches thousands of titles: the newest few hundred are ranked, not all.
CANDIDATES = 200
WORD_RE = re.compile(r"\w+", re.UNICODE)


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
    """Up to `limit` suggestions for what a reader has typed so far, papers first."""
    words = query_words(query)
    if not words:
        return []
    found = [
        *_papers(words),
        *_authors(words),
        *_tags(words),
        *_conferences(words),
        *_posts(words),
    ]
    return found[:limit]


def _word_prefixes(field, words):
    """Each word starts `field` or one of its words (SQL LIKE, case-insensitive)."""
    condition = Q()
    for word in words:
        condition &= Q(**{f"{field}__istartswith": word}) | Q(**{f"{field}__icontains": f" {word}"})
    return condition


def _papers(words):
    if ts.is_postgres():
        raw = " & ".join(f"{w}:*" for w in words)
        matching = public_papers().filter(
            title_vector=SearchQuery(raw, search_type="raw", config=CONFIG)
        )
    else:
        expression = " AND ".join(fts.quoted(w) + "*" for w in words)
        matching = public_papers().filter(
            pk__in=fts.matching_ids("paper", "{title names} : (" + expression + ")")
        )
    papers = matching.select_related("conference").order_by("-pk")[:CANDIDATES]
    ranked = sorted(papers, key=lambda p: (not _starts(p.title, words), len(p.title)))
    return [
        Suggestion("paper", p.title, p.get_absolute_url(), str(p.conference or ""))
        for p in ranked[:PER_SOURCE]
    ]


def _starts(label, words):
    return label.casefold().startswith(words[0].casefold())


def _authors(words):
    authors = public_authors().filter(_word_prefixes("name", words)).order_by("name")
    return [
        Suggestion("author", a.name, reverse("papers:author-detail", kwargs={"slug": a.slug}))
        for a in authors[:PER_SOURCE]
    ]


def _tags(words):
    tags = public_topics().filter(_word_prefixes("name", words)).order_by("name")
    return [
        Suggestion("tag", t.name, reverse("reviews:tag-detail", kwargs={"slug": t.slug}))
        for t in tags[:PER_SOURCE]
    ]


def _conferences(words):
    conferences = public_conferences().filter(
        _word_prefixes("short_name", words[:1]) | _word_prefixes("full_name", words)
    )
    conferences = conferences.order_by("-year", "short_name")
    if len(words) > 1:
        years = [w for w in words if w.isdigit()]
        conferences = conferences.filter(year__in=years) if years else conferences
    return [
        Suggestion("conference", str(c), c.get_absolute_url(), c.full_name)
        for c in conferences[:PER_SOURCE]
    ]


def _posts(words):
    posts = public_posts().filter(_word_prefixes("title", words)).order_by("-published_at")
    return [
        Suggestion("post", p.title, p.get_absolute_url(), p.subtitle)
        for p in posts.only("title", "slug", "subtitle", "published_at")[:PER_SOURCE]
    ]
