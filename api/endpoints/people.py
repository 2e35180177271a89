"""Authors and keynote speakers: the people pages' records."""

from typing import Annotated

from django.contrib.auth.models import AnonymousUser
from django.shortcuts import get_object_or_404
from ninja import Query, Router

from api import serialize
from api.pagination import DEFAULT_PAGE_SIZE, PageNumber, PageSize, paginate
from api.params import SlugPath
from api.schemas import AuthorDetail, AuthorPage, Problem
from reviews.selectors import author_profile
from reviews.visibility import public_authors

router = Router(tags=["authors"])

NameQuery = Annotated[
    str | None,
    Query(
        description="Part of the name, any case (as the authors page's search box).",
        max_length=100,
        pattern=r"^[^\x00]*$",
        example="lovelace",
    ),
]


@router.get("/authors/", response={200: AuthorPage, 400: Problem}, url_name="author-list")
def list_authors(
    request,
    q: NameQuery = None,
    page: PageNumber = 1,
    page_size: PageSize = DEFAULT_PAGE_SIZE,
):
    """People with a public paper or keynote, by name."""
    authors = public_authors().order_by("name", "pk")
    if q and q.strip():
        authors = authors.filter(name__icontains=q.strip())
    links, rows = paginate(request, authors, page=page, page_size=page_size)
    return {**links, "results": [serialize.author_summary(a) for a in rows]}


@router.get(
    "/authors/{slug}/",
    response={200: AuthorDetail, 404: Problem, 400: Problem},
    url_name="author-detail",
)
def get_author(request, slug: SlugPath):
    """One person as their public page shows them: papers, affiliations, co-authors, keynotes."""
    author = get_object_or_404(public_authors(), slug=slug)
    profile = author_profile(author=author, user=AnonymousUser())
    return serialize.author_detail(author, profile)
