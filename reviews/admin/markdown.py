"""Curator-facing Markdown tools in the post admin: export actions and the import page."""

import io
import zipfile

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from core.staging import stage_upload, take_upload
from papers.models import Conference
from reviews.markdown.bundle import build_bundle
from reviews.markdown.export import render_post_markdown
from reviews.markdown.importer import MarkdownImportError, MarkdownSource, import_post
from reviews.markdown.parse import MAX_FILE_BYTES
from reviews.selectors import post_with_content

MAX_UPLOAD_BYTES = 50 * 1024 * 1024


def attachment(content: bytes, *, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@admin.action(description="Export as Markdown", permissions=["view"])
def export_markdown(modeladmin, request, queryset):
    posts = list(post_with_content(queryset.order_by("slug")))
    if len(posts) == 1:
        return attachment(
            render_post_markdown(posts[0]).encode(),
            filename=f"{posts[0].slug}.md",
            content_type="text/markdown; charset=utf-8",
        )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for post in posts:
            archive.writestr(f"{post.slug}.md", render_post_markdown(post).encode())
    return attachment(buffer.getvalue(), filename="posts.zip", content_type="application/zip")


@admin.action(description="Export as Jekyll bundle (.zip with images)", permissions=["view"])
def export_jekyll_bundle(modeladmin, request, queryset):
    posts = list(queryset.order_by("slug"))
    filename = f"{posts[0].slug}.zip" if len(posts) == 1 else "jekyll-posts.zip"
    return attachment(build_bundle(posts), filename=filename, content_type="application/zip")


def post_markdown_view(modeladmin):
    """The post as it is stored now, in canonical Markdown, shown in the browser."""

    def view(request, object_id):
        post = modeladmin.get_object(request, object_id)
        if post is None or not modeladmin.has_view_or_change_permission(request, post):
            raise PermissionDenied
        post = post_with_content(type(post).objects.filter(pk=post.pk)).get()
        response = HttpResponse(
            render_post_markdown(post), content_type="text/plain; charset=utf-8"
        )
        response["Content-Disposition"] = f'inline; filename="{post.slug}.md"'
        return response

    return view


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


class MarkdownImportForm(forms.Form):
    files = MultipleFileField(
        help_text="One or more Jekyll posts (.md), or Jekyll bundles (.zip with _posts/ and img/)."
    )
    conference = forms.ModelChoiceField(
        Conference.objects.all(),
        required=False,
        help_text="Leave empty to infer it from each title, e.g. “NeurIPS 2023 …”.",
    )
    update = forms.BooleanField(
        required=False, help_text="Replace the content of posts whose slug already exists."
    )

    def clean_files(self):
        files = self.cleaned_data["files"]
        for upload in files:
            limit = MAX_UPLOAD_BYTES if upload.name.endswith(".zip") else MAX_FILE_BYTES
            if upload.size > limit:
                raise forms.ValidationError(
                    f"{upload.name} is {upload.size:,} bytes; the limit is {limit:,}."
                )
        return files


def run_imports(sources, *, conference, update, dry_run, by):
    """One report or one error per file; each file is its own transaction."""
    results = []
    for source in sources:
        try:
            report = import_post(
                source=source, conference=conference, update=update, dry_run=dry_run, by=by
            )
        except MarkdownImportError as error:
            results.append((source.name, None, str(error)))
        else:
            results.append((source.name, report, ""))
    return results


def import_markdown_view(model_admin, request):
    """Upload, preview (a dry run of every file), confirm: the files wait in core.staging."""
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": "Import Markdown",
    }
    changelist = reverse("admin:reviews_post_changelist")
    if request.method == "POST" and "confirm" in request.POST:
        pending = take_upload(token=request.POST.get("token", ""), owner_id=request.user.pk)
        if pending is None:
            messages.error(request, "This import expired; upload the files again.")
            return redirect("admin:reviews_post_import_markdown")
        sources = [MarkdownSource(name, data) for name, data in pending.files]
        conference = Conference.objects.filter(pk=pending.data["conference"]).first()
        results = run_imports(
            sources,
            conference=conference,
            update=pending.data["update"],
            dry_run=False,
            by=request.user,
        )
        for _name, report, error in results:
            if report:
                messages.success(request, report.summary())
            else:
                messages.error(request, f"Not imported: {error}")
        return redirect(changelist)

    form = MarkdownImportForm(request.POST or None, request.FILES or None)
    if form.is_bound and form.data.get("update") and not model_admin.has_change_permission(request):
        form.add_error("update", "You may add posts but not replace existing ones.")
    if request.method == "POST" and form.is_valid():
        sources = [MarkdownSource(f.name, f.read()) for f in form.cleaned_data["files"]]
        conference = form.cleaned_data["conference"]
        update = form.cleaned_data["update"]
        context["results"] = run_imports(
            sources, conference=conference, update=update, dry_run=True, by=request.user
        )
        context["importable"] = any(report for name, report, error in context["results"])
        if context["importable"]:
            context["token"] = stage_upload(
                files=[(s.name, s.data) for s in sources],
                data={"conference": conference.pk if conference else None, "update": update},
                owner_id=request.user.pk,
            )
        return TemplateResponse(request, "admin/reviews/post/import_markdown.html", context)
    context["form"] = form
    return TemplateResponse(request, "admin/reviews/post/import_markdown.html", context)
