"""The BibTeX download response; the public views that use it live in reviews.bibtex_views."""

from django.http import HttpResponse

from papers.importers.bibtex import render_bibtex


def bibtex_response(papers, filename) -> HttpResponse:
    response = HttpResponse(
        render_bibtex(papers), content_type="application/x-bibtex; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.bib"'
    return response
