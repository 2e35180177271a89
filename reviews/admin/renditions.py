"""Per-image rendition state on the entry page (waiting, ready, failed) and a retry."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.html import format_html

from reviews.media import pipeline
from reviews.media.renditions import FAILED, READY, WAITING, state
from reviews.models import GalleryImage
from reviews.workflow.rules import can_edit_post

LABELS = {WAITING: "Waiting", READY: "Ready", FAILED: "Failed"}


@admin.display(description="Renditions")
def rendition_state(obj):
    """A small badge; a failed image names the problem and offers a retry."""
    if obj is None or not obj.pk or not obj.image:
        return "—"
    current = state(obj.renditions or {}) or WAITING
    badge = format_html(
        '<span class="rendition-state rendition-{}">{}</span>', current, LABELS[current]
    )
    if current != FAILED:
        return badge
    url = reverse("admin:reviews_galleryimage_retry_renditions", args=[obj.pk])
    return format_html(
        '{} <span class="rendition-error">{}</span> <button type="submit" class="button"'
        ' formaction="{}" formmethod="post" formnovalidate'
        ' title="Unsaved changes on this page are not kept">Retry</button>',
        badge,
        (obj.renditions or {}).get("error", ""),
        url,
    )


class RenditionRetryMixin:
    """For PostAdmin: POST <image>/retry-renditions/ queues an image's renditions again."""

    def get_urls(self):
        view = self.admin_site.admin_view(self.retry_renditions_view)
        return [
            path(
                "renditions/<int:image_id>/retry/",
                view,
                name="reviews_galleryimage_retry_renditions",
            ),
            *super().get_urls(),
        ]

    def retry_renditions_view(self, request, image_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        image = (
            GalleryImage.objects.select_related("entry__section__post").filter(pk=image_id).first()
        )
        if image is None:
            raise Http404("No image with this id.")
        post = image.entry.section.post
        if not can_edit_post(request.user, post):
            raise PermissionDenied
        pipeline.retry(image)
        self.message_user(request, f"Renditions of “{image}” are queued again.", messages.SUCCESS)
        return redirect("admin:reviews_entry_change", image.entry_id)
