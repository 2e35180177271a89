"""The admin page “Add images to this entry”: many files in one go, validated all or nothing."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from reviews.admin.forms import GalleryUploadForm
from reviews.media.galleries import add_gallery_images
from reviews.workflow.rules import can_add_gallery_images


@admin.display(description="Gallery upload")
def add_images_link(obj):
    if not obj or not obj.pk:
        return "Save the entry first, then add several images at once."
    url = reverse("admin:reviews_entry_add_images", args=[obj.pk])
    return format_html('<a class="button" href="{}">Add images to this entry</a>', url)


class GalleryUploadMixin:
    """For EntryAdmin: a multi-file upload page at <entry>/add-images/."""

    def get_urls(self):
        view = self.admin_site.admin_view(self.add_images_view)
        return [
            path("<path:object_id>/add-images/", view, name="reviews_entry_add_images"),
            *super().get_urls(),
        ]

    def add_images_view(self, request, object_id):
        entry = self.get_object(request, unquote(object_id))
        if entry is None:
            raise Http404("No entry with this id.")
        if not can_add_gallery_images(request.user, entry=entry):
            raise PermissionDenied
        if request.method == "POST":
            form = GalleryUploadForm(request.POST, request.FILES)
            if form.is_valid():
                added = add_gallery_images(
                    entry=entry,
                    images=form.cleaned_data["images"],
                    alt_prefix=form.cleaned_data["alt_text"],
                )
                self.message_user(
                    request, f"Added {len(added)} image(s) to “{entry}”.", messages.SUCCESS
                )
                return redirect("admin:reviews_post_change", entry.section.post_id)
        else:
            form = GalleryUploadForm()
        context = {
            **self.admin_site.each_context(request),
            "title": f"Add images to “{entry}”",
            "opts": self.model._meta,
            "entry": entry,
            "post": entry.section.post,
            "form": form,
        }
        return TemplateResponse(request, "admin/reviews/entry/add_images.html", context)
