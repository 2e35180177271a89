from django.http import Http404, HttpResponse
from django.utils.cache import add_never_cache_headers
from django.views.generic import DetailView, ListView

from .markdown_export import render_post_markdown
from .models import Post
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
