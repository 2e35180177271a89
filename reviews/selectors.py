from django.db.models import Prefetch

from .models import Entry, GalleryImage, Post, Section


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


def post_listing(queryset=None):
    queryset = queryset if queryset is not None else Post.objects.published()
    return queryset.select_related("conference").prefetch_related("tags")
