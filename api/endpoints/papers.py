from typing import Annotated

from django.shortcuts import get_object_or_404
from ninja import Query, Router

from api import serialize
from api.pagination import DEFAULT_PAGE_SIZE, PageNumber, PageSize, paginate
from api.params import ConferenceFilter, SlugPath, TagFilter, YearFilter
from api.schemas import PaperDetail, PaperPage, Problem
from papers.models import Paper
from papers.selectors import paper_with_reviews
from reviews.visibility import public_papers

router = Router(tags=["papers"])

DecisionFilter = Annotated[
    str | None,
    Query(
        description="The decision as the venue states it (exact).",
        max_length=255,
        pattern=r"^[^\x00]*$",
    ),
]
OutcomeFilter = Annotated[
    Paper.Outcome | None, Query(description="The normalized outcome.", example="accepted")
]


@router.get("/papers/", response={200: PaperPage, 400: Problem}, url_name="paper-list")
def list_papers(
    request,
    conference: ConferenceFilter = None,
    year: YearFilter = None,
    topic: TagFilter = None,
    decision: DecisionFilter = None,
    outcome: OutcomeFilter = None,
    page: PageNumber = 1,
    page_size: PageSize = DEFAULT_PAGE_SIZE,
):
    """Public papers by title, filtered as the paper list page filters them (and by outcome)."""
    papers = public_papers()
    if conference:
        papers = papers.filter(conference__slug=conference)
    if year:
        papers = papers.filter(conference__year=year)
    if topic:
        papers = papers.filter(topics__slug__iexact=topic)
    if decision:
        papers = papers.filter(decision=decision)
    if outcome:
        papers = papers.filter(outcome=outcome)
    queryset = papers.distinct().order_by("title", "pk").with_listing_data()
    links, rows = paginate(request, queryset, page=page, page_size=page_size)
    return {**links, "results": [serialize.paper_summary(p) for p in rows]}


@router.get(
    "/papers/{slug}/",
    response={200: PaperDetail, 404: Problem, 400: Problem},
    url_name="paper-detail",
)
def get_paper(request, slug: SlugPath):
    """One public paper with authors and affiliations, featured review excerpts, links, videos."""
    paper = get_object_or_404(paper_with_reviews(public_papers()), slug=slug)
    return serialize.paper_detail(paper)
