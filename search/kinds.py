"""The result types of the site search: where each starts (its reviews.visibility selector),
how the filters reach it, and how a page of its rows is loaded with titles and snippets."""

import functools
from types import SimpleNamespace

from django.contrib.postgres.expressions import ArraySubquery
from django.core.signals import setting_changed
from django.db.models import BooleanField, F, Func, Q, TextField, Value
from django.db.models.functions import Concat
from django.urls import get_script_prefix

from papers.models import Author, Authorship, Conference, Paper, PeerReviewExcerpt, TaggedPaper
from reviews.models import Entry, Keynote, Post, TaggedPost
from reviews.visibility import (
    public_entries,
    public_excerpts,
    public_keynotes,
    public_papers,
    public_posts,
)
from search import fts
from search import text as ts
from search.results import Result


class Kind:
    key = ""
    label = ""
    result_label = ""  # one result's label
    model = None
    # The values a result is built from (`title`, `meta` and `snippet_text` read them).
    columns: tuple[str, ...] = ()
    # Its address: (the model whose get_absolute_url() it is, that URL's field, its column).
    address: tuple = ()
    fields: list[str] = []  # SQLite: the title first, then the other columns to look in
    typo_fields: list[str] = []  # PostgreSQL: titles and names matched by trigram likeness
    conference_path = "conference"
    # Where the tags of a row are: {path to a post or paper: its through model}.
    tag_paths: dict[str, type] = {}
    outcome_path = ""  # kinds with no paper have no outcome: an outcome filter hides them

    def public(self):
        raise NotImplementedError

    def narrowed(self, *, conference=None, year=None, tag=None, outcome=None):
        """The visible rows that pass the filters: a queryset on PostgreSQL; on SQLite a
        search.fts.Visible, which the search statement compiles once per kind and filters."""
        filters = {"conference": conference, "year": year, "tag": tag, "outcome": outcome}
        if fts.enabled():
            return fts.Visible(
                self.key, (self.key, *filters.values()), lambda: self._narrowed(**filters)
            )
        return self._narrowed(**filters)

    def _narrowed(self, *, conference, year, tag, outcome):
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
            # Keys of the tagged posts or papers, read from the through table: PostgreSQL
            # hashes them once, where a join through the tags was probed per matching row.
            tagged = Q()
            for path, through in self.tag_paths.items():
                keys = through.objects.filter(tag__slug=tag).values("content_object_id")
                single = ts.is_postgres() and len(self.tag_paths) == 1
                tagged |= _any_of(path, keys) if single else Q(**{f"{path}__in": keys})
            queryset = queryset.filter(tagged)
        return queryset

    def typo_extra(self, text):
        return None

    def load(self, ids, *, text):
        """Results for `ids` keyed by primary key, with highlighted titles and snippets.

        The ids come from the ranked statement, which read them from the visible rows. SQLite
        reads the page's `columns` with SQL compiled once per process (search.fts.rows_by_key);
        PostgreSQL checks visibility again and snippets with ts_headline.
        """
        marker = ts.TermMarker(text)
        if ts.is_postgres():
            rows = self.public().filter(pk__in=ids)
            headline = ts.headline(self.snippet_source(), text=text)
            rows = list(rows.values(*self.columns, headline=headline))
        else:
            rows = fts.rows_by_key(self.model, self.columns, ids)
        names = self.names(ids)
        url = _addresses(*self.address)
        results = {}
        for row in rows:
            row["names"] = names.get(row["pk"], [])
            snippet = (
                ts.highlight(row["headline"])
                if "headline" in row
                else marker(self.snippet_text(row), length=220)
            )
            results[row["pk"]] = Result(
                kind=self.key,
                kind_label=self.result_label,
                title=marker(self.title(row)),
                url=url(row),
                snippet=snippet,
                meta=self.meta(row),
            )
        return results

    def names(self, ids):
        """{pk: names} of the rows of `ids`, in their order (a paper's authors)."""
        return {}


def _addresses(model, field, column):
    """The address of a row, from one reverse() per process and script prefix: `model`'s
    get_absolute_url() with a stand-in `field`, the row's value put in its place (model
    instances and a reverse() per row were a third of a results page's time, one per page
    still a tenth of its rows' loading)."""
    stand_in = str(ADDRESS_STAND_INS[field])
    template = _address_template(model, field, get_script_prefix())
    return lambda row: template.replace(stand_in, str(row[column]))


@functools.cache
def _address_template(model, field, prefix):
    return model(**{field: ADDRESS_STAND_INS[field]}).get_absolute_url()


def _forget_addresses(*, setting, **kwargs):
    if setting == "ROOT_URLCONF":
        _address_template.cache_clear()


setting_changed.connect(_forget_addresses, dispatch_uid="search-result-addresses")


# Values no real address holds, that the URL patterns take (a slug, a primary key).
ADDRESS_STAND_INS = {"slug": "search-result-address", "pk": 9876543210}


def _conference(row, prefix="conference__"):
    """A conference's name (Conference.__str__) from its columns in `row`, "" without one."""
    if row[f"{prefix}year"] is None:
        return ""
    return Conference.__str__(
        SimpleNamespace(short_name=row[f"{prefix}short_name"], year=row[f"{prefix}year"])
    )


CONFERENCE = ("conference__short_name", "conference__year")


class PaperKind(Kind):
    key, label, result_label = "paper", "Papers", "Paper"
    fields = ["title", "tldr", "abstract", "authorships__author__name"]
    typo_fields = ["title"]
    tag_paths = {"pk": TaggedPaper}
    outcome_path = "outcome"
    columns = ("pk", "title", "slug", "tldr", "abstract", *CONFERENCE)
    address = (Paper, "slug", "slug")

    model = Paper

    def public(self):
        return public_papers()

    def typo_extra(self, text):
        authors = Author.objects.filter(name__trigram_word_similar=text)
        return Authorship.objects.filter(author__in=authors).values_list("paper_id", flat=True)

    def names(self, ids):
        names = {}
        columns = ("paper_id", "author__name")
        if ts.is_postgres():
            authorships = Authorship.objects.filter(paper__in=ids).order_by("order")
            rows = authorships.values(*columns)
        else:
            rows = fts.rows_by_key(Authorship, columns, ids, key="paper", order=("order",))
        for row in rows:
            names.setdefault(row["paper_id"], []).append(row["author__name"])
        return names

    def snippet_source(self):
        return Concat("tldr", Value(" "), "abstract", output_field=TextField())

    def snippet_text(self, row):
        return f"{row['tldr']} {row['abstract']}"

    def title(self, row):
        return row["title"]

    def meta(self, row):
        return " · ".join(filter(None, [_conference(row), ", ".join(row["names"])]))


class PostKind(Kind):
    key, label, result_label = "post", "Posts", "Post"
    fields = ["title", "subtitle", "author_name", "intro", "conclusion"]
    typo_fields = ["title"]
    tag_paths = {"pk": TaggedPost}
    columns = (
        *("pk", "title", "slug", "subtitle", "intro", "conclusion", "author_name"),
        *("published_at", *CONFERENCE),
    )
    address = (Post, "slug", "slug")

    model = Post

    def public(self):
        return public_posts()

    def snippet_source(self):
        return Concat(
            "subtitle", Value(" "), "intro", Value(" "), "conclusion", output_field=TextField()
        )

    def snippet_text(self, row):
        return f"{row['subtitle']} {row['intro']} {row['conclusion']}"

    def title(self, row):
        return row["title"]

    def meta(self, row):
        date = row["published_at"].strftime("%-d %B %Y")
        return " · ".join(filter(None, [_conference(row), row["author_name"], date]))


class EntryKind(Kind):
    key, label, result_label = "entry", "Entry summaries", "Entry summary"
    fields = ["heading", "summary", "paper__title", "keynote__title", "keynote__speaker"]
    conference_path = "section__post__conference"
    tag_paths = {"section__post": TaggedPost, "paper": TaggedPaper}
    outcome_path = "paper__outcome"
    columns = (
        *("pk", "heading", "summary", "paper_id", "paper__title", "keynote_id"),
        *("keynote__title", "keynote__speaker", "section__post__slug", "section__post__title"),
    )
    address = (Post, "slug", "section__post__slug")

    model = Entry

    def public(self):
        return public_entries()

    def snippet_source(self):
        return F("summary")

    def snippet_text(self, row):
        return row["summary"]

    def title(self, row):
        paper = SimpleNamespace(title=row["paper__title"])
        keynote = SimpleNamespace(title=row["keynote__title"], speaker=row["keynote__speaker"])
        entry = SimpleNamespace(
            heading=row["heading"],
            paper_id=row["paper_id"],
            paper=paper,
            keynote_id=row["keynote_id"],
            keynote=keynote,
        )
        return Entry.display_heading.fget(entry)

    def meta(self, row):
        return f"In “{row['section__post__title']}”"


class KeynoteKind(Kind):
    key, label, result_label = "keynote", "Keynotes", "Keynote"
    fields = ["title", "speaker", "affiliation", "summary"]
    typo_fields = ["title", "speaker"]
    columns = ("pk", "title", "speaker", "affiliation", "summary", *CONFERENCE)
    address = (Keynote, "pk", "pk")

    model = Keynote

    def public(self):
        return public_keynotes()

    def snippet_source(self):
        return F("summary")

    def snippet_text(self, row):
        return row["summary"]

    def title(self, row):
        return row["title"]

    def meta(self, row):
        speaker, affiliation = row["speaker"], row["affiliation"]
        speaker = f"{speaker} ({affiliation})" if affiliation else speaker
        return " · ".join(filter(None, [speaker, _conference(row)]))


class ReviewKind(Kind):
    key, label, result_label = "review", "Review excerpts", "Review excerpt"
    fields = ["text", "paper__title"]
    conference_path = "paper__conference"
    tag_paths = {"paper": TaggedPaper}
    outcome_path = "paper__outcome"
    columns = (
        *("pk", "text", "reviewer_label", "source_kind", "paper__title", "paper__slug"),
        *("paper__conference__short_name", "paper__conference__year"),
    )
    address = (Paper, "slug", "paper__slug")

    model = PeerReviewExcerpt

    def public(self):
        return public_excerpts()

    def snippet_source(self):
        return F("text")

    def snippet_text(self, row):
        return row["text"]

    def title(self, row):
        return f"Review of “{row['paper__title']}”"

    def meta(self, row):
        kinds = PeerReviewExcerpt.SourceKind
        label = row["reviewer_label"] or dict(kinds.choices).get(
            row["source_kind"], row["source_kind"]
        )
        return " · ".join(filter(None, [label, _conference(row, "paper__conference__")]))


def _any_of(path, keys):
    """PostgreSQL: `path = ANY(ARRAY(keys))`, an index condition where an IN is a join: a scan
    of the newest matches (search.facets.recent_matches) walks the index backwards over the
    tagged keys only and stops at its limit, instead of matching every tagged row. Only for
    one path: in an OR of two, each row would be compared with every key."""
    return Q(
        Func(
            F(path),
            ArraySubquery(keys),
            template="%(expressions)s)",
            arg_joiner=" = ANY(",
            output_field=BooleanField(),
        )
    )


# The order breaks ties in rank: a paper or a keynote before the entry that presents it.
KINDS = {
    kind.key: kind for kind in (PaperKind(), PostKind(), KeynoteKind(), EntryKind(), ReviewKind())
}
