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
from search.results import COUNT_LIMIT, RANK_LIMIT


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
        ids = fts.matching_ids(key, self.expression, visible=queryset, limit=COUNT_LIMIT + 1)
        if ids is None:
            return queryset.none()
        return queryset.model._default_manager.filter(pk__in=ids)

    def ranked_page(self, matched, *, among, counts, fuzzy, offset, limit):
        """[(kind, pk)] of one page over the kinds of `matched`, best first; `among` holds the
        visible, filtered rows each kind was matched in (SQLite ranks in the pass that matches).

        A kind with more than RANK_LIMIT matches is ranked among its most recent RANK_LIMIT
        rows (see `_rankable` for PostgreSQL's broad paper matches).
        """
        if not ts.is_postgres():
            return self._fts_page(among, offset=offset, limit=limit)
        if not fuzzy:
            matched = {k: self._rankable(k, qs, counts[k]) for k, qs in matched.items()}
        ranked = [
            qs.annotate(result_kind=Value(k), kind_order=Value(order), obj_id=F("pk"))
            .values_list("result_kind", "obj_id", "rank", "kind_order")
            .order_by()
            for order, (k, qs) in enumerate(matched.items())
        ]
        union = ranked[0].union(*ranked[1:], all=True) if len(ranked) > 1 else ranked[0]
        rows = union.order_by("-rank", "kind_order", "obj_id")[offset : offset + limit]
        return [(k, pk) for k, pk, *_ in rows]

    def _fts_page(self, among, *, offset, limit):
        parts, params = [], []
        for order, (key, visible) in enumerate(among.items()):
            part = fts.ranked(key, self.expression, visible=visible, order=order, limit=RANK_LIMIT)
            if part is not None:
                parts.append(part[0])
                params.extend(part[1])
        if not parts:
            return []
        with connection.cursor() as cursor:
            cursor.execute(
                " UNION ALL ".join(parts)
                + " ORDER BY score DESC, kind_order, obj_id LIMIT %s OFFSET %s",
                [*params, limit, offset],
            )
            return [(key, pk) for key, pk, *_ in cursor.fetchall()]

    def _rankable(self, key, matches, count):
        """`matches` annotated with `rank`; past RANK_LIMIT, only a ranked subset of them.

        A broad paper match adds the papers whose compact title-and-names vector matches
        (found through its own small GIN index) and ranks by that vector: ranking the full
        vectors would decompress every abstract, and a title or name match is what a reader
        wants.
        """
        query = ts.web_query(self.text)
        if count <= RANK_LIMIT:
            return matches.annotate(rank=SearchRank(F("search_vector"), query))
        # Both subsets come from `matches`, visibility and filters applied: the outer query
        # only reads their rows by primary key, without checking visibility a second time.
        rows = matches.model._default_manager
        recent = matches.order_by("-pk").values("pk")[:RANK_LIMIT]
        if key == "paper":
            titled = matches.filter(title_vector=query)
            best = titled.order_by("-pk").values("pk")[:RANK_LIMIT]
            # One IN over a UNION: an OR of two INs makes PostgreSQL scan every paper.
            return rows.filter(pk__in=best.union(recent)).annotate(
                rank=SearchRank(F("title_vector"), query)
            )
        return rows.filter(pk__in=recent).annotate(rank=SearchRank(F("search_vector"), query))
