"""How a query matches and ranks each result type, and the one ranked page over all of them.

PostgreSQL matches the stored vectors and ranks with ts_rank in a UNION of ORM querysets.
SQLite matches its FTS5 tables and ranks with bm25() in the same pass that matches, one
statement over every type: the FTS table is the driving cursor, so a rank is never looked up
per row.
"""

from django.contrib.postgres.search import SearchRank
from django.db import connection
from django.db.models import F, Value

from search import fts
from search import text as ts
from search.facets import compiled_sql
from search.results import RANK_LIMIT


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

    def ranked_page(self, matched, *, counts, fuzzy, offset, limit, recent=None, narrowed=None):
        """[(kind, pk)] of one page over the kinds of `matched`, best first.

        A kind with more than RANK_LIMIT matches is ranked among its most recent RANK_LIMIT
        rows (see `_rankable` for PostgreSQL's broad paper matches). On PostgreSQL `recent` is
        search.facets.recent_matches()'s keys, the newest matches of each kind, and `narrowed`
        each kind's rows before matching.
        """
        if not ts.is_postgres():
            return self._fts_page(matched, counts=counts, offset=offset, limit=limit)
        if not fuzzy:
            matched = {
                k: self._rankable(k, qs, recent[k], narrowed=narrowed[k])
                for k, qs in matched.items()
            }
        ranked = [
            qs.annotate(result_kind=Value(k), kind_order=Value(order), obj_id=F("pk"))
            .values_list("result_kind", "obj_id", "rank", "kind_order")
            .order_by()
            for order, (k, qs) in enumerate(matched.items())
        ]
        union = ranked[0].union(*ranked[1:], all=True) if len(ranked) > 1 else ranked[0]
        rows = union.order_by("-rank", "kind_order", "obj_id")[offset : offset + limit]
        return [(k, pk) for k, pk, *_ in rows]

    def _fts_page(self, matched, *, counts, offset, limit):
        parts, params = [], []
        for order, (key, queryset) in enumerate(matched.items()):
            candidates = queryset.order_by().values("pk")
            if counts[key] > RANK_LIMIT:
                candidates = queryset.order_by("-pk").values("pk")[:RANK_LIMIT]
            compiled = compiled_sql(candidates)
            if compiled is None:
                continue
            parts.append(fts.ranked(key, order=order, candidates=compiled[0]))
            params.extend([key, self.expression, *compiled[1]])
        if not parts:
            return []
        with connection.cursor() as cursor:
            cursor.execute(
                " UNION ALL ".join(parts)
                + " ORDER BY score DESC, kind_order, obj_id LIMIT %s OFFSET %s",
                [*params, limit, offset],
            )
            return [(key, pk) for key, pk, *_ in cursor.fetchall()]

    def _rankable(self, key, matches, keys, *, narrowed):
        """The rows of `keys` (the newest matches, newest first) annotated with `rank`; past
        RANK_LIMIT keys, only the first RANK_LIMIT.

        A broad paper match adds the papers whose compact title-and-names vector matches
        (found through its own small GIN index) and ranks by that vector: ranking the full
        vectors would decompress every abstract, and a title or name match is what a reader
        wants.
        """
        query = ts.web_query(self.text)
        # The keys and `titled` come from `matches`, visibility and filters applied: the outer
        # query only reads their rows by primary key, without checking visibility a second time.
        rows = matches.model._default_manager
        if key == "paper" and len(keys) > RANK_LIMIT:
            # With no excluded word, a title match is a match (search_vector begins with
            # title_vector): the titles are found without decompressing their full vectors.
            excludes = any(t.exclude for group in self.groups for t in group)
            titled = (matches if excludes else narrowed).filter(title_vector=query)
            best = titled.order_by("-pk").values("pk")[:RANK_LIMIT]
            recent = rows.filter(pk__in=keys[:RANK_LIMIT]).order_by().values("pk")
            # One IN over a UNION: an OR of two INs makes PostgreSQL scan every paper.
            return rows.filter(pk__in=best.union(recent)).annotate(
                rank=SearchRank(F("title_vector"), query)
            )
        return rows.filter(pk__in=keys[:RANK_LIMIT]).annotate(
            rank=SearchRank(F("search_vector"), query)
        )
