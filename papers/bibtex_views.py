"""BibTeX downloads: one paper, or every paper of a conference."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.views import View

from papers.importers.bibtex import render_bibtex
from papers.models import Conference, Paper
from papers.selectors import papers_for_citation


def bibtex_response(papers, filename) -> HttpResponse:
    response = HttpResponse(
        render_bibtex(papers), content_type="application/x-bibtex; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.bib"'
    return response


class PaperBibtexView(View):
    def get(self, request, slug):
        paper = get_object_or_404(papers_for_citation(), slug=slug)
        return bibtex_response([paper], paper.slug)


class ConferenceBibtexView(View):
    def get(self, request, slug):
        conference = get_object_or_404(Conference, slug=slug)
        papers = papers_for_citation(Paper.objects.for_conference(conference)).order_by(
            "title", "pk"
        )
        return bibtex_response(papers, conference.slug)
