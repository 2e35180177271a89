from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import Count, F, Prefetch, Q
from taggit.models import Tag

from core.fixed_queries import FixedQuery
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
    public_condition,
    public_conferences,
    public_papers,
    public_posts,
    public_topics,
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


TAG_CLOUD_ROWS = FixedQuery(_tag_cloud_rows)


def tag_cloud_rows() -> list[TagCount]:
    """`tag_cloud()` as rows, for a cloud that shows only the total: the two counts compiled
    inside the total, no Tag built, the SQL compiled once (core.fixed_queries)."""
    return [TagCount(*row) for row in TAG_CLOUD_ROWS.rows()]


class ConferenceLink(NamedTuple):
    slug: str
    path: str
    name: str  # as str(conference) writes it
    year: int


CONFERENCE_ROWS = FixedQuery(lambda: public_conferences().values_list("short_name", "year", "slug"))


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


PAPER_TOPIC_ROWS = FixedQuery(
    lambda: (
        Tag.objects.filter(public_condition("papers__"))
        .distinct()
        .order_by("name")
        .values_list("name", "slug")
    )
)
PAPER_DECISION_ROWS = FixedQuery(
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


def author_profile(*, author, user, for_page: bool = False) -> AuthorProfile:
    """A person as `user` may see them: papers newest first, keynotes, affiliations over
    time, co-authors, and the public posts featuring any of it (the author page and the API).

    The papers carry no review statistics (the page shows their stored cards, papers.cards);
    `for_page` also leaves out what only the API shows: topics, keynote videos and speakers,
    the posts' tags (four queries)."""
    papers = visible_papers(user).filter(authorships__author=author).select_related("conference")
    papers = papers.prefetch_related("authorships__author", *([] if for_page else ["topics"]))
    papers = list(papers.order_by(F("publication_date").desc(nulls_last=True), "title", "pk"))
    keynotes = visible_keynotes(user).filter(speaker_links__author=author)
    if for_page:
        keynotes = list(keynotes.select_related("conference"))
    else:
        keynotes = list(keynotes_with_videos(keynotes))
    posts = (
        public_posts()
        .filter(
            Q(sections__entries__paper__in=[paper.pk for paper in papers])
            | Q(sections__entries__keynote__in=[keynote.pk for keynote in keynotes])
        )
        .distinct()
    )
    posts = posts.only("title", "slug", "published_at") if for_page else post_listing(posts)
    return AuthorProfile(
        papers=papers,
        keynotes=keynotes,
        affiliations=author_affiliations(author, papers),
        coauthors=coauthors(author, papers),
        posts=posts,
    )


def author_affiliations(author, papers) -> list[tuple[str, str]]:
    """(affiliation, years) from the author's papers, most recent first, from prefetched rows."""
    years: dict[str, set] = {}
    for paper in papers:
        for authorship in paper.authorships.all():
            if authorship.author_id == author.pk and authorship.affiliation:
                year = paper.publication_date.year if paper.publication_date else None
                year = year or (paper.conference.year if paper.conference else None)
                years.setdefault(authorship.affiliation, set()).update([year] if year else [])
    ordered = sorted(years.items(), key=lambda item: max(item[1], default=0), reverse=True)
    return [
        (name, "–".join(dict.fromkeys([str(min(y)), str(max(y))])) if y else "")
        for name, y in ordered
    ]


def coauthors(author, papers) -> list:
    """Everyone who shares a paper with `author`, most shared papers first."""
    counts: dict = {}
    for paper in papers:
        for authorship in paper.authorships.all():
            if authorship.author_id != author.pk:
                entry = counts.setdefault(authorship.author_id, [authorship.author, 0])
                entry[1] += 1
    return [a for a, _ in sorted(counts.values(), key=lambda item: (-item[1], item[0].name))]


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
