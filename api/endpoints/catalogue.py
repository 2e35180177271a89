"""Conferences, keynotes and tags: the records posts and papers point to."""

from django.shortcuts import get_object_or_404
from ninja import Router

from api import serialize
from api.pagination import DEFAULT_PAGE_SIZE, PageNumber, PageSize, paginate
from api.params import ConferenceFilter, IdPath, SlugPath, YearFilter
from api.schemas import Conference, ConferencePage, Keynote, KeynotePage, Problem, TagPage
from reviews.selectors import keynotes_with_videos, tag_cloud
from reviews.visibility import public_conferences, public_keynotes

router = Router()


@router.get(
    "/conferences/",
    response={200: ConferencePage, 400: Problem},
    tags=["conferences"],
    url_name="conference-list",
)
def list_conferences(
    request,
    year: YearFilter = None,
    page: PageNumber = 1,
    page_size: PageSize = DEFAULT_PAGE_SIZE,
):
    """Conferences with something public, newest first."""
    conferences = public_conferences().order_by("-year", "short_name", "pk")
    if year:
        conferences = conferences.filter(year=year)
    links, rows = paginate(request, conferences, page=page, page_size=page_size)
    return {**links, "results": [serialize.conference(c) for c in rows]}


@router.get(
    "/conferences/{slug}/",
    response={200: Conference, 404: Problem, 400: Problem},
    tags=["conferences"],
    url_name="conference-detail",
)
def get_conference(request, slug: SlugPath):
    """One conference with something public."""
    return serialize.conference(get_object_or_404(public_conferences(), slug=slug))


@router.get(
    "/keynotes/",
    response={200: KeynotePage, 400: Problem},
    tags=["keynotes"],
    url_name="keynote-list",
)
def list_keynotes(
    request,
    conference: ConferenceFilter = None,
    year: YearFilter = None,
    page: PageNumber = 1,
    page_size: PageSize = DEFAULT_PAGE_SIZE,
):
    """Public keynotes by conference and title."""
    keynotes = keynotes_with_videos(public_keynotes()).order_by("conference", "title", "pk")
    if conference:
        keynotes = keynotes.filter(conference__slug=conference)
    if year:
        keynotes = keynotes.filter(conference__year=year)
    links, rows = paginate(request, keynotes, page=page, page_size=page_size)
    return {**links, "results": [serialize.keynote(k) for k in rows]}


@router.get(
    "/keynotes/{keynote_id}/",
    response={200: Keynote, 404: Problem, 400: Problem},
    tags=["keynotes"],
    url_name="keynote-detail",
)
def get_keynote(request, keynote_id: IdPath):
    """One public keynote with its approved videos."""
    return serialize.keynote(
        get_object_or_404(keynotes_with_videos(public_keynotes()), pk=keynote_id)
    )


@router.get("/tags/", response={200: TagPage, 400: Problem}, tags=["tags"], url_name="tag-list")
def list_tags(request, page: PageNumber = 1, page_size: PageSize = DEFAULT_PAGE_SIZE):
    """Tags of public posts and topics of public papers, with counts; drafts count for nothing."""
    links, rows = paginate(request, tag_cloud(), page=page, page_size=page_size)
    return {**links, "results": [serialize.tag(t) for t in rows]}
