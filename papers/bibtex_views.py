"""Citation download responses (BibTeX, RIS, CSL-JSON); the public views that use them live in
reviews.bibtex_views."""

import json

from django.http import HttpResponse

from papers.citations import csl_items, render_ris
from papers.importers.bibtex import render_bibtex


def bibtex_response(papers, filename) -> HttpResponse:
    response = HttpResponse(
        render_bibtex(papers), content_type="application/x-bibtex; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.bib"'
    return response


def ris_response(papers, filename) -> HttpResponse:
    response = HttpResponse(
        render_ris(papers), content_type="application/x-research-info-systems; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.ris"'
    return response


def csl_json_response(papers, filename) -> HttpResponse:
    text = json.dumps(csl_items(papers), ensure_ascii=False, indent=2) + "\n"
    response = HttpResponse(text, content_type="application/vnd.citationstyles.csl+json")
    response["Content-Disposition"] = f'attachment; filename="{filename}.json"'
    return response
