from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.http import JsonResponse
from django.urls import path, reverse
from django.views.decorators.http import require_POST
from taggit.models import Tag

from core.autosave_admin import autosave_context, autosave_response
from core.versioned_admin import VersionedAdminMixin
from papers import autosave, services
from papers.admin.excerpts import PeerReviewExcerptInline, reorder_url, reorder_view
from papers.admin.forms import ExistingTagsField, PaperAdminForm
from papers.admin.importing import download_bibtex, paper_import_view
from papers.models import Authorship, Conference, Paper, PaperLink, PeerReviewExcerpt
from search import text as text_search


@admin.register(Conference)
class ConferenceAdmin(admin.ModelAdmin):
    list_display = ["__str__", "full_name", "location", "start_date", "end_date", "listed"]
    list_filter = ["listed", "year", "short_name"]
    search_fields = ["short_name", "full_name", "slug", "location"]
    prepopulated_fields = {"slug": ["short_name", "year"]}


class AuthorshipInline(admin.TabularInline):
    model = Authorship
    extra = 0
    autocomplete_fields = ["author"]
    fields = ["author", "affiliation", "order"]


class PaperLinkInline(admin.TabularInline):
    model = PaperLink
    extra = 0
    fields = ["kind", "url", "title", "order"]


@admin.register(Paper)
class PaperAdmin(VersionedAdminMixin, admin.ModelAdmin):
    list_display = ["title", "conference", "outcome", "decision", "listed", "updated_at"]
    list_filter = ["listed", "outcome", "conference", "topics"]
    list_select_related = ["conference"]
    search_fields = ["title", "abstract", "tldr", "authorships__author__name"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["conference"]
    inlines = [AuthorshipInline, PaperLinkInline, PeerReviewExcerptInline]
    actions = [download_bibtex]
    form = PaperAdminForm

    class Media:
        css = {"all": ["css/admin-editor.css", "css/admin-drafts.css"]}
        js = ["js/admin-lines-editor.js", "js/admin-inline-order.js", "js/autosave.js"]

    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "slug",
                    "conference",
                    ("outcome", "decision"),
                    ("topics", "new_topics"),
                ]
            },
        ),
        ("Content", {"fields": ["tldr", "contribution", "findings", "abstract"]}),
        (
            "Sources",
            {
                "classes": ["collapse"],
                "fields": [
                    "venue",
                    "primary_area",
                    ("openreview_id", "arxiv_id", "arxiv_version"),
                    ("doi", "primary_category", "publication_date"),
                    "comment",
                    "bibtex",
                ],
            },
        ),
    ]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "topics":
            return ExistingTagsField(
                queryset=Tag.objects.order_by("name"),
                required=False,
                widget=AutocompleteSelectMultiple(db_field, self.admin_site),
                help_text="Start typing to find an existing topic.",
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def save_through_service(self, request, form, formsets, change, save_children):
        services.save_paper(
            paper=form.instance,
            by=request.user,
            expected_version=form.cleaned_data.get("version"),
            save_children=save_children,
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        paper = self.get_object(request, unquote(object_id))
        if paper is not None and self.has_change_permission(request, paper):
            saved = autosave.pending_paper_autosave(paper=paper, by=request.user)
            extra_context = {
                **(extra_context or {}),
                "excerpt_reorder_url": reorder_url(paper),
                **autosave_context(
                    url=reverse("admin:papers_paper_autosave", args=[paper.pk]),
                    saved=saved,
                    saved_version=saved.paper_version if saved else None,
                    current_version=paper.version,
                    form_id="paper_form",
                    what="paper",
                ),
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def autosave_view(self, request, object_id):
        paper = self.get_object(request, unquote(object_id))
        if paper is None:
            return JsonResponse({"error": "No paper with this id."}, status=404)
        return autosave_response(
            request,
            keep=lambda *, form_data, version: autosave.autosave_paper_edits(
                paper=paper, by=request.user, form_data=form_data, paper_version=version
            ),
            discard=lambda: autosave.discard_paper_autosave(paper=paper, by=request.user),
        )

    def get_urls(self):
        wrap = self.admin_site.admin_view
        view = wrap(lambda request: paper_import_view(self, request))
        return [
            path("import/", view, name="papers_paper_import"),
            path(
                "<path:object_id>/excerpts/reorder/",
                wrap(reorder_view(self)),
                name="papers_paper_reorder_excerpts",
            ),
            path(
                "<path:object_id>/autosave/",
                wrap(require_POST(self.autosave_view)),
                name="papers_paper_autosave",
            ),
            *super().get_urls(),
        ]

    def get_search_results(self, request, queryset, search_term):
        """The site search's matching: weighted full text on PostgreSQL, words on SQLite."""
        cleaned = text_search.clean_query(search_term)
        if not cleaned:
            return queryset, False
        return text_search.matching(queryset, text=cleaned.text, fields=self.search_fields), False


@admin.register(PeerReviewExcerpt)
class PeerReviewExcerptAdmin(admin.ModelAdmin):
    list_display = ["__str__", "source_kind", "field", "rating", "featured", "hidden", "order"]
    list_filter = ["source_kind", "featured", "hidden"]
    list_editable = ["featured", "hidden"]
    list_select_related = ["paper"]
    search_fields = ["text", "paper__title", "reviewer_label"]
    autocomplete_fields = ["paper"]
    actions = ["hide_reviews", "show_reviews"]

    @admin.action(description="Hide the whole reviews of the selected excerpts")
    def hide_reviews(self, request, queryset):
        count = services.set_reviews_hidden(excerpts=list(queryset), hidden=True, by=request.user)
        self.message_user(request, f"{count} excerpt(s) hidden.")

    @admin.action(description="Show the whole reviews of the selected excerpts again")
    def show_reviews(self, request, queryset):
        count = services.set_reviews_hidden(excerpts=list(queryset), hidden=False, by=request.user)
        self.message_user(request, f"{count} excerpt(s) shown again.")
