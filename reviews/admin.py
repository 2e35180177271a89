import nested_admin
from django.contrib import admin, messages
from django.utils.html import format_html

from .admin_workflow import PostPartMixin, PostWorkflowMixin, report_bulk_publish
from .models import Entry, GalleryImage, Keynote, Post, Section
from .services import publish_posts, unpublish_posts


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


class GalleryImageInline(nested_admin.NestedTabularInline):
    model = GalleryImage
    extra = 0
    sortable_field_name = "order"
    fields = ["preview", "image", "external_url", "alt_text", "caption", "order"]
    readonly_fields = ["preview"]

    @admin.display(description="Preview")
    def preview(self, obj):
        return thumbnail(obj.src, obj.alt_text)


class EntryInline(nested_admin.NestedStackedInline):
    model = Entry
    extra = 0
    sortable_field_name = "order"
    autocomplete_fields = ["paper", "keynote"]
    fields = [
        "kind",
        ("paper", "keynote"),
        "heading",
        "summary",
        ("link_url", "link_label"),
        "order",
    ]
    inlines = [GalleryImageInline]


class SectionInline(nested_admin.NestedStackedInline):
    model = Section
    extra = 0
    sortable_field_name = "order"
    fields = ["title", "order"]
    inlines = [EntryInline]


@admin.register(Post)
class PostAdmin(PostWorkflowMixin, nested_admin.NestedModelAdmin):
    list_display = ["title", "conference", "state", "published_at", "cover", "updated_at"]
    list_filter = ["status", "conference", "tags"]
    list_select_related = ["conference"]
    search_fields = ["title", "subtitle", "intro", "author_name"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["conference"]
    date_hierarchy = "published_at"
    actions = ["publish", "unpublish"]
    inlines = [SectionInline]
    fieldsets = [
        (None, {"fields": ["title", "subtitle", "slug", "conference", "author_name", "tags"]}),
        ("Publishing", {"fields": ["status", "published_at", "comments"]}),
        ("Images and links", {"fields": ["cover_image", "cover_image_url", "social_url"]}),
        ("Text", {"fields": ["intro", "conclusion", "disclaimer", "reading_time"]}),
    ]

    @admin.display(description="Cover")
    def cover(self, obj):
        src = obj.cover_image.url if obj.cover_image else obj.cover_image_url
        return thumbnail(src, f"Cover of {obj.title}", size=60)

    @admin.action(description="Publish selected posts", permissions=["publish"])
    def publish(self, request, queryset):
        report_bulk_publish(self, request, publish_posts(posts=queryset, by=request.user))

    @admin.action(description="Unpublish selected posts", permissions=["publish"])
    def unpublish(self, request, queryset):
        count = unpublish_posts(posts=queryset, by=request.user)
        self.message_user(request, f"Unpublished {count} post(s).", messages.SUCCESS)


@admin.register(Keynote)
class KeynoteAdmin(admin.ModelAdmin):
    list_display = ["title", "speaker", "affiliation", "conference"]
    list_filter = ["conference"]
    list_select_related = ["conference"]
    search_fields = ["title", "speaker", "affiliation"]
    autocomplete_fields = ["conference"]


@admin.register(Entry)
class EntryAdmin(PostPartMixin, nested_admin.NestedModelAdmin):
    """Entries are edited inside their post; this page exists for search and bulk review."""

    def post_of(self, obj):
        return obj.section.post

    list_display = ["__str__", "kind", "section", "post_title"]
    list_filter = ["kind", "section__post__status"]
    list_select_related = ["section__post", "paper", "keynote"]
    search_fields = ["heading", "summary", "paper__title", "keynote__title"]
    autocomplete_fields = ["paper", "keynote", "section"]
    inlines = [GalleryImageInline]

    @admin.display(description="Post", ordering="section__post__title")
    def post_title(self, obj):
        return obj.section.post.title


@admin.register(Section)
class SectionAdmin(PostPartMixin, admin.ModelAdmin):
    def post_of(self, obj):
        return obj.post

    list_display = ["title", "post", "order"]
    list_select_related = ["post"]
    search_fields = ["title", "post__title"]
    autocomplete_fields = ["post"]
