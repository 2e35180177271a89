"""The papers of a post as BibTeX: published posts for everyone, drafts for staff only."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.cache import add_never_cache_headers
from django.views import View

from papers.bibtex_views import bibtex_response
from papers.models import Paper
from papers.selectors import papers_for_citation
from reviews.models import Entry, Post


class PostBibtexView(View):
    def get(self, request, slug):
        posts = Post.objects.all() if request.user.is_staff else Post.objects.published()
        try:
            post = get_object_or_404(posts, slug=slug)
        except Http404:
            raise Http404("No published post at this address.") from None
        paper_ids = list(
            Entry.objects.filter(section__post=post, paper__isnull=False)
            .order_by("section__order", "order")
            .values_list("paper_id", flat=True)
        )
        by_id = papers_for_citation(Paper.objects.filter(pk__in=paper_ids)).in_bulk()
        papers = [by_id[pk] for pk in dict.fromkeys(paper_ids)]
        response = bibtex_response(papers, post.slug)
        if not post.is_public:
            add_never_cache_headers(response)
        return response
