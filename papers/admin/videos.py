"""The queue of videos readers suggested: filter by state, approve or reject through the service."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.utils.html import format_html

from core.fields import is_safe_url
from papers import videos as video_services
from papers.models import PaperVideo


class VideoQueueAdmin(admin.ModelAdmin):
    """Shared by paper and keynote videos; subclasses name the `target_field`."""

    target_field = ""
    list_display = ["title", "target_link", "address", "host", "suggested_by", "state"]
    list_filter = ["state"]
    search_fields = ["title", "url", "suggested_by"]
    readonly_fields = ["state", "submitted_at", "reviewed_at", "reviewed_by"]
    actions = ["approve", "reject"]
    date_hierarchy = "submitted_at"

    def get_list_select_related(self, request):
        return [self.target_field]

    def get_list_display(self, request):
        return [*self.list_display, "submitted_at"]

    @admin.display(description="For")
    def target_link(self, video):
        target = getattr(video, self.target_field)
        return format_html('<a href="{}">{}</a>', target.get_absolute_url(), target)

    @admin.display(description="Address")
    def address(self, video):
        if not is_safe_url(video.url, allow_site_relative=False):
            return video.url
        return format_html('<a href="{}" rel="noopener noreferrer">{}</a>', video.url, video.url)

    @admin.display(description="Host")
    def host(self, video):
        return video.hosted.label if video.hosted else "Link only"

    @admin.action(
        description="Approve the selected videos (shown on the site)", permissions=["change"]
    )
    def approve(self, request, queryset):
        self._review(request, video_services.approve_videos, queryset, "approved")

    @admin.action(description="Reject the selected videos", permissions=["change"])
    def reject(self, request, queryset):
        self._review(request, video_services.reject_videos, queryset, "rejected")

    def _review(self, request, service, queryset, verb):
        try:
            count = service(videos=queryset, by=request.user)
        except PermissionDenied as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return
        self.message_user(request, f"{count} video(s) {verb}.")


@admin.register(PaperVideo)
class PaperVideoAdmin(VideoQueueAdmin):
    target_field = "paper"
    autocomplete_fields = ["paper"]
    search_fields = [*VideoQueueAdmin.search_fields, "paper__title"]
