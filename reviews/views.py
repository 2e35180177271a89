from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.cache import add_never_cache_headers
from django.views.generic import DetailView, ListView, TemplateView

from papers.models import Conference, Paper
from papers.selectors import paper_with_reviews, review_summary
from reviews import structured_data
from reviews.markdown.export import render_post_markdown
from reviews.models import Post
from reviews.selectors import post_listing, post_with_content, published_posts_featuring, tag_cloud
from reviews.workflow.rules import can_preview_post
from search.query import KINDS, search


class PublishedPostMixin:
    """Published posts for everyone; a draft only for those who may change it (never cached)."""

    def get_queryset(self):
        if self.request.user.is_staff:
            return post_with_content()
        return post_with_content(Post.objects.published())

    def get_object(self, queryset=None):
        post = super().get_object(queryset)
        if not can_preview_post(self.request.user, post):
            raise Http404("No published post at this address.")
        return post

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        if not self.object.is_public:
            add_never_cache_headers(response)
        return response


class PostListView(ListView):
    """The home page: latest posts, the conferences and the tag cloud."""

    template_name = "reviews/post_list.html"
    context_object_name = "posts"
    paginate_by = 10

    def get_queryset(self):
        return post_listing()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["conferences"] = Conference.objects.all()
        context["tags"] = tag_cloud()
        return context


class PostDetailView(PublishedPostMixin, DetailView):
    template_name = "reviews/post_detail.html"
    context_object_name = "post"

    def get_object(self, queryset=None):
        try:
            return super().get_object(queryset)
        except Http404:
            raise Http404("No published post at this address.") from None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        post = self.object
        sections = list(post.sections.all())
        summaries = [e.summary for s in sections for e in s.entries.all()]
        context["sections"] = sections
        context["reading_time"] = post.reading_time or post.compute_reading_time(summaries)
        context["jsonld"] = structured_data.blog_posting(post)
        if post.is_public:
            published = Post.objects.published().only("title", "slug", "published_at")
            context["previous_post"] = (
                published.filter(published_at__lt=post.published_at).order_by("-published_at")
            ).first()
            context["next_post"] = (
                published.filter(published_at__gt=post.published_at).order_by("published_at")
            ).first()
        return context


class ConferenceDetailView(DetailView):
    model = Conference
    template_name = "papers/conference_detail.html"
    context_object_name = "conference"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["posts"] = post_listing(Post.objects.published().for_conference(self.object))
        context["papers"] = Paper.objects.for_conference(self.object).with_listing_data()
        context["keynotes"] = self.object.keynotes.all()
        return context


class PaperDetailView(DetailView):
    template_name = "papers/paper_detail.html"
    context_object_name = "paper"

    def get_queryset(self):
        return paper_with_reviews()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        links = list(self.object.links.all())
        context["videos"] = [link for link in links if link.kind == link.Kind.VIDEO]
        context["links"] = [link for link in links if link.kind != link.Kind.VIDEO]
        context["featured_in"] = post_listing(published_posts_featuring(self.object))
        context["reviews"] = review_summary(self.object)
        return context


class TagListView(ListView):
    template_name = "reviews/tag_list.html"
    context_object_name = "tags"

    def get_queryset(self):
        return tag_cloud()


class TagDetailView(TemplateView):
    """Public posts and papers with a tag; the slug matches case-insensitively.

    A tag used only by drafts is a 404: its name alone would leak the draft.
    """

    template_name = "reviews/tag_detail.html"

    def get(self, request, *args, **kwargs):
        self.tag = get_object_or_404(tag_cloud(), slug__iexact=kwargs["slug"])
        if self.tag.slug != kwargs["slug"]:
            return redirect("reviews:tag-detail", slug=self.tag.slug, permanent=True)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["tag"] = self.tag
        context["posts"] = post_listing(Post.objects.published().tagged(self.tag))
        context["papers"] = Paper.objects.filter(topics=self.tag).with_listing_data()
        return context


class RobotsView(TemplateView):
    template_name = "robots.txt"
    content_type = "text/plain; charset=utf-8"


class PostMarkdownView(PublishedPostMixin, DetailView):
    """The post as Jekyll Markdown; drafts only for staff, never cached."""

    def render_to_response(self, context, **kwargs):
        response = HttpResponse(
            render_post_markdown(self.object), content_type="text/markdown; charset=utf-8"
        )
        response["Content-Disposition"] = f'inline; filename="{self.object.slug}.md"'
        if not self.object.is_public:
            add_never_cache_headers(response)
        return response

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
