"""The site search page (one results page over every public kind, with facets and filters)
and the suggestions its header box asks for as the reader types."""

from dataclasses import asdict
from types import SimpleNamespace

from django.http import JsonResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView

from core.statements import Statement
from papers.models import Conference, Paper
from reviews.visibility import public_conferences
from search.query import KINDS, search
from search.suggest import MAX_LENGTH, suggest

SUGGEST_MAX_AGE = 60


class SearchView(TemplateView):
    """`/search/?q=...&type=paper&conference=neurips-2023&year=2023&tag=genomics&page=2`."""

    template_name = "search/search.html"

    def get_context_data(self, **kwargs):
        def param(name, limit=100):
            return self.request.GET.get(name, "").replace("\x00", "")[:limit].strip()

        kind = param("type") if param("type") in KINDS else None
        outcome = param("outcome") if param("outcome") in Paper.Outcome.values else None
        year, page = param("year"), param("page", 6)
        results = search(
            query=self.request.GET.get("q", ""),
            kind=kind,
            conference=param("conference") or None,
            year=int(year) if year.isdigit() and len(year) == 4 else None,
            tag=param("tag") or None,
            outcome=outcome,
            page=int(page) if page.isdigit() else 1,
        )
        conferences = _conferences()
        return super().get_context_data(
            results=results,
            search_text=param("q", 200),
            kind=kind,
            filters={key: param(key) for key in ("conference", "year", "tag", "outcome")},
            conferences=conferences,
            years=sorted({c.year for c in conferences}, reverse=True),
            **kwargs,
        )


FORM_CONFERENCES = Statement(
    lambda: (
        public_conferences()
        .order_by("-year", "short_name")
        .values_list("slug", "short_name", "year", named=True)
    )
)


def _conferences():
    """The filter's conferences, newest first: their slug, year and name, read with SQL
    compiled once (core.statements: building the queryset cost more than the rest of the
    form)."""
    return [
        SimpleNamespace(**row._asdict(), name=Conference.__str__(row))
        for row in FORM_CONFERENCES.rows()
    ]


@require_GET
def suggest_view(request):
    """`/search/suggest?q=hyen`: JSON suggestions, public content only, cacheable briefly."""
    query = request.GET.get("q", "")[:MAX_LENGTH]
    found = suggest(query=query)
    response = JsonResponse(
        {"query": query, "suggestions": [asdict(suggestion) for suggestion in found]}
    )
    patch_cache_control(response, public=True, max_age=SUGGEST_MAX_AGE)
    return response
