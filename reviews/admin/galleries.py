"""The admin page “Add images to this entry”: many files in one go, validated all or nothing."""

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path

from reviews.admin.forms import GalleryUploadForm
from reviews.admin.parts import live_part_redirect
from reviews.media.galleries import add_gallery_images, slide_alt_texts
from reviews.media.images import clean_image
from reviews.workflow.rules import can_add_gallery_images


class GalleryUploadMixin:
    """For EntryAdmin: a multi-file upload page at <entry>/add-images/."""

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("check-image/", wrap(self.check_image_view), name="reviews_entry_check_image"),
            path(
                "<path:object_id>/add-images/",
                wrap(self.add_images_view),
                name="reviews_entry_add_images",
            ),
            *super().get_urls(),
        ]

    def check_image_view(self, request):
        """One dropped file through the image gate, before the entry is saved: the page's
        script shows the upload's progress, then keeps the file or names why it is refused."""
        if request.method != "POST":
            return JsonResponse({"error": "Send the image with POST."}, status=405)
        if not request.user.has_perm("reviews.add_galleryimage"):
            raise PermissionDenied
        upload = request.FILES.get("image")
        if upload is None:
            return JsonResponse({"ok": False, "error": "No file was sent."}, status=400)
        try:
            clean = clean_image(upload)
        except ValidationError as error:
            return JsonResponse(
                {"ok": False, "name": upload.name, "error": " ".join(error.messages)}
            )
        return JsonResponse(
            {"ok": True, "name": upload.name, "width": clean.width, "height": clean.height}
        )

    def add_images_view(self, request, object_id):
        entry = self.get_object(request, unquote(object_id))
        if entry is None:
            raise Http404("No entry with this id.")
        if not can_add_gallery_images(request.user, entry=entry):
            raise PermissionDenied
        if redirect_to_copy := live_part_redirect(request, entry, view="add_images"):
            return redirect_to_copy
        if request.method == "POST":
            form = GalleryUploadForm(request.POST, request.FILES)
            if form.is_valid():
                images = form.cleaned_data["images"]
                added = add_gallery_images(
                    entry=entry,
                    images=images,
                    alt_texts=slide_alt_texts(
                        count=len(images), prefix=form.cleaned_data["alt_text"]
                    ),
                )
                self.message_user(
                    request, f"Added {len(added)} image(s) to “{entry}”.", messages.SUCCESS
                )
                return redirect("admin:reviews_post_change", entry.section.post_id)
        else:
            form = GalleryUploadForm(initial={"alt_text": entry.display_heading})
        context = {
            **self.admin_site.each_context(request),
            "title": f"Add images to “{entry}”",
            "opts": self.model._meta,
            "entry": entry,
            "post": entry.section.post,
            "form": form,
        }
        return TemplateResponse(request, "admin/reviews/entry/add_images.html", context)
