"""The site search page: one results page over every public kind, with facets and filters."""

from django.views.generic import TemplateView

from reviews.visibility import public_conferences
from search.query import KINDS, search


class SearchView(TemplateView):
    """`/search/?q=...&type=paper&conference=neurips-2023&year=2023&tag=genomics&page=2`."""

    template_name = "search/search.html"

    def get_context_data(self, **kwargs):
        def param(name, limit=100):
            return self.request.GET.get(name, "").replace("\x00", "")[:limit].strip()

        kind = param("type") if param("type") in KINDS else None
        year, page = param("year"), param("page", 6)
        results = search(
            query=self.request.GET.get("q", ""),
            kind=kind,
            conference=param("conference") or None,
            year=int(year) if year.isdigit() and len(year) == 4 else None,
            tag=param("tag") or None,
            page=int(page) if page.isdigit() else 1,
        )
        conferences = list(public_conferences().order_by("-year", "short_name"))
        return super().get_context_data(
            results=results,
            search_text=param("q", 200),
            kind=kind,
            filters={key: param(key) for key in ("conference", "year", "tag")},
            conferences=conferences,
            years=sorted({c.year for c in conferences}, reverse=True),
            **kwargs,
        )
