"""The result types of the site search: where each starts (its reviews.visibility selector),
how the filters reach it, and how a page of its rows is loaded with titles and snippets."""

from dataclasses import replace

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import BooleanField, F, Func, Prefetch, Q, TextField, Value
from django.db.models.functions import Concat

from papers.models import Author, Authorship, TaggedPaper
from reviews.models import TaggedPost
from reviews.visibility import (
    public_entries,
    public_excerpts,
    public_keynotes,
    public_papers,
    public_posts,
)
from search import text as ts
from search.results import Result


class Kind:
    key = ""
    label = ""
    fields: list[str] = []  # SQLite: the title first, then the other columns to look in
    typo_fields: list[str] = []  # PostgreSQL: titles and names matched by trigram likeness
    conference_path = "conference"
    # Where the tags of a row are: {path to a post or paper: its through model}.
    tag_paths: dict[str, type] = {}
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
    tag_paths = {"pk": TaggedPaper}
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
    tag_paths = {"pk": TaggedPost}

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
    tag_paths = {"section__post": TaggedPost, "paper": TaggedPaper}
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
    tag_paths = {"paper": TaggedPaper}
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


def _replace(result, **changes):
    return replace(result, **changes)


# The order breaks ties in rank: a paper or a keynote before the entry that presents it.
KINDS = {
    kind.key: kind for kind in (PaperKind(), PostKind(), KeynoteKind(), EntryKind(), ReviewKind())
}
