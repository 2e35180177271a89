"""BibTeX downloads of a post's papers, one paper, or a conference's papers; a paper's RIS and
CSL-JSON beside its BibTeX.

Readers get public records only (reviews.visibility); staff also get drafts, never cached.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.cache import add_never_cache_headers
from django.views import View

from papers.bibtex_views import bibtex_response, csl_json_response, ris_response
from papers.models import Paper
from papers.selectors import papers_for_citation
from reviews.models import Entry
from reviews.visibility import (
    public_conferences,
    public_papers,
    visible_conferences,
    visible_papers,
    visible_posts,
)


class PostBibtexView(View):
    def get(self, request, slug):
        try:
            post = get_object_or_404(visible_posts(request.user), slug=slug)
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


class PaperBibtexView(View):
    def get(self, request, slug):
        paper = get_object_or_404(papers_for_citation(visible_papers(request.user)), slug=slug)
        response = bibtex_response([paper], paper.slug)
        if request.user.is_staff and not public_papers().filter(pk=paper.pk).exists():
            add_never_cache_headers(response)
        return response


class PaperCitationView(View):
    """A paper's citation in one format (`respond`: papers, filename -> response)."""

    respond = None

    def get(self, request, slug):
        paper = get_object_or_404(
            papers_for_citation(visible_papers(request.user)).prefetch_related("topics"),
            slug=slug,
        )
        response = type(self).respond([paper], paper.slug)
        if request.user.is_staff and not public_papers().filter(pk=paper.pk).exists():
            add_never_cache_headers(response)
        return response


class PaperRisView(PaperCitationView):
    respond = ris_response


class PaperCslJsonView(PaperCitationView):
    respond = csl_json_response


class ConferenceBibtexView(View):
    def get(self, request, slug):
        conference = get_object_or_404(visible_conferences(request.user), slug=slug)
        papers = papers_for_citation(
            visible_papers(request.user).for_conference(conference)
        ).order_by("title", "pk")
        response = bibtex_response(papers, conference.slug)
        if request.user.is_staff and not public_conferences().filter(pk=conference.pk).exists():
            add_never_cache_headers(response)
        return response
