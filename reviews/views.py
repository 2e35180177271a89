from django.http import Http404
from django.utils.cache import add_never_cache_headers
from django.views.generic import DetailView, ListView, TemplateView

from papers.models import Conference

from .models import Post
from .search import KINDS, search
from .selectors import post_listing, post_with_content


class PublishedPostMixin:
    """Published posts for everyone; staff may preview drafts, which are never cached."""

    def get_queryset(self):
        if self.request.user.is_staff:
            return post_with_content()
        return post_with_content(Post.objects.published())

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        if not self.object.is_public:
            add_never_cache_headers(response)
        return response


class PostListView(ListView):
    template_name = "reviews/post_list.html"
    context_object_name = "posts"
    paginate_by = 10

    def get_queryset(self):
        return post_listing()


class PostDetailView(PublishedPostMixin, DetailView):
    template_name = "reviews/post_detail.html"
    context_object_name = "post"

    def get_object(self, queryset=None):
        try:
            return super().get_object(queryset)
        except Http404:
            raise Http404("No published post at this address.") from None


class SearchView(TemplateView):
    """`/search/?q=...&type=paper&conference=neurips-2023&year=2023&tag=genomics&page=2`."""

    template_name = "reviews/search.html"

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
        conferences = list(Conference.objects.order_by("-year", "short_name"))
        return super().get_context_data(
            results=results,
            search_text=param("q", 200),
            kind=kind,
            filters={key: param(key) for key in ("conference", "year", "tag")},
            conferences=conferences,
            years=sorted({c.year for c in conferences}, reverse=True),
            **kwargs,
        )
