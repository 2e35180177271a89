from django.db.models import Count, F, Prefetch, Q
from taggit.models import Tag

from reviews.models import Entry, GalleryImage, Post, Section
from reviews.visibility import public_papers, public_posts


def post_sections():
    """The Prefetch of a post's sections, entries, papers, keynotes and images, in order."""
    entries = Entry.objects.select_related("paper", "keynote").prefetch_related(
        Prefetch("images", queryset=GalleryImage.objects.order_by("order"))
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


def post_listing(queryset=None):
    queryset = queryset if queryset is not None else public_posts()
    return queryset.defer("body_html").select_related("conference").prefetch_related("tags")


def published_posts_featuring(paper):
    """The public posts with an entry on `paper`, newest first."""
    return public_posts().filter(sections__entries__paper=paper).distinct()


def tag_cloud():
    """Tags on a public post or paper, with how many of each; drafts count for nothing.

    Counted over joins with an uncorrelated `IN (public ...)`, which PostgreSQL evaluates once,
    rather than a correlated count per tag: 0.5 s where that took 4.5 s at 5,000 papers.
    """
    return (
        Tag.objects.annotate(
            post_count=Count("posts", filter=Q(posts__in=public_posts()), distinct=True),
            paper_count=Count("papers", filter=Q(papers__in=public_papers()), distinct=True),
        )
        .annotate(total=F("post_count") + F("paper_count"))
        .filter(total__gt=0)
        .order_by("name")
    )
