from django.db.models import Count, F, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from taggit.models import Tag

from papers.models import TaggedPaper
from reviews.models import Entry, GalleryImage, KeynoteVideo, Post, Section, TaggedPost
from reviews.visibility import public_papers, public_posts


def post_with_content(queryset=None):
    """Posts with every section, entry, paper, keynote and image in a fixed number of queries."""
    queryset = queryset if queryset is not None else Post.objects.all()
    entries = Entry.objects.select_related("paper", "keynote").prefetch_related(
        Prefetch("images", queryset=GalleryImage.objects.order_by("order"))
    )
    sections = Section.objects.order_by("order").prefetch_related(
        Prefetch("entries", queryset=entries.order_by("order"))
    )
    return queryset.select_related("conference").prefetch_related(
        Prefetch("sections", queryset=sections), "tags"
    )


def keynotes_with_videos(queryset):
    """Keynotes with their conference and approved videos (`approved_videos`), in two queries."""
    approved = KeynoteVideo.objects.approved()
    return queryset.select_related("conference").prefetch_related(
        Prefetch("videos", queryset=approved, to_attr="approved_videos")
    )


def post_listing(queryset=None):
    queryset = queryset if queryset is not None else public_posts()
    return queryset.select_related("conference").prefetch_related("tags")


def published_posts_featuring(paper):
    """The public posts with an entry on `paper`, newest first."""
    return public_posts().filter(sections__entries__paper=paper).distinct()


def tag_cloud():
    """Tags on a public post or paper, with how many of each; drafts count for nothing."""
    posts = TaggedPost.objects.filter(tag=OuterRef("pk"), content_object__in=public_posts())
    papers = TaggedPaper.objects.filter(tag=OuterRef("pk"), content_object__in=public_papers())
    return (
        Tag.objects.annotate(
            post_count=_count(posts),
            paper_count=_count(papers),
        )
        .annotate(total=F("post_count") + F("paper_count"))
        .filter(total__gt=0)
        .order_by("name")
    )


def _count(queryset):
    counted = queryset.order_by().values("tag").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted), 0)
