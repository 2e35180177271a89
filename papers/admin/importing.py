"""The admin's “Import from OpenReview / arXiv” page (preview, then save) and BibTeX action.

A whole OpenReview venue is imported through papers.venues: a saved file of its notes is
previewed like any file; a venue id is fetched and saved at once (fetching a venue twice, for a
preview and again to save, would double the load on the API), and the per-paper report shown.
Between the preview and the save the payload waits in core.staging under a token the preview
form carries, never in the session.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from core.staging import stage_upload, take_upload
from papers import services, venues
from papers.bibtex_views import bibtex_response
from papers.importers import arxiv, fetch
from papers.importers.records import ImportFailed, read_limited
from papers.models import Conference, Paper
from papers.selectors import papers_for_citation

PAYLOAD_NAME = "payload"
IMPORTERS = {
    "openreview": services.import_openreview,
    "arxiv": services.import_arxiv,
    "bibtex": services.import_bibtex,
}


class PaperImportForm(forms.Form):
    source = forms.ChoiceField(
        choices=[
            ("openreview", "OpenReview (forum id or saved JSON)"),
            ("openreview_venue", "OpenReview venue: every paper (venue id or saved notes)"),
            ("arxiv", "arXiv (id or saved Atom XML)"),
            ("bibtex", "BibTeX (.bib file)"),
        ]
    )
    identifier = forms.CharField(
        required=False,
        max_length=200,
        help_text="An OpenReview forum id (e.g. “0BqyZSWfzo”), an OpenReview venue id (e.g. "
        "“NeurIPS.cc/2023/Conference”; saved at once, and continued where it stopped if cut "
        "short) or an arXiv id (e.g. “2306.15794”).",
    )
    file = forms.FileField(required=False, help_text="Or a file saved from the API.")
    conference = forms.ModelChoiceField(
        Conference.objects.all(),
        required=False,
        help_text="Leave empty to take the conference from the OpenReview venue.",
    )

    def clean(self):
        data = super().clean()
        if bool(data.get("identifier")) == bool(data.get("file")):
            raise forms.ValidationError("Paste an id or upload a file (one of the two).")
        if data.get("identifier") and data.get("source") == "bibtex":
            raise forms.ValidationError("BibTeX imports need a .bib file.")
        if data.get("identifier") and data.get("source") == "openreview_venue":
            try:
                data["identifier"] = venues.normalize_venue_id(data["identifier"])
            except ImportFailed as error:
                raise forms.ValidationError(str(error)) from None
        return data

    def payload(self) -> bytes:
        """The bytes to import: the uploaded file, or the live API's answer for the id."""
        data = self.cleaned_data
        if data["file"]:
            return read_limited(data["file"])
        if data["source"] == "openreview":
            return fetch.fetch_openreview_forum(data["identifier"].strip())
        [body] = fetch.fetch_arxiv([arxiv.normalize_id(data["identifier"])])
        return body


def paper_import_view(model_admin, request):
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": Paper._meta,
        "title": "Import from OpenReview / arXiv",
    }
    if request.method == "POST" and "confirm" in request.POST:
        return _save(model_admin, request)
    form = PaperImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["source"] == "openreview_venue":
            return _venue(request, form, context)
        try:
            payload = form.payload()
            conference = form.cleaned_data["conference"]
            importer = IMPORTERS[form.cleaned_data["source"]]
            report = importer(data=payload, conference=conference, dry_run=True, by=request.user)
        except ImportFailed as error:
            form.add_error(None, str(error))
        else:
            context["token"] = _stage(request, form.cleaned_data["source"], payload, conference)
            context.update(report=report, form=form)
            return TemplateResponse(request, "admin/papers/paper/import_preview.html", context)
    context["form"] = form
    return TemplateResponse(request, "admin/papers/paper/import.html", context)


def _venue(request, form, context):
    """A venue file is previewed (a dry run); a venue id is imported at once."""
    data = form.cleaned_data
    conference = data["conference"]
    try:
        if data["file"]:
            payload = read_limited(data["file"])
            report = venues.import_openreview_venue(
                data=payload, conference=conference, dry_run=True, by=request.user
            )
            context["token"] = _stage(request, "openreview_venue", payload, conference)
        else:
            report = venues.import_openreview_venue(
                venue=data["identifier"], conference=conference, by=request.user
            )
    except ImportFailed as error:
        form.add_error(None, str(error))
        context["form"] = form
        return TemplateResponse(request, "admin/papers/paper/import.html", context)
    context.update(report=report, form=form)
    return TemplateResponse(request, "admin/papers/paper/import_venue.html", context)


def _stage(request, source: str, payload: bytes, conference) -> str:
    data = {"source": source, "conference": conference.pk if conference else None}
    return stage_upload(files=[(PAYLOAD_NAME, payload)], data=data, owner_id=request.user.pk)


def _save(model_admin, request):
    staged = take_upload(token=request.POST.get("token", ""), owner_id=request.user.pk)
    if staged is None or staged.data.get("source") not in {*IMPORTERS, "openreview_venue"}:
        messages.error(request, "Nothing to import: the preview expired. Start again.")
        return redirect("admin:papers_paper_import")
    pending = {
        **staged.data,
        "payload": staged.files[0][1].decode("utf-8", errors="replace"),
    }
    conference = Conference.objects.filter(pk=pending["conference"]).first()
    if pending["source"] == "openreview_venue":
        try:
            report = venues.import_openreview_venue(
                data=pending["payload"], conference=conference, by=request.user
            )
        except ImportFailed as error:
            messages.error(request, str(error))
            return redirect("admin:papers_paper_import")
        context = {
            **model_admin.admin_site.each_context(request),
            "opts": Paper._meta,
            "title": "Venue imported",
            "report": report,
        }
        return TemplateResponse(request, "admin/papers/paper/import_venue.html", context)
    try:
        report = IMPORTERS[pending["source"]](
            data=pending["payload"], conference=conference, by=request.user
        )
    except ImportFailed as error:
        messages.error(request, str(error))
        return redirect("admin:papers_paper_import")
    for line in report.lines():
        messages.success(request, line)
    if len(report.papers) == 1:
        paper = report.papers[0].paper
        return redirect(reverse("admin:papers_paper_change", args=[paper.pk]))
    return redirect("admin:papers_paper_changelist")


@admin.action(description="Download BibTeX of selected papers", permissions=["view"])
def download_bibtex(model_admin, request, queryset):
    return bibtex_response(papers_for_citation(queryset).order_by("title", "pk"), "papers")
