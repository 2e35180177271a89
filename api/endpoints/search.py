from typing import Annotated

from ninja import Query, Router

from api.pagination import DEFAULT_PAGE_SIZE, PageNumber, PageSize, page_link
from api.params import ConferenceFilter, TagFilter, YearFilter
from api.schemas import Problem, SearchPage
from api.serialize import absolute
from papers.models import Paper
from search.query import KINDS, search

router = Router(tags=["search"])

QueryText = Annotated[
    str,
    Query(
        description="What to look for; quotes, `or` and `-word` work as on the search page.",
        max_length=200,
        pattern=r"^[^\x00]*$",
        example="genomics",
    ),
]
KindFilter = Annotated[
    str | None,
    Query(description="Only results of this type.", pattern="^(" + "|".join(KINDS) + ")$"),
]

OutcomeFilter = Annotated[
    Paper.Outcome | None,
    Query(
        description="Only papers with this normalized outcome (and the entries and review "
        "excerpts of such papers); posts and keynotes have none.",
        example="accepted_oral",
    ),
]


@router.get("/search/", response={200: SearchPage, 400: Problem}, url_name="search")
def search_site(
    request,
    q: QueryText = "",
    type: KindFilter = None,
    conference: ConferenceFilter = None,
    year: YearFilter = None,
    tag: TagFilter = None,
    outcome: OutcomeFilter = None,
    page: PageNumber = 1,
    page_size: PageSize = DEFAULT_PAGE_SIZE,
):
    """The site search over public posts, entries, papers, keynotes and excerpts, with facets."""
    found = search(
        query=q,
        kind=type,
        conference=conference,
        year=year,
        tag=tag,
        outcome=outcome.value if outcome else None,
        page=page,
        per_page=page_size,
    )
    return {
        "count": found.total,
        "next": page_link(request, found.page + 1) if found.page < found.num_pages else None,
        "previous": page_link(request, found.page - 1) if found.page > 1 else None,
        "query": found.query,
        "message": found.message,
        "fuzzy": found.fuzzy,
        "page": found.page,
        "num_pages": found.num_pages,
        "facets": [
            {
                "key": f.key,
                "label": f.label,
                "count": f.count,
                "capped": f.capped,
                "selected": f.selected,
            }
            for f in found.facets
        ],
        "outcomes": [
            {"key": f.key, "label": f.label, "count": f.count, "selected": f.selected}
            for f in found.outcomes
        ],
        "results": [
            {
                "kind": r.kind,
                "kind_label": r.kind_label,
                "title_html": str(r.title),
                "snippet_html": str(r.snippet),
                "meta": r.meta,
                "url": absolute(r.url),
            }
            for r in found.results
        ],
    }
