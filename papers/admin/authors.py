"""Authors in the admin, with "Merge selected authors": pick the one to keep, then the service."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from papers.authors import MergeRefused, merge_authors
from papers.models import Author, AuthorRedirect


class AuthorRedirectInline(admin.TabularInline):
    model = AuthorRedirect
    extra = 0
    fields = ["old_slug", "created_at"]
    readonly_fields = ["created_at"]
    verbose_name_plural = "Old addresses (merged authors)"


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "openreview_id", "orcid", "paper_count"]
    search_fields = ["name", "openreview_id", "orcid"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["keynotes_given"]
    inlines = [AuthorRedirectInline]
    actions = ["merge"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(paper_count=Count("authorships"))

    @admin.display(description="Papers", ordering="paper_count")
    def paper_count(self, author):
        return author.paper_count

    @admin.display(description="Keynotes given")
    def keynotes_given(self, author):
        """The keynotes linked to this person (reviews' speaker links), one query."""
        talks = author.keynote_talks.select_related("keynote").order_by("keynote__title")
        items = format_html_join(
            "",
            '<li><a href="{}">{}</a></li>',
            (
                (reverse("admin:reviews_keynote_change", args=[talk.keynote_id]), talk.keynote)
                for talk in (talks if author.pk else [])
            ),
        )
        return format_html("<ul>{}</ul>", items) if items else "—"

    @admin.action(description="Merge selected authors into one", permissions=["change"])
    def merge(self, request, queryset):
        authors = list(queryset.order_by("-paper_count", "pk"))
        if len(authors) < 2:
            self.message_user(request, "Select two or more authors to merge.", messages.WARNING)
            return None
        keep_pk = request.POST.get("keep", "")
        if request.POST.get("confirm") == "yes" and keep_pk.isdigit():
            keep = next((a for a in authors if a.pk == int(keep_pk)), None)
            if keep is None:
                self.message_user(request, "Keep one of the selected authors.", messages.ERROR)
                return None
            try:
                report = merge_authors(keep=keep, others=authors, by=request.user)
            except (MergeRefused, PermissionDenied) as exc:
                self.message_user(request, str(exc), messages.ERROR)
                return None
            self.message_user(
                request,
                f"Merged {', '.join(report.merged)} into {keep.name}: "
                f"{report.authorships_moved} paper(s) moved, {report.keynotes_renamed} "
                "keynote(s) renamed; their old pages redirect here.",
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Merge authors",
            "authors": authors,
            "opts": self.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/papers/author/merge.html", context)
