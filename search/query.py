"""Site search over published posts, entry summaries, papers, keynotes and featured excerpts.

`search()` counts matches per result type (the facets, search.facets), ranks one page over
every type (search.matching), then loads that page's rows with their snippets (search.kinds):
a fixed number of queries whatever the number of results. Each type starts from its
reviews.visibility selector, so what only drafts feature is filtered out in SQL.
"""

import math

from papers.models import Paper
from search import text as ts
from search.facets import facet_counts, recent_matches
from search.kinds import KINDS
from search.matching import Matcher
from search.results import COUNT_LIMIT, PER_PAGE, RANK_LIMIT, Facet, SearchResults

__all__ = ["COUNT_LIMIT", "KINDS", "PER_PAGE", "RANK_LIMIT", "search"]


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
        """The matching papers whatever the outcome filter; None when there is none."""
        if not filters["outcome"]:
            return None
        return matcher.matches("paper", KINDS["paper"].narrowed(**{**filters, "outcome": None}))

    recent = None
    if ts.is_postgres():
        counts, per_outcome, recent = recent_matches(matched, outcomes=outcome_papers())
    else:
        counts, per_outcome = matcher.facet_counts(matched, outcomes=outcome_papers())
    if not any(counts.values()) and not _uses_syntax(text):
        if ts.is_postgres():
            matched = {
                k: ts.similar(
                    qs, text=text, fields=KINDS[k].typo_fields, extra=KINDS[k].typo_extra(text)
                )
                for k, qs in narrowed.items()
                if KINDS[k].typo_fields
            }
            # Each kind's likeness candidates stop at FUZZY_LIMIT per field, below COUNT_LIMIT.
            counts = dict.fromkeys(KINDS, 0) | facet_counts(matched)[0]
        elif matcher.allow_typos():
            matched = {k: matcher.matches(k, qs) for k, qs in narrowed.items()}
            counts, per_outcome = matcher.facet_counts(matched, outcomes=outcome_papers())
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
    if not (results.fuzzy and ts.is_postgres()) and any(counts[k] > RANK_LIMIT for k in shown):
        results.message = results.message or (
            f"“{text}” matches more than {RANK_LIMIT} results of a type: those are ranked "
            f"among their {RANK_LIMIT} most recent, titles and names first. "
            "Add a word or a filter to narrow it."
        )
    reachable = sum(min(counts[k], RANK_LIMIT) for k in shown)
    results.num_pages = math.ceil(reachable / per_page)
    results.page = min(max(page, 1), results.num_pages)
    rows = matcher.ranked_page(
        {k: matched[k] for k in shown},
        counts=counts,
        recent=recent,
        narrowed=narrowed,
        fuzzy=results.fuzzy,
        offset=(results.page - 1) * per_page,
        limit=per_page,
    )
    loaded = {}
    for k in shown:
        ids = [pk for row_kind, pk in rows if row_kind == k]
        if ids:
            loaded[k] = KINDS[k].load(ids, text=matcher.highlight_text)
    results.results = [loaded[k][pk] for k, pk in rows if pk in loaded.get(k, {})]
    return results


def _uses_syntax(text):
    return (
        '"' in text or " or " in f" {text.lower()} " or any(w.startswith("-") for w in text.split())
    )


def _no_results_message(text, filters):
    if any(filters.values()):
        return f"Nothing matches “{text}” with these filters; try removing a filter."
    return f"Nothing matches “{text}”. Check the spelling or try fewer words."
