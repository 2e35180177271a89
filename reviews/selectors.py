import functools
from dataclasses import dataclass
from typing import NamedTuple

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, F, Prefetch, Q
from taggit.models import Tag

from core.statements import Statement
from papers.cards import paper_cards
from papers.models import Author, Authorship, Conference
from reviews.models import (
    Entry,
    GalleryImage,
    KeynoteSpeaker,
    KeynoteVideo,
    Post,
    Section,
    published_condition,
)
from reviews.slug_paths import slug_path
from reviews.visibility import (
    is_previewer,
    public_authors,
    public_condition,
    public_conferences,
    public_papers,
    public_posts,
    public_topics,
    visible_authors,
    visible_keynotes,
    visible_papers,
)


def post_sections():
    """The Prefetch of a post's sections, entries, papers, keynotes (with their speakers'
    author records) and images, in order."""
    entries = Entry.objects.select_related("paper", "keynote").prefetch_related(
        Prefetch("images", queryset=GalleryImage.objects.order_by("order")),
        speaker_links("keynote__"),
    )
    sections = Section.objects.order_by("order").prefetch_related(
        Prefetch("entries", queryset=entries.order_by("order"))
    )
    return Prefetch("sections", queryset=sections)


def post_with_content(queryset=None):
    """Posts with every section, entry, paper, keynote and image in a fixed number of queries."""
    queryset = queryset if queryset is not None else Post.objects.all()
    return queryset.select_related("conference").prefetch_related(post_sections(), "tags")


def post_page(queryset=None):
    """Posts for their own page: the row with its stored body, conference and tags."""
    queryset = queryset if queryset is not None else Post.objects.all()
    return queryset.select_related("conference").prefetch_related("tags")


def speaker_links(prefix: str = "") -> Prefetch:
    """A keynote's speakers' links in order, each with its author (`speakers`), in one query."""
    links = KeynoteSpeaker.objects.select_related("author").order_by("order")
    return Prefetch(f"{prefix}speaker_links", queryset=links, to_attr="speakers")


def keynotes_with_videos(queryset):
    """Keynotes with their conference, speakers (`speakers`) and approved videos
    (`approved_videos`), in three queries."""
    approved = KeynoteVideo.objects.approved()
    return queryset.select_related("conference").prefetch_related(
        Prefetch("videos", queryset=approved, to_attr="approved_videos"), speaker_links()
    )


def post_listing(queryset=None):
    queryset = queryset if queryset is not None else public_posts()
    return queryset.defer("body_html").select_related("conference").prefetch_related("tags")


def published_posts_featuring(paper):
    """The public posts with an entry on `paper`, newest first."""
    return public_posts().filter(sections__entries__paper=paper).distinct()


def _tag_counts() -> dict:
    """A tag's public posts and papers: joins filtered by the rule's conditions, with no
    subquery to build or to run per tag; drafts count for nothing."""
    return {
        "post_count": Count("posts", filter=published_condition("posts__"), distinct=True),
        "paper_count": Count("papers", filter=public_condition("papers__"), distinct=True),
    }


def tag_cloud():
    """Tags on a public post or paper (the stored flag, `public_topics()`), with how many of
    each."""
    return (
        public_topics()
        .annotate(**_tag_counts())
        .annotate(total=F("post_count") + F("paper_count"))
        .order_by("name")
    )


class TagCount(NamedTuple):
    name: str
    slug: str
    total: int


def _tag_cloud_rows():
    return (
        public_topics()
        .alias(**_tag_counts())
        .annotate(total=F("post_count") + F("paper_count"))
        .order_by("name")
        .values_list("name", "slug", "total")
    )


TAG_CLOUD_ROWS = Statement(_tag_cloud_rows)


def tag_cloud_rows() -> list[TagCount]:
    """`tag_cloud()` as rows, for a cloud that shows only the total: the two counts compiled
    inside the total, no Tag built, the SQL compiled once (core.statements)."""
    return [TagCount(*row) for row in TAG_CLOUD_ROWS.rows()]


class ConferenceLink(NamedTuple):
    slug: str
    path: str
    name: str  # as str(conference) writes it
    year: int


CONFERENCE_ROWS = Statement(lambda: public_conferences().values_list("short_name", "year", "slug"))


def conference_links() -> list[ConferenceLink]:
    """The public conferences in their order, for a list of links or choices: three columns,
    no Conference built, one reverse() for all and the SQL compiled once."""
    return [
        ConferenceLink(
            slug, slug_path("papers:conference-detail", slug), f"{short_name} {year}", year
        )
        for short_name, year, slug in CONFERENCE_ROWS.rows()
    ]


class Topic(NamedTuple):
    name: str
    slug: str


PAPER_TOPIC_ROWS = Statement(
    lambda: (
        Tag.objects.filter(public_condition("papers__"))
        .distinct()
        .order_by("name")
        .values_list("name", "slug")
    )
)
PAPER_DECISION_ROWS = Statement(
    lambda: (
        public_papers().exclude(decision="").order_by("decision").values_list("decision").distinct()
    )
)


def paper_topics_offered() -> list[Topic]:
    """The topics of the public papers by name (the paper list's choices), SQL compiled once."""
    return [Topic(*row) for row in PAPER_TOPIC_ROWS.rows()]


def paper_decisions_offered() -> list[str]:
    """The public papers' decisions, each once, in order (the paper list's choices)."""
    return [decision for (decision,) in PAPER_DECISION_ROWS.rows()]


@dataclass
class AuthorProfile:
    papers: list
    keynotes: list
    affiliations: list[tuple[str, str]]
    coauthors: list
    posts: object


def author_profile(*, author, user) -> AuthorProfile:
    """A person as `user` may see them for the API: papers newest first with their topics,
    keynotes with videos and speakers, affiliations over time, co-authors, and the public
    posts featuring any of it (the page reads less, as rows: `author_page`)."""
    papers = visible_papers(user).filter(authorships__author=author).select_related("conference")
    papers = list(papers.prefetch_related("authorships__author", "topics").order_by(*PAPER_ORDER))
    keynotes = list(
        keynotes_with_videos(visible_keynotes(user).filter(speaker_links__author=author))
    )
    posts = public_posts().filter(
        Q(sections__entries__paper__in=[paper.pk for paper in papers])
        | Q(sections__entries__keynote__in=[keynote.pk for keynote in keynotes])
    )
    authorships = [(paper, a) for paper in papers for a in paper.authorships.all()]
    return AuthorProfile(
        papers=papers,
        keynotes=keynotes,
        affiliations=author_affiliations(
            (a.affiliation, paper.publication_date, paper.conference and paper.conference.year)
            for paper, a in authorships
            if a.author_id == author.pk
        ),
        coauthors=coauthors(
            (a.author, a.author.name) for _, a in authorships if a.author_id != author.pk
        ),
        posts=post_listing(posts.distinct()),
    )


PAPER_ORDER = (F("publication_date").desc(nulls_last=True), "title", "pk")


def author_affiliations(rows) -> list[tuple[str, str]]:
    """(affiliation, years), most recent first, from the author's (affiliation, publication
    date, conference year) per paper in the papers' order (a tie keeps that order)."""
    years: dict[str, set] = {}
    for affiliation, published, conference_year in rows:
        if affiliation:
            year = (published.year if published else None) or conference_year
            years.setdefault(affiliation, set()).update([year] if year else [])
    ordered = sorted(years.items(), key=lambda item: max(item[1], default=0), reverse=True)
    return [
        (name, "–".join(dict.fromkeys([str(min(y)), str(max(y))])) if y else "")
        for name, y in ordered
    ]


def coauthors(people) -> list:
    """Everyone who shares a paper with the author, most shared papers first, then by name:
    (person, name) per co-authorship in the papers' order (a tie keeps the first met first)."""
    counts: dict = {}
    for person, name in people:
        counts.setdefault(person, [name, 0])[1] += 1
    return [p for p, _ in sorted(counts.items(), key=lambda item: (-item[1][1], item[1][0]))]


@dataclass(frozen=True)
class AuthorPage:
    papers: list  # rows: pk, title, slug, card_html, publication_date, conference__year, ...
    cards: list
    keynotes: list  # rows: title, affiliation, conference (its name, or ""), conference_path
    affiliations: list[tuple[str, str]]
    coauthors: list  # rows: name, path
    posts: list  # rows: title, path, published_at


class Person(NamedTuple):
    name: str
    path: str


class Talk(NamedTuple):
    title: str
    affiliation: str
    conference: str
    conference_path: str


class Feature(NamedTuple):
    title: str
    path: str
    published_at: object


def _author_at(user, *, slug):
    return visible_authors(user).filter(slug=slug).values_list(*AUTHOR_COLUMNS, named=True)


AUTHOR_COLUMNS = tuple(field.attname for field in Author._meta.concrete_fields)


def _visible_papers_by(user, author):
    return visible_papers(user).filter(authorships__author=author)


def _papers_of(user, *, author):
    papers = _visible_papers_by(user, author).order_by(*PAPER_ORDER)
    return papers.values_list(
        "pk",
        "title",
        "slug",
        "card_html",
        "publication_date",
        "conference__year",
        "authorships__affiliation",  # the author's own, on the filter's join
        named=True,
    )


def _authorships_of(user, *, author):
    """The authorships of the author's visible papers, with each author's name and slug."""
    papers = _visible_papers_by(user, author).values("pk")
    rows = Authorship.objects.filter(paper__in=papers).order_by("order")
    return rows.values_list("paper_id", "author_id", "author__name", "author__slug", named=True)


def _talks_of(user, *, author):
    keynotes = visible_keynotes(user).filter(speaker_links__author=author)
    return keynotes.values_list(
        "title",
        "affiliation",
        "conference__short_name",
        "conference__year",
        "conference__slug",
        named=True,
    )


def _posts_featuring(user, *, author):
    """The public posts with an entry on a paper or keynote of the author that `user` sees."""
    papers = _visible_papers_by(user, author).values("pk")
    keynotes = visible_keynotes(user).filter(speaker_links__author=author).values("pk")
    posts = public_posts().filter(
        Q(sections__entries__paper__in=papers) | Q(sections__entries__keynote__in=keynotes)
    )
    return posts.distinct().values_list("title", "slug", "published_at", named=True)


READER = AnonymousUser()
# What a reader's author page runs, compiled once (core.statements); a previewer's is built
# from the same functions each time, as staff pages are never cached and rarely read.
AUTHOR_PAGE = {
    read: Statement(functools.partial(read, READER), **values)
    for read, values in [
        (_author_at, {"slug": str}),
        (_papers_of, {"author": int}),
        (_authorships_of, {"author": int}),
        (_talks_of, {"author": int}),
        (_posts_featuring, {"author": int}),
    ]
}


def _read(read, user, **values) -> list:
    if is_previewer(user):
        return list(read(user, **values))
    return AUTHOR_PAGE[read].rows(**values)


def visible_author(*, slug, user) -> Author | None:
    """The person at /authors/<slug>/ if `user` may see them, else None."""
    rows = _read(_author_at, user, slug=slug)
    return Author(**rows[0]._asdict()) if rows else None


def author_page(*, author, user) -> AuthorPage:
    """A person's page as `user` may see it: papers newest first (their stored cards,
    papers.cards), keynotes, affiliations over time, co-authors and the public posts featuring
    any of it, as rows in four queries (three with no paper)."""
    papers = _read(_papers_of, user, author=author.pk)
    authorships = _read(_authorships_of, user, author=author.pk) if papers else []
    by_paper: dict[int, list] = {}
    for row in authorships:
        by_paper.setdefault(row.paper_id, []).append(row)
    people = [
        (row.author_id, row.author__name, row.author__slug)
        for paper in papers
        for row in by_paper.get(paper.pk, ())
        if row.author_id != author.pk
    ]
    named = {pk: (name, slug) for pk, name, slug in people}
    talks = [
        Talk(row.title, row.affiliation, "", "")
        if row.conference__slug is None
        else Talk(
            row.title,
            row.affiliation,
            str(Conference(short_name=row.conference__short_name, year=row.conference__year)),
            slug_path("papers:conference-detail", row.conference__slug),
        )
        for row in _read(_talks_of, user, author=author.pk)
    ]
    return AuthorPage(
        papers=papers,
        cards=paper_cards(papers),
        keynotes=talks,
        affiliations=author_affiliations(
            (paper.authorships__affiliation, paper.publication_date, paper.conference__year)
            for paper in papers
        ),
        coauthors=[
            Person(name=named[pk][0], path=slug_path("papers:author-detail", named[pk][1]))
            for pk in coauthors((pk, name) for pk, name, _ in people)
        ],
        posts=[
            Feature(row.title, slug_path("reviews:post-detail", row.slug), row.published_at)
            for row in _read(_posts_featuring, user, author=author.pk)
        ],
    )


def _public_authors_by_name(start, stop):
    authors = public_authors().order_by("name", "pk").values_list("name", "slug", named=True)
    return authors[start:stop]


PUBLIC_AUTHORS = Statement(_public_authors_by_name)


class PublicAuthorNames:
    """The public people's (name, slug) rows by name, as a Paginator reads them: the count,
    then one page's slice, each a statement compiled once (core.statements; per slice)."""

    def count(self) -> int:
        return PUBLIC_AUTHORS.count(0, None)

    def __getitem__(self, page: slice) -> list:
        return PUBLIC_AUTHORS.rows(page.start, page.stop)


def author_names(*, query: str = ""):
    """The public people by name, those whose name contains `query` if given: rows of their
    name and slug for the authors page."""
    if not query:
        return PublicAuthorNames()
    authors = public_authors().filter(name__icontains=query).order_by("name", "pk")
    return authors.values_list("name", "slug", named=True)


def post_outline(*, post: Post) -> list[Section]:
    """The post's sections with their entries (paper, keynote) and each entry's images'
    alt text and ids only: what the editor's outline shows, in three queries at any size."""
    images = GalleryImage.objects.only("pk", "entry_id", "alt_text", "order").order_by("order")
    entries = (
        Entry.objects.select_related("paper", "keynote")
        .only(
            "pk",
            "section_id",
            "order",
            "kind",
            "heading",
            "summary",
            "paper__title",
            "keynote__title",
            "keynote__speaker",
        )
        .prefetch_related(Prefetch("images", queryset=images))
        .order_by("order")
    )
    sections = Section.objects.filter(post=post).order_by("order")
    return list(sections.prefetch_related(Prefetch("entries", queryset=entries)))
