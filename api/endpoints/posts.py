from django.shortcuts import get_object_or_404
from ninja import Router

from api import serialize
from api.pagination import DEFAULT_PAGE_SIZE, PageNumber, PageSize, paginate
from api.params import ConferenceFilter, SlugPath, TagFilter, YearFilter
from api.schemas import PostDetail, PostPage, Problem
from reviews.selectors import post_listing, post_with_content
from reviews.visibility import public_posts

router = Router(tags=["posts"])


@router.get("/posts/", response={200: PostPage, 400: Problem}, url_name="post-list")
def list_posts(
    request,
    conference: ConferenceFilter = None,
    tag: TagFilter = None,
    year: YearFilter = None,
    page: PageNumber = 1,
    page_size: PageSize = DEFAULT_PAGE_SIZE,
):
    """Published posts, newest first; `year` is the year of the conference reviewed."""
    posts = public_posts()
    if conference:
        posts = posts.filter(conference__slug=conference)
    if tag:
        posts = posts.filter(tags__slug__iexact=tag)
    if year:
        posts = posts.filter(conference__year=year)
    links, rows = paginate(request, post_listing(posts.distinct()), page=page, page_size=page_size)
    return {**links, "results": [serialize.post_summary(p) for p in rows]}


@router.get(
    "/posts/{slug}/", response={200: PostDetail, 404: Problem, 400: Problem}, url_name="post-detail"
)
def get_post(request, slug: SlugPath):
    """One published post with its sections, entries and images (with renditions)."""
    post = get_object_or_404(post_with_content(public_posts()), slug=slug)
    return serialize.post_detail(post)
