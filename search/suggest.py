"""Search-as-you-type: public titles, authors, tags and conferences that start like the query.

Every word of the query must start a word of the suggestion ("hyena d" suggests "HyenaDNA: ...
DNA"); a paper is also found by its authors' names. The public titles, names, tags,
conferences and post titles are read once per content state (the page cache's version: it
changes with any save and at the next scheduled publication) from the reviews.visibility
selectors, so nothing only a draft features is ever suggested, into a word index this process
keeps. A suggestion is then a bisect in memory, after the one read of the content state.
"""

import bisect
import re
from dataclasses import dataclass

from django.urls import reverse

from core.page_cache import STATE_KEY, current_state, guard, shared_cache
from papers.models import Authorship
from reviews.visibility import (
    public_authors,
    public_conferences,
    public_papers,
    public_posts,
    public_topics,
)
from search import text as ts

MIN_LENGTH = 2
MAX_LENGTH = 100
PER_SOURCE = 4
LIMIT = 10
# A short prefix matches thousands of titles: the newest few hundred are ranked, not all.
CANDIDATES = 200
# Primary keys per query when reading the public papers' authors (SQLite's parameter limit).
CHUNK = 900
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
    words = [w.casefold() for w in query_words(query)]
    if not words:
        return []
    index = current_index()
    found = [
        *_papers(index["paper"], words),
        *index["author"].first(words, PER_SOURCE),
        *index["tag"].first(words, PER_SOURCE),
        *_conferences(index["conference"], words),
        *index["post"].first(words, PER_SOURCE),
    ]
    return found[:limit]


def words_of(*texts) -> set[str]:
    return {w.casefold() for text in texts for w in WORD_RE.findall(text or "")}


class Source:
    """Suggestions in their source's order, and a sorted (word, position) list to find them."""

    def __init__(self, rows):
        self.suggestions = [suggestion for suggestion, _ in rows]
        self.words = sorted((word, i) for i, (_, words) in enumerate(rows) for word in words)

    def positions(self, words) -> list[int]:
        """Positions of the suggestions that have, for each of `words`, a word it starts."""
        found = None
        for word in sorted(set(words), key=len, reverse=True):
            start = bisect.bisect_left(self.words, (word,))
            end = bisect.bisect_left(self.words, (word + "\U0010ffff",), lo=start)
            hits = {i for _, i in self.words[start:end]}
            found = hits if found is None else found & hits
            if not found:
                return []
        return sorted(found)

    def first(self, words, count) -> list[Suggestion]:
        return [self.suggestions[i] for i in self.positions(words)[:count]]


_index = (None, None)


def current_index() -> dict[str, Source]:
    """The word index of the current content state, built on first use after a change."""
    global _index
    state = guard.call("get", STATE_KEY) if shared_cache() else None
    version, _ = current_state(state)
    if _index[0] != version:
        _index = (version, build_index())
    return _index[1]


def build_index() -> dict[str, Source]:
    """Every public source read once: six queries, and one more per CHUNK public papers."""
    papers = list(
        public_papers()
        .select_related("conference")
        .only("title", "slug", "conference__short_name", "conference__year")
        .order_by("-pk")
    )
    names = {}
    # By the papers' keys, read above, rather than through the visibility rule a second time.
    for first in range(0, len(papers), CHUNK):
        pks = [p.pk for p in papers[first : first + CHUNK]]
        authorships = Authorship.objects.filter(paper_id__in=pks).order_by("paper_id", "order")
        for paper_id, name in authorships.values_list("paper_id", "author__name"):
            names.setdefault(paper_id, []).append(name)
    paper_rows = [
        (
            Suggestion("paper", p.title, p.get_absolute_url(), str(p.conference or "")),
            words_of(p.title, *names.get(p.pk, [])),
        )
        for p in papers
    ]
    author_rows = [
        (Suggestion("author", a.name, a.get_absolute_url()), words_of(a.name))
        for a in public_authors().only("name", "slug").order_by("name")
    ]
    tag_rows = [
        (
            Suggestion("tag", t.name, reverse("reviews:tag-detail", kwargs={"slug": t.slug})),
            words_of(t.name),
        )
        for t in public_topics().order_by("name")
    ]
    conference_rows = [
        (
            Suggestion("conference", str(c), c.get_absolute_url(), c.full_name),
            (words_of(c.short_name), words_of(c.full_name), str(c.year)),
        )
        for c in public_conferences().order_by("-year", "short_name")
    ]
    post_rows = [
        (Suggestion("post", p.title, p.get_absolute_url(), p.subtitle), words_of(p.title))
        for p in public_posts().only("title", "slug", "subtitle").order_by("-published_at")
    ]
    return {
        "paper": Source(paper_rows),
        "author": Source(author_rows),
        "tag": Source(tag_rows),
        "conference": conference_rows,
        "post": Source(post_rows),
    }


def _papers(source, words):
    """The newest CANDIDATES matches, those whose title starts with the first word first, then
    the shortest titles."""
    found = [source.suggestions[i] for i in source.positions(words)[:CANDIDATES]]
    ranked = sorted(
        found, key=lambda s: (not s.label.casefold().startswith(words[0]), len(s.label))
    )
    return ranked[:PER_SOURCE]


def _starts_each(words, vocabulary):
    return all(any(v.startswith(w) for v in vocabulary) for w in words)


def _conferences(rows, words):
    """By short name (its first word) or full name (every word); a year among several words
    keeps that year's conferences."""
    years = [w for w in words if w.isdigit()] if len(words) > 1 else []
    found = [
        suggestion
        for suggestion, (short, full, year) in rows
        if (_starts_each(words[:1], short) or _starts_each(words, full))
        and (not years or year in years)
    ]
    return found[:PER_SOURCE]
