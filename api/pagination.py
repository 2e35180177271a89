"""Page pagination: `?page=` and `?page_size=` (at most 100), with absolute next/previous links."""

from typing import Annotated

from django.conf import settings
from ninja import Query

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20
MAX_PAGE = 100_000

PageNumber = Annotated[int, Query(description="Page number, from 1.", ge=1, le=MAX_PAGE)]
PageSize = Annotated[
    int, Query(description=f"Results per page, at most {MAX_PAGE_SIZE}.", ge=1, le=MAX_PAGE_SIZE)
]


def page_link(request, page: int) -> str:
    query = request.GET.copy()
    query["page"] = str(page)
    return f"{settings.SITE_URL}{request.path}?{query.urlencode()}"


def links(request, *, page: int, count: int, page_size: int) -> dict:
    """`next` and `previous` for page `page` of `count` results; None at either end."""
    last = max(1, -(-count // page_size))
    return {
        "count": count,
        "next": page_link(request, page + 1) if page < last else None,
        "previous": page_link(request, min(page - 1, last)) if page > 1 else None,
    }


def paginate(request, queryset, *, page: int, page_size: int) -> tuple[dict, list]:
    """The page's links and its rows: one COUNT and one page query (plus the prefetches)."""
    count = queryset.count()
    start = (page - 1) * page_size
    rows = list(queryset[start : start + page_size]) if start < count else []
    return links(request, page=page, count=count, page_size=page_size), rows
