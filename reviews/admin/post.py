from functools import partial

from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.db import models
from django.urls import path, reverse
from django.utils.html import format_html
from taggit.models import Tag

from papers.admin.forms import ExistingTagsField
from reviews.admin.drafts import DraftsAdminMixin
from reviews.admin.forms import (
    EntryAdminForm,
    GalleryImageForm,
    GalleryImageFormSet,
    PostAdminForm,
    SafeImageField,
)
from reviews.admin.galleries import GalleryUploadMixin
from reviews.admin.markdown import (
    export_jekyll_bundle,
    export_markdown,
    import_markdown_view,
    post_markdown_view,
)
from reviews.admin.outline import image_move_buttons, outline_context, reorder_view
from reviews.admin.parts import EntryPageMixin, PartPageMixin
from reviews.admin.preview import preview_view
from reviews.admin.renditions import RenditionRetryMixin, rendition_state
from reviews.admin.workflow import PostPartMixin, PostWorkflowMixin, report_bulk_publish
from reviews.media.renditions import thumbnail_url
from reviews.models import Entry, GalleryImage, Post, Section
from reviews.workflow import editing
from reviews.workflow.bulk import publish_posts, unpublish_posts
from search import text as text_search


def thumbnail(src, alt="", size=80):
    if not src:
        return "—"
    return format_html(
        '<img src="{}" alt="{}" loading="lazy" style="max-width:{}px;max-height:{}px">',
        src,
        alt,
        size,
        size,
    )


class GalleryImageInline(admin.TabularInline):
    """The entry's gallery; the order is changed by the move buttons or a drag (saved at once
    through the outline's reorder endpoint), never by the formset."""

    model = GalleryImage
    form = GalleryImageForm
    formset = GalleryImageFormSet
    extra = 0
    fields = ["preview", "image", "renditions_state", "external_url", "alt_text", "caption", "move"]
    readonly_fields = ["preview", "renditions_state", "move"]
    formfield_overrides = {models.ImageField: {"form_class": SafeImageField}}
    renditions_state = staticmethod(rendition_state)

    class Media:
        css = {"all": ["css/admin-renditions.css"]}

    @admin.display(description="Preview")
    def preview(self, obj):
        return thumbnail(thumbnail_url(obj.src, obj.renditions), obj.alt_text)

    @admin.display(description="Order")
    def move(self, obj):
        return image_move_buttons(obj)


@admin.register(Post)
class PostAdmin(DraftsAdminMixin, RenditionRetryMixin, PostWorkflowMixin, admin.ModelAdmin):
    list_display = ["title", "conference", "state", "published_at", "cover", "updated_at"]
    list_filter = ["status", "conference", "tags"]
    list_select_related = ["conference"]
    search_fields = ["title", "subtitle", "intro", "author_name"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["conference"]
    date_hierarchy = "published_at"
    actions = ["publish", "unpublish", export_markdown, export_jekyll_bundle]
    formfield_overrides = {models.ImageField: {"form_class": SafeImageField}}
    form = PostAdminForm
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "subtitle",
                    "slug",
                    "conference",
                    "author_name",
                    "tags",
                    "new_tags",
                ]
            },
        ),
        ("Publishing", {"fields": ["status", "published_at", "comments"]}),
        ("Images and links", {"fields": ["cover_image", "cover_image_url", "social_url"]}),
        ("Text", {"fields": ["intro", "conclusion", "disclaimer", "reading_time"]}),
        ("Markdown export", {"fields": ["markdown_toc", "front_matter"], "classes": ["collapse"]}),
    ]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "tags":
            return ExistingTagsField(
                queryset=Tag.objects.order_by("name"),
                required=False,
                widget=AutocompleteSelectMultiple(db_field, self.admin_site),
                help_text="Start typing to find an existing tag.",
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "import-markdown/",
                wrap(partial(import_markdown_view, self)),
                name="reviews_post_import_markdown",
            ),
            path(
                "<path:object_id>/outline/reorder/",
                wrap(reorder_view(self)),
                name="reviews_post_reorder",
            ),
            path(
                "<path:object_id>/preview/",
                wrap(preview_view(self)),
                name="reviews_post_preview",
            ),
            path(
                "<path:object_id>/markdown/",
                wrap(post_markdown_view(self)),
                name="reviews_post_markdown",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The post's own fields, then the outline of its parts: no part's fields are sent."""
        extra_context = extra_context or {}
        obj = self.get_object(request, object_id)
        if obj is not None:
            editable = self.has_change_permission(request, obj)
            extra_context.update(outline_context(obj, editable=editable))
            extra_context["markdown_url"] = reverse("admin:reviews_post_markdown", args=[obj.pk])
            extra_context["preview_url"] = reverse("admin:reviews_post_preview", args=[obj.pk])
        return super().change_view(request, object_id, form_url, extra_context)

    def get_search_results(self, request, queryset, search_term):
        """The site search's matching (drafts included: this is the curators' view)."""
        cleaned = text_search.clean_query(search_term)
        if not cleaned:
            return queryset, False
        return text_search.matching(queryset, text=cleaned.text, fields=self.search_fields), False

    @admin.display(description="Cover")
    def cover(self, obj):
        src = obj.cover_image.url if obj.cover_image else obj.cover_image_url
        return thumbnail(thumbnail_url(src, obj.cover_renditions), f"Cover of {obj.title}", 60)

    @admin.action(description="Publish selected posts", permissions=["publish"])
    def publish(self, request, queryset):
        report_bulk_publish(self, request, publish_posts(posts=queryset, by=request.user))

    @admin.action(description="Unpublish selected posts", permissions=["publish"])
    def unpublish(self, request, queryset):
        count = unpublish_posts(posts=queryset, by=request.user)
        self.message_user(request, f"Unpublished {count} post(s).", messages.SUCCESS)


@admin.register(Entry)
class EntryAdmin(EntryPageMixin, PostPartMixin, GalleryUploadMixin, admin.ModelAdmin):
    """One entry on its own page, opened from its post's outline."""

    save_service = staticmethod(editing.save_entry)
    delete_service = staticmethod(editing.delete_entry)
    form = EntryAdminForm
    list_display = ["__str__", "kind", "section", "post_title", "gallery"]
    list_filter = ["kind", "section__post__status"]
    list_select_related = ["section__post", "paper", "keynote"]
    search_fields = ["heading", "summary", "paper__title", "keynote__title"]
    autocomplete_fields = ["paper", "keynote", "section"]
    inlines = [GalleryImageInline]
    fieldsets = [
        (None, {"fields": ["section", "kind"]}),
        (
            "What the entry is about",
            {
                "fields": [
                    "keynote",
                    ("new_keynote_title", "new_keynote_speaker"),
                    "paper",
                    "new_paper_title",
                ]
            },
        ),
        (
            None,
            {"fields": ["heading", "summary", ("link_url", "link_label")]},
        ),
        ("Slides", {"fields": ["slides", "slide_alt_prefix"]}),
        (
            "Markdown export",
            {"fields": [("keep_empty_gallery", "heading_blank_line")], "classes": ["collapse"]},
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("images")

    @admin.display(description="Post", ordering="section__post__title")
    def post_title(self, obj):
        return obj.section.post.title

    @admin.display(description="Gallery")
    def gallery(self, obj):
        images = list(obj.images.all())
        if not images:
            return "—"
        first = images[0]
        preview = thumbnail(thumbnail_url(first.src, first.renditions), first.alt_text, size=60)
        return format_html("{} {}", preview, f"{len(images)} image(s)")


@admin.register(Section)
class SectionAdmin(PartPageMixin, PostPartMixin, admin.ModelAdmin):
    save_service = staticmethod(editing.save_section)
    delete_service = staticmethod(editing.delete_section)
    list_display = ["title", "post", "order"]
    list_select_related = ["post"]
    search_fields = ["title", "post__title"]
    autocomplete_fields = ["post"]
    fields = ["post", "title", "body", ("link_url", "link_label")]
