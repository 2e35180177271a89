from django.db.models import Count
from django.views.generic import ListView
from taggit.models import Tag

from papers.models import Conference, Paper


class ConferenceListView(ListView):
    template_name = "papers/conference_list.html"
    context_object_name = "conferences"

    def get_queryset(self):
        return Conference.objects.annotate(paper_count=Count("papers"))


class PaperListView(ListView):
    """Papers filtered by conference, year, topic and decision (GET parameters)."""

    template_name = "papers/paper_list.html"
    context_object_name = "papers"
    paginate_by = 25
    FILTERS = {
        "conference": "conference__slug",
        "year": "conference__year",
        "topic": "topics__slug",
        "decision": "decision",
    }

    def get_filters(self):
        filters = {}
        for param, lookup in self.FILTERS.items():
            value = self.request.GET.get(param, "").strip()
            if param == "year" and not value.isdigit():
                continue
            if value:
                filters[param] = (lookup, value)
        return filters

    def get_queryset(self):
        lookups = dict(self.get_filters().values())
        return Paper.objects.filter(**lookups).distinct().with_listing_data()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["selected"] = {param: value for param, (_, value) in self.get_filters().items()}
        context["conferences"] = Conference.objects.all()
        context["years"] = (
            Conference.objects.order_by("-year").values_list("year", flat=True).distinct()
        )
        context["topics"] = Tag.objects.filter(papers__isnull=False).distinct().order_by("name")
        context["decisions"] = (
            Paper.objects.exclude(decision="")
            .order_by("decision")
            .values_list("decision", flat=True)
            .distinct()
        )
        query = self.request.GET.copy()
        query.pop("page", None)
        context["filter_query"] = query.urlencode()
        return context
