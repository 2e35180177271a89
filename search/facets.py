"""Facet counts: matches per result type and per paper outcome, in one statement."""

from collections import Counter

from django.core.exceptions import EmptyResultSet
from django.db import connection

from search import text as ts
from search.results import COUNT_LIMIT


def facet_counts(matched, *, outcomes=None) -> tuple[dict[str, int], dict[str, int]]:
    """Matches per kind, each capped at COUNT_LIMIT + 1, and per paper outcome among the
    first COUNT_LIMIT + 1 matching papers of `outcomes`, all in one statement.

    With no `outcomes`, the matching papers are counted per outcome and their count is the
    sum: one scan of the papers instead of two.
    """
    counts, parts, params = {}, [], []
    papers_by_outcome = outcomes is None and "paper" in matched
    if papers_by_outcome:
        outcomes = matched["paper"]
    for key, queryset in matched.items():
        if papers_by_outcome and key == "paper":
            continue
        compiled = compiled_sql(queryset.order_by().values("pk")[: COUNT_LIMIT + 1])
        if compiled is None:
            counts[key] = 0
            continue
        parts.append((key, f"(SELECT COUNT(*) FROM ({compiled[0]}) AS matches)"))
        params.extend(compiled[1])
    compiled = None
    if outcomes is not None:
        compiled = compiled_sql(outcomes.order_by().values("outcome")[: COUNT_LIMIT + 1])
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
    per_outcome = outcome_counts(counts.pop("outcomes", None))
    if papers_by_outcome:
        counts["paper"] = sum(per_outcome.values())
    return {key: counts[key] for key in matched}, per_outcome


def outcome_counts(concatenated: str | None) -> dict[str, int]:
    """{outcome: papers} from the statement's "outcome:n,outcome:n" column."""
    per_outcome = {}
    for pair in (concatenated or "").split(","):
        if pair:
            value, _, n = pair.rpartition(":")
            per_outcome[value] = int(n)
    return per_outcome


def recent_matches(matched, *, outcomes=None):
    """PostgreSQL: (counts, per_outcome, keys) as facet_counts() has them, with `keys` the
    primary keys of each kind's COUNT_LIMIT + 1 most recent matches, newest first.

    One scan per kind serves the count and the ranked page's candidates (its first RANK_LIMIT
    keys, search.matching), which then reads rows by primary key instead of matching again.
    Each scan is a MATERIALIZED CTE, so it runs once whatever reads it.
    """
    ctes, columns, params, read = [], [], [], []
    papers_by_outcome = outcomes is None and "paper" in matched
    for index, (key, queryset) in enumerate(matched.items()):
        fields = ("pk", "outcome") if papers_by_outcome and key == "paper" else ("pk",)
        compiled = compiled_sql(queryset.order_by("-pk").values(*fields)[: COUNT_LIMIT + 1])
        if compiled is None:
            continue
        ctes.append(f"m{index} AS MATERIALIZED ({compiled[0]})")
        params.extend(compiled[1])
        columns.append(f"(SELECT array_agg(pk ORDER BY pk DESC) FROM m{index})")
        read.append(key)
        if len(fields) == 2:
            columns.append(f"(SELECT array_agg(outcome) FROM m{index})")
            read.append("outcomes")
    if outcomes is not None:
        compiled = compiled_sql(outcomes.order_by().values("outcome")[: COUNT_LIMIT + 1])
        if compiled is not None:
            ctes.append(f"outcomes AS MATERIALIZED ({compiled[0]})")
            params.extend(compiled[1])
            columns.append("(SELECT array_agg(outcome) FROM outcomes)")
            read.append("outcomes")
    found = {}
    if columns:
        with connection.cursor() as cursor:
            cursor.execute(f"WITH {', '.join(ctes)} SELECT {', '.join(columns)}", params)
            found = dict(zip(read, cursor.fetchone(), strict=True))
    keys = {key: found.get(key) or [] for key in matched}
    per_outcome = dict(Counter(found.get("outcomes") or []))
    return {key: len(pks) for key, pks in keys.items()}, per_outcome, keys


def compiled_sql(queryset):
    """(sql, params) of `queryset`, or None when it can match nothing."""
    try:
        return queryset.query.sql_with_params()
    except EmptyResultSet:
        return None
