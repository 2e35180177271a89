"""Site search over published posts, entry summaries, papers, keynotes and featured excerpts.

`search()` counts matches per result type (the facets), merges the types into one ranked page
with a UNION, then loads that page's rows with their snippets: a fixed number of queries
whatever the number of results. Each type starts from its reviews.visibility selector, so what
only drafts feature is filtered out in SQL.
"""

import math
from dataclasses import dataclass, field, replace

from django.db.models import F, Prefetch, Q, TextField, Value
from django.db.models.functions import Concat
from django.utils.safestring import SafeString

from papers.models import Author, Authorship
from reviews.visibility import (
    public_entries,
    public_excerpts,
    public_keynotes,
    public_papers,
    public_posts,
)
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

    def public(self):
        raise NotImplementedError

    def narrowed(self, *, conference, year, tag):
        queryset = self.public()
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
    page: int = 1,
    per_page: int = PER_PAGE,
) -> SearchResults:
    """One ranked page of public results for `query`, with counts per result type."""
    cleaned = ts.clean_query(query)
    results = SearchResults(query=cleaned.text, message=cleaned.message, per_page=per_page)
    if not cleaned:
        results.facets = [Facet(k, v.label, 0, k == kind) for k, v in KINDS.items()]
        return results
    text = cleaned.text
    narrowed = {k: v.narrowed(conference=conference, year=year, tag=tag) for k, v in KINDS.items()}
    matched = {k: ts.matches(qs, text=text, fields=KINDS[k].fields) for k, qs in narrowed.items()}
    counts = {k: qs.order_by().values("pk")[: COUNT_LIMIT + 1].count() for k, qs in matched.items()}
    if not any(counts.values()) and ts.is_postgres() and not _uses_syntax(text):
        matched = {
            k: ts.similar(
                qs, text=text, fields=KINDS[k].typo_fields, extra=KINDS[k].typo_extra(text)
            )
            for k, qs in narrowed.items()
            if KINDS[k].typo_fields
        }
        counts = {k: matched[k].count() if k in matched else 0 for k in KINDS}
        results.fuzzy = any(counts.values())
    results.facets = [Facet(k, v.label, counts[k], k == kind) for k, v in KINDS.items()]
    shown = [k for k in KINDS if counts[k] and (kind is None or k == kind)]
    results.total = sum(counts[k] for k in shown)
    if not results.total:
        results.message = results.message or _no_results_message(
            cleaned.text, conference, year, tag
        )
        return results
    if not results.fuzzy:
        matched = {k: _rankable(k, matched[k], narrowed[k], counts[k], text) for k in shown}
        if any(counts[k] > RANK_LIMIT for k in shown):
            results.message = results.message or (
                f"“{text}” matches more than {RANK_LIMIT} results of a type: those are ranked "
                f"among their {RANK_LIMIT} most recent. Add a word or a filter to narrow it."
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
            loaded[k] = KINDS[k].load(ids, text=text)
    results.results = [loaded[k][pk] for k, pk, *_ in rows if pk in loaded.get(k, {})]
    return results


def _rankable(key, matches, narrowed, count, text):
    fields = KINDS[key].fields
    if count > RANK_LIMIT:
        recent = matches.order_by("-pk").values("pk")[:RANK_LIMIT]
        return narrowed.filter(pk__in=recent).annotate(rank=ts.rank(text, fields=fields))
    return matches.annotate(rank=ts.rank(text, fields=fields))


def _uses_syntax(text):
    return (
        '"' in text or " or " in f" {text.lower()} " or any(w.startswith("-") for w in text.split())
    )


def _no_results_message(text, conference, year, tag):
    if conference or year or tag:
        return f"Nothing matches “{text}” with these filters; try removing a filter."
    return f"Nothing matches “{text}”. Check the spelling or try fewer words."
