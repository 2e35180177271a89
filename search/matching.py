"""How a query matches and ranks each result type, and the one ranked page over all of them.

PostgreSQL matches the stored vectors and ranks with ts_rank in one UNION ALL over each type's
newest matches, read by key (a statement whose text depends only on the types it ranks).
SQLite counts and ranks in one statement: each type's FTS5 matches are read once, newest
first, checked against its visible rows and scored by bm25() in that pass (search.fts), and
the same rows give the counts, the outcome counts and the order of every page.
"""

from dataclasses import dataclass

from django.db import connection
from django.db.models import F, Value

from search import fts
from search import text as ts
from search.facets import compiled_sql, facet_counts, outcome_counts
from search.index_papers import CONFIG
from search.results import COUNT_LIMIT, RANK_LIMIT


@dataclass(frozen=True)
class FtsMatch:
    """SQLite: what a kind's matches are read from, its visible and filtered rows (None when
    the query has no word to match)."""

    visible: fts.Visible | None


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
        # SQLite: every kind's ranked candidates, best first ("kind_order:pk,..." of
        # `ranked_kinds`), read by `facet_counts`.
        self.ranked_kinds, self.order = [], ""

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
        return FtsMatch(queryset if self.expression else None)

    def facet_counts(self, matched, *, outcomes=None) -> tuple[dict[str, int], dict[str, int]]:
        """search.facets.facet_counts; on SQLite one statement that also ranks every kind's
        candidates (its most recent RANK_LIMIT matches) for `ranked_page`."""
        if ts.is_postgres():
            return facet_counts(matched, outcomes=outcomes)
        self.ranked_kinds, self.order = list(matched), ""
        counts, ctes, params, ranked = {}, [], [], []
        for order, (key, match) in enumerate(matched.items()):
            part = fts.candidates(
                key, self.expression, visible=match.visible, limit=COUNT_LIMIT + 1
            )
            if part is None:
                counts[key] = 0
                continue
            ctes.append(f"matches_{key} AS MATERIALIZED ({part[0]})")
            params.extend(part[1])
            ranked.append(
                f"SELECT {order} AS kind_order, id, score FROM "
                f"(SELECT id, score FROM matches_{key} ORDER BY id DESC LIMIT {RANK_LIMIT})"
            )
        papers = "matches_paper" if "paper" in matched and "paper" not in counts else None
        if outcomes is not None:
            papers = None
            part = fts.candidates(
                "paper",
                self.expression,
                visible=outcomes.visible,
                limit=COUNT_LIMIT + 1,
                scored=False,
            )
            if part is not None:
                ctes.append(f"outcome_papers AS MATERIALIZED ({part[0]})")
                params.extend(part[1])
                papers = "outcome_papers"
        if not ctes:
            return counts, {}
        counted = [key for key in matched if key not in counts]
        columns = [f"(SELECT COUNT(*) FROM matches_{key})" for key in counted]
        columns.append(_per_outcome(papers) if papers else "NULL")
        columns.append(_best_first(ranked) if ranked else "NULL")
        with connection.cursor() as cursor:
            cursor.execute("WITH " + ", ".join(ctes) + " SELECT " + ", ".join(columns), params)
            *numbers, per_outcome, self.order = cursor.fetchone()
        counts.update(zip(counted, numbers, strict=True))
        return {key: counts[key] for key in matched}, outcome_counts(per_outcome)

    def ranked_page(self, matched, *, counts, fuzzy, offset, limit, recent=None, narrowed=None):
        """[(kind, pk)] of one page over the kinds of `matched`, best first (on SQLite, from
        the order `facet_counts` read).

        A kind with more than RANK_LIMIT matches is ranked among its most recent RANK_LIMIT
        rows (see `_rankable` for PostgreSQL's broad paper matches). On PostgreSQL `recent` is
        search.facets.recent_matches()'s keys, the newest matches of each kind, and `narrowed`
        each kind's rows before matching.
        """
        if not ts.is_postgres():
            return self._fts_page(matched, offset=offset, limit=limit)
        if fuzzy:
            return _union_page(matched, offset=offset, limit=limit)
        parts, params = [], []
        for order, (key, matches) in enumerate(matched.items()):
            sql, part_params = self._rankable(key, matches, recent[key], narrowed=narrowed[key])
            parts.append(f"SELECT {order} AS kind_order, id, rank FROM ({sql}) AS ranked_{key}")
            params.extend(part_params)
        with connection.cursor() as cursor:
            cursor.execute(
                " UNION ALL ".join(parts)
                + " ORDER BY rank DESC, kind_order, id LIMIT %s OFFSET %s",
                [*params, limit, offset],
            )
            rows = cursor.fetchall()
        kinds = list(matched)
        return [(kinds[order], pk) for order, pk, _ in rows]

    def _fts_page(self, matched, *, offset, limit):
        page = []
        for pair in (self.order or "").split(","):
            if len(page) == offset + limit:
                break
            kind_order, _, pk = pair.partition(":")
            if pk and (kind := self.ranked_kinds[int(kind_order)]) in matched:
                page.append((kind, int(pk)))
        return page[offset:]

    def _rankable(self, key, matches, keys, *, narrowed):
        """(sql, params): the id and `rank` of the rows of `keys` (the newest matches, newest
        first); past RANK_LIMIT keys, only the first RANK_LIMIT.

        The keys are one array parameter, so the statement's text is the same for every search
        of a kind and no ORM query is compiled for it; the keys come from `matches`, visibility
        and filters applied, so their rows are read by primary key only.

        A broad paper match adds the papers whose compact title-and-names vector matches
        (found through its own small GIN index) and ranks by that vector: ranking the full
        vectors would decompress every abstract, and a title or name match is what a reader
        wants.
        """
        table = matches.model._meta.db_table
        query = [CONFIG, self.text]
        if key == "paper" and len(keys) > RANK_LIMIT:
            # With no excluded word, a title match is a match (search_vector begins with
            # title_vector): the titles are found without decompressing their full vectors.
            excludes = any(t.exclude for group in self.groups for t in group)
            titled = (matches if excludes else narrowed).filter(
                title_vector=ts.web_query(self.text)
            )
            best = compiled_sql(titled.order_by("-pk").values("pk")[:RANK_LIMIT])
            if best is not None:
                # One IN over a UNION: an OR of two conditions makes PostgreSQL scan every paper.
                sql = _ranked_sql(
                    table, "title_vector", f"IN (SELECT unnest(%s) UNION ({best[0]}))"
                )
                return sql, [*query, keys[:RANK_LIMIT], *best[1]]
        return _ranked_sql(table, "search_vector", "= ANY(%s)"), [*query, keys[:RANK_LIMIT]]


def _ranked_sql(table, vector, keys):
    return (
        f"SELECT id, ts_rank({vector}, websearch_to_tsquery(%s::regconfig, %s)) AS rank "
        f"FROM {table} WHERE id {keys}"
    )


def _union_page(matched, *, offset, limit):
    """[(kind, pk)] of one page over querysets annotated with `rank` (the typo matches)."""
    ranked = [
        qs.annotate(result_kind=Value(k), kind_order=Value(order), obj_id=F("pk"))
        .values_list("result_kind", "obj_id", "rank", "kind_order")
        .order_by()
        for order, (k, qs) in enumerate(matched.items())
    ]
    union = ranked[0].union(*ranked[1:], all=True) if len(ranked) > 1 else ranked[0]
    rows = union.order_by("-rank", "kind_order", "obj_id")[offset : offset + limit]
    return [(k, pk) for k, pk, *_ in rows]


def _per_outcome(papers):
    """SQL: "outcome:n,..." of the candidate papers in the CTE `papers`."""
    return (
        "(SELECT group_concat(outcome || ':' || n, ',') FROM (SELECT paper.outcome, "
        f"COUNT(*) AS n FROM {papers} JOIN papers_paper AS paper ON paper.id = {papers}.id "
        "GROUP BY paper.outcome))"
    )


def _best_first(ranked):
    """SQL: "kind_order:pk,..." of the UNION of `ranked`, best first (the LIMIT keeps SQLite
    from dropping the ORDER BY that group_concat reads its rows in)."""
    return (
        "(SELECT group_concat(kind_order || ':' || id, ',') FROM ("
        + " UNION ALL ".join(ranked)
        + f" ORDER BY score DESC, kind_order, id LIMIT {len(ranked) * RANK_LIMIT}))"
    )
