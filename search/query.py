"""Site search over published posts, entry summaries, papers, keynotes and featured excerpts.

`search()` counts matches per result type (the facets), merges the types into one ranked page
with a UNION, then loads that page's rows with their snippets: a fixed number of queries
whatever the number of results. Each type starts from its reviews.visibility selector, so what
only drafts feature is filtered out in SQL.
"""

import math
from dataclasses import dataclass, field, replace

from django.contrib.postgres.search import SearchRank
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import F, Prefetch, Q, TextField, Value
from django.db.models.functions import Concat
from django.utils.safestring import SafeString

from papers.models import Author, Authorship, Paper
from reviews.visibility import (
    public_entries,
    public_excerpts,
    public_keynotes,
    public_papers,
    public_posts,
)
from search import fts
from search import text as ts

PER_PAGE = 20
# Counting stops here ("10000+"), and a broader match is ranked among its most recent rows
# only: ranking 100,000 matches of a word like "model" reads every vector (over a second on 100,000 papers).
COUNT_LIMIT = 1_000
RANK_LIMIT = 500


@dataclass(frozen=True)
class Result:
    kind: str
    kind_label: str
    title: SafeString
    url: str
    snippet: SafeString
    meta: str


@dataclass(frozen=True)
class Facet:
    key: str
    label: str
    count: int
    selected: bool

    @property
    def capped(self):
        return self.count > COUNT_LIMIT

    @property
    def shown_count(self):
        return f"{COUNT_LIMIT}+" if self.capped else str(self.count)


@dataclass
class SearchResults:
    query: str
    message: str = ""
    results: list[Result] = field(default_factory=list)
    facets: list[Facet] = field(default_factory=list)
    total: int = 0
    page: int = 1
    num_pages: int = 1
    fuzzy: bool = False
    per_page: int = PER_PAGE
    # Papers per outcome among the first COUNT_LIMIT matching papers, whatever the outcome filter.
    outcomes: list[Facet] = field(default_factory=list)

    @property
    def total_all(self):
        return sum(facet.count for facet in self.facets)

    @property
    def shown_total(self):
        return f"{COUNT_LIMIT}+" if any(f.capped for f in self.facets) else str(self.total)

    @property
    def first_index(self):
        return (self.page - 1) * self.per_page + 1

    @property
    def has_previous(self):
        return self.page > 1

    @property
    def has_next(self):
        return self.page < self.num_pages


class Kind:
    key = ""
    label = ""
    fields: list[str] = []  # SQLite: the title first, then the other columns to look in
    typo_fields: list[str] = []  # PostgreSQL: titles and names matched by trigram likeness
    conference_path = "conference"
    tag_paths: list[str] = []
    outcome_path = ""  # kinds with no paper have no outcome: an outcome filter hides them

    def public(self):
        raise NotImplementedError

    def narrowed(self, *, conference=None, year=None, tag=None, outcome=None):
        queryset = self.public()
        if outcome:
            if not self.outcome_path:
                return queryset.none()
            queryset = queryset.filter(**{self.outcome_path: outcome})
        if conference:
            queryset = queryset.filter(**{f"{self.conference_path}__slug": conference})
        if year:
            queryset = queryset.filter(**{f"{self.conference_path}__year": year})
        if tag:
            if not self.tag_paths:
                return queryset.none()
            tagged = Q()
            for path in self.tag_paths:
                tagged |= Q(**{f"{path}__slug": tag})
            queryset = queryset.filter(pk__in=queryset.model.objects.filter(tagged).values("pk"))
        return queryset

    def typo_extra(self, text):
        return None

    def load(self, ids, *, text):
        """Results for `ids` keyed by primary key, with highlighted titles and snippets."""
        queryset = self.with_related(self.public().filter(pk__in=ids))
        if ts.is_postgres():
            queryset = queryset.annotate(headline=ts.headline(self.snippet_source(), text=text))
        results = {}
        for obj in queryset:
            snippet = (
                ts.highlight(obj.headline)
                if ts.is_postgres()
                else ts.mark_terms(self.snippet_text(obj), text=text, length=220)
            )
            results[obj.pk] = Result(
                kind=self.key,
                kind_label=self.label.rstrip("s"),
                title=ts.mark_terms(self.title(obj), text=text),
                url=self.url(obj),
                snippet=snippet,
                meta=self.meta(obj),
            )
        return results


class PaperKind(Kind):
    key, label = "paper", "Papers"
    fields = ["title", "tldr", "abstract", "authorships__author__name"]
    typo_fields = ["title"]
    tag_paths = ["topics"]
    outcome_path = "outcome"

    def public(self):
        return public_papers()

    def typo_extra(self, text):
        authors = Author.objects.filter(name__trigram_word_similar=text)
        return Authorship.objects.filter(author__in=authors).values_list("paper_id", flat=True)

    def with_related(self, queryset):
        authorships = Authorship.objects.select_related("author").order_by("order")
        return queryset.select_related("conference").prefetch_related(
            Prefetch("authorships", queryset=authorships)
        )

    def snippet_source(self):
        return Concat("tldr", Value(" "), "abstract", output_field=TextField())

    def snippet_text(self, paper):
        return f"{paper.tldr} {paper.abstract}"

    def title(self, paper):
        return paper.title

    def url(self, paper):
        return paper.get_absolute_url()

    def meta(self, paper):
        names = ", ".join(a.author.name for a in paper.authorships.all())
        return " · ".join(filter(None, [str(paper.conference or ""), names]))


class PostKind(Kind):
    key, label = "post", "Posts"
    fields = ["title", "subtitle", "author_name", "intro", "conclusion"]
    typo_fields = ["title"]
    tag_paths = ["tags"]

    def public(self):
        return public_posts()

    def with_related(self, queryset):
        return queryset.select_related("conference")

    def snippet_source(self):
        return Concat(
            "subtitle", Value(" "), "intro", Value(" "), "conclusion", output_field=TextField()
        )

    def snippet_text(self, post):
        return f"{post.subtitle} {post.intro} {post.conclusion}"

    def title(self, post):
        return post.title

    def url(self, post):
        return post.get_absolute_url()

    def meta(self, post):
        date = post.published_at.strftime("%-d %B %Y")
        return " · ".join(filter(None, [str(post.conference or ""), post.author_name, date]))


class EntryKind(Kind):
    key, label = "entry", "Entry summaries"
    fields = ["heading", "summary", "paper__title", "keynote__title", "keynote__speaker"]
    conference_path = "section__post__conference"
    tag_paths = ["section__post__tags", "paper__topics"]
    outcome_path = "paper__outcome"

    def public(self):
        return public_entries()

    def with_related(self, queryset):
        return queryset.select_related("section__post", "paper", "keynote")

    def snippet_source(self):
        return F("summary")

    def snippet_text(self, entry):
        return entry.summary

    def title(self, entry):
        return entry.display_heading

    def url(self, entry):
        return entry.section.post.get_absolute_url()

    def meta(self, entry):
        return f"In “{entry.section.post.title}”"

    def load(self, ids, *, text):
        results = super().load(ids, text=text)
        return {pk: _replace(r, kind_label="Entry summary") for pk, r in results.items()}


class KeynoteKind(Kind):
    key, label = "keynote", "Keynotes"
    fields = ["title", "speaker", "affiliation", "summary"]
    typo_fields = ["title", "speaker"]

    def public(self):
        return public_keynotes()

    def with_related(self, queryset):
        return queryset.select_related("conference")

    def snippet_source(self):
        return F("summary")

    def snippet_text(self, keynote):
        return keynote.summary

    def title(self, keynote):
        return keynote.title

    def url(self, keynote):
        return keynote.get_absolute_url()

    def meta(self, keynote):
        speaker = f"{keynote.speaker} ({keynote.affiliation})" if keynote.affiliation else ""
        return " · ".join(filter(None, [speaker or keynote.speaker, str(keynote.conference)]))


class ReviewKind(Kind):
    key, label = "review", "Review excerpts"
    fields = ["text", "paper__title"]
    conference_path = "paper__conference"
    tag_paths = ["paper__topics"]
    outcome_path = "paper__outcome"

    def public(self):
        return public_excerpts()

    def with_related(self, queryset):
        return queryset.select_related("paper__conference")

    def snippet_source(self):
        return F("text")

    def snippet_text(self, excerpt):
        return excerpt.text

    def title(self, excerpt):
        return f"Review of “{excerpt.paper.title}”"

    def url(self, excerpt):
        return excerpt.paper.get_absolute_url()

    def meta(self, excerpt):
        label = excerpt.reviewer_label or excerpt.get_source_kind_display()
        return " · ".join(filter(None, [label, str(excerpt.paper.conference or "")]))

    def load(self, ids, *, text):
        results = super().load(ids, text=text)
        return {pk: _replace(r, kind_label="Review excerpt") for pk, r in results.items()}


def _replace(result, **changes):
    return replace(result, **changes)


# The order breaks ties in rank: a paper or a keynote before the entry that presents it.
KINDS = {
    kind.key: kind for kind in (PaperKind(), PostKind(), KeynoteKind(), EntryKind(), ReviewKind())
}


def search(
    *,
    query: str | None,
    kind: str | None = None,
    conference: str | None = None,
    year: int | None = None,
    tag: str | None = None,
    outcome: str | None = None,
    page: int = 1,
    per_page: int = PER_PAGE,
) -> SearchResults:
    """One ranked page of public results for `query`, with counts per result type."""
    cleaned = ts.clean_query(query)
    results = SearchResults(query=cleaned.text, message=cleaned.message, per_page=per_page)
    if not cleaned:
        results.facets = [Facet(k, v.label, 0, k == kind) for k, v in KINDS.items()]
        return results
    return _search(
        results,
        kind=kind,
        filters={"conference": conference, "year": year, "tag": tag, "outcome": outcome},
        page=page,
    )


def _search(results, *, kind, filters, page):
    text, per_page = results.query, results.per_page
    narrowed = {k: v.narrowed(**filters) for k, v in KINDS.items()}
    matcher = Matcher(text)
    matched = {k: matcher.matches(k, qs) for k, qs in narrowed.items()}

    def outcome_papers():
        return matcher.matches("paper", KINDS["paper"].narrowed(**{**filters, "outcome": None}))

    counts, per_outcome = facet_counts(matched, outcomes=outcome_papers())
    if not any(counts.values()) and not _uses_syntax(text):
        if ts.is_postgres():
            matched = {
                k: ts.similar(
                    qs, text=text, fields=KINDS[k].typo_fields, extra=KINDS[k].typo_extra(text)
                )
                for k, qs in narrowed.items()
                if KINDS[k].typo_fields
            }
            counts = {k: matched[k].count() if k in matched else 0 for k in KINDS}
        elif matcher.allow_typos():
            matched = {k: matcher.matches(k, qs) for k, qs in narrowed.items()}
            counts, per_outcome = facet_counts(matched, outcomes=outcome_papers())
        results.fuzzy = any(counts.values())
    results.facets = [Facet(k, v.label, counts[k], k == kind) for k, v in KINDS.items()]
    results.outcomes = [
        Facet(value, label, per_outcome.get(value, 0), value == filters["outcome"])
        for value, label in Paper.Outcome.choices
        if per_outcome.get(value) or value == filters["outcome"]
    ]
    shown = [k for k in KINDS if counts[k] and (kind is None or k == kind)]
    results.total = sum(counts[k] for k in shown)
    if not results.total:
        results.message = results.message or _no_results_message(text, filters)
        return results
    if not (results.fuzzy and ts.is_postgres()):
        matched = {k: matcher.rankable(k, matched[k], narrowed[k], counts[k]) for k in shown}
        if any(counts[k] > RANK_LIMIT for k in shown):
            results.message = results.message or (
                f"“{text}” matches more than {RANK_LIMIT} results of a type: those are ranked "
                f"among their {RANK_LIMIT} most recent, titles and names first. "
                "Add a word or a filter to narrow it."
            )
    reachable = sum(min(counts[k], RANK_LIMIT) for k in shown)
    results.num_pages = math.ceil(reachable / per_page)
    results.page = min(max(page, 1), results.num_pages)
    offset = (results.page - 1) * per_page
    ranked = [
        matched[k]
        .annotate(result_kind=Value(k), kind_order=Value(order), obj_id=F("pk"))
        .values_list("result_kind", "obj_id", "rank", "kind_order")
        .order_by()
        for order, k in enumerate(shown)
    ]
    union = ranked[0].union(*ranked[1:], all=True) if len(ranked) > 1 else ranked[0]
    rows = list(union.order_by("-rank", "kind_order", "obj_id")[offset : offset + per_page])
    loaded = {}
    for k in shown:
        ids = [pk for row_kind, pk, *_ in rows if row_kind == k]
        if ids:
            loaded[k] = KINDS[k].load(ids, text=matcher.highlight_text)
    results.results = [loaded[k][pk] for k, pk, *_ in rows if pk in loaded.get(k, {})]
    return results


class Matcher:
    """How `text` matches and ranks each kind: stored vectors on PostgreSQL, FTS5 on SQLite.

    On SQLite, `allow_typos()` widens each word to the indexed words one or two edits away, for
    a second try when nothing matched.
    """

    def __init__(self, text):
        self.text = text
        self.highlight_text = text
        self.groups = ts.parse_query(text)
        self.expression = "" if ts.is_postgres() else fts.match_expression(self.groups)

    def allow_typos(self) -> bool:
        words = [t.text for g in self.groups for t in g if not t.exclude and " " not in t.text]
        variants = fts.typo_variants(words)
        if not variants:
            return False
        self.expression = fts.match_expression(self.groups, variants)
        self.highlight_text = " ".join([self.text, *(w for ws in variants.values() for w in ws)])
        return True

    def matches(self, key, queryset):
        if ts.is_postgres():
            return queryset.filter(search_vector=ts.web_query(self.text))
        if not self.expression:
            return queryset.none()
        return queryset.filter(pk__in=fts.matching_ids(key, self.expression))

    def rank(self, key, model, *, compact=False):
        if ts.is_postgres():
            vector = "title_vector" if compact else "search_vector"
            return SearchRank(F(vector), ts.web_query(self.text))
        column = f'"{model._meta.db_table}"."{model._meta.pk.column}"'
        return fts.rank(key, self.expression, column=column)

    def rankable(self, key, matches, narrowed, count):
        """`matches` annotated with `rank`; past RANK_LIMIT, only a ranked subset of them.

        A broad match is ranked among its most recent RANK_LIMIT rows. On PostgreSQL a broad
        paper match adds the papers whose compact title-and-names vector matches (found
        through its own small GIN index) and ranks by that vector: ranking the full vectors
        would decompress every abstract, and a title or name match is what a reader wants.
        """
        model = matches.model
        if count <= RANK_LIMIT:
            return matches.annotate(rank=self.rank(key, model))
        recent = matches.order_by("-pk").values("pk")[:RANK_LIMIT]
        if key == "paper" and ts.is_postgres():
            titled = matches.filter(title_vector=ts.web_query(self.text))
            best = titled.order_by("-pk").values("pk")[:RANK_LIMIT]
            return narrowed.filter(Q(pk__in=best) | Q(pk__in=recent)).annotate(
                rank=self.rank(key, model, compact=True)
            )
        return narrowed.filter(pk__in=recent).annotate(rank=self.rank(key, model))


def facet_counts(matched, *, outcomes=None) -> tuple[dict[str, int], dict[str, int]]:
    """Matches per kind, each capped at COUNT_LIMIT + 1, and per paper outcome among the
    first COUNT_LIMIT + 1 matching papers of `outcomes`, all in one statement."""
    counts, parts, params = {}, [], []
    for key, queryset in matched.items():
        compiled = _compiled(queryset.order_by().values("pk")[: COUNT_LIMIT + 1])
        if compiled is None:
            counts[key] = 0
            continue
        parts.append((key, f"(SELECT COUNT(*) FROM ({compiled[0]}) AS matches)"))
        params.extend(compiled[1])
    compiled = None
    if outcomes is not None:
        compiled = _compiled(outcomes.order_by().values("outcome")[: COUNT_LIMIT + 1])
    if compiled is not None:
        concat = "string_agg" if ts.is_postgres() else "group_concat"
        parts.append(
            (
                "outcomes",
                f"(SELECT {concat}(outcome || ':' || n, ',') FROM (SELECT outcome, COUNT(*) AS n "
                f"FROM ({compiled[0]}) AS matches GROUP BY outcome) AS per_outcome)",
            )
        )
        params.extend(compiled[1])
    if parts:
        with connection.cursor() as cursor:
            cursor.execute("SELECT " + ", ".join(sql for _, sql in parts), params)
            counts.update(zip((key for key, _ in parts), cursor.fetchone(), strict=True))
    per_outcome = {}
    for pair in (counts.pop("outcomes", None) or "").split(","):
        if pair:
            value, _, n = pair.rpartition(":")
            per_outcome[value] = int(n)
    return {key: counts[key] for key in matched}, per_outcome


def _compiled(queryset):
    try:
        return queryset.query.sql_with_params()
    except EmptyResultSet:
        return None


def _uses_syntax(text):
    return (
        '"' in text or " or " in f" {text.lower()} " or any(w.startswith("-") for w in text.split())
    )


def _no_results_message(text, filters):
    if any(filters.values()):
        return f"Nothing matches “{text}” with these filters; try removing a filter."
    return f"Nothing matches “{text}”. Check the spelling or try fewer words."
