"""Sections and entries on their own pages, opened from the post's outline and back to it.

A new part goes after its siblings; an entry's save also creates the keynote typed in place
(editing.save_keynote) and stores the slides dropped on it (media.galleries), inside the one
transaction of editing.save_entry, so a refusal keeps nothing.
"""

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect, JsonResponse
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from core.autosave_admin import autosave_context, autosave_response
from papers.services import save_paper
from reviews.admin.outline import image_reorder_url
from reviews.media.galleries import add_gallery_images
from reviews.models import Post, Section
from reviews.workflow import autosave, drafts, editing, ordering, rules

RETURN_TO_POST = ("_continue", "_addanother", "_saveasnew", "_popup")
LIVE_PART_REFUSAL = (
    "This post is live: its edits go to its draft of changes, opened here. Nothing was saved; "
    "make the change again on this page."
)


def live_part_redirect(request, part, *, view="change"):
    """For a section or entry of a live post: a redirect to the same part in the post's working
    copy (the copy itself when it has no such part); None for any other part or user."""
    post = part.post if hasattr(part, "post_id") else part.section.post
    if not (drafts.uses_working_copy(post) and rules.can_edit_post(request.user, post)):
        return None
    twin = drafts.part_in_working_copy(part=part, by=request.user)
    if request.method == "POST":
        messages.warning(request, LIVE_PART_REFUSAL)
    if twin is None:
        copy = drafts.working_copy_of(post)
        return HttpResponseRedirect(reverse("admin:reviews_post_change", args=[copy.pk]))
    name = "add_images" if view == "add_images" else view
    opts = twin._meta
    return HttpResponseRedirect(
        reverse(f"admin:{opts.app_label}_{opts.model_name}_{name}", args=[twin.pk])
    )


class PartPageMixin:
    """For SectionAdmin and EntryAdmin (before PostPartMixin); autosave as on the post's page."""

    parent_field = "post"

    @property
    def media(self):
        return super().media + forms.Media(
            js=["js/autosave.js"], css={"all": ["css/admin-drafts.css"]}
        )

    def _autosave_url(self, part):
        opts = part._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_autosave", args=[part.pk])

    def autosave_view(self, request, object_id):
        part = self.get_object(request, unquote(object_id))
        if part is None:
            what = self.model._meta.verbose_name
            return JsonResponse({"error": f"No {what} with this id."}, status=404)
        return autosave_response(
            request,
            keep=lambda *, form_data, version: autosave.autosave_part_edits(
                part=part, by=request.user, form_data=form_data, part_version=version
            ),
            discard=lambda: autosave.discard_part_autosave(part=part, by=request.user),
        )

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "<path:object_id>/autosave/",
                self.admin_site.admin_view(require_POST(self.autosave_view)),
                name=f"{opts.app_label}_{opts.model_name}_autosave",
            ),
            *super().get_urls(),
        ]

    def post_of(self, obj):
        return obj.post if hasattr(obj, "post_id") else obj.section.post

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """A live post's parts are edited in its draft of changes, never in place."""
        part = self.get_object(request, unquote(object_id))
        if part is not None and (redirect := live_part_redirect(request, part)):
            return redirect
        return super().change_view(request, object_id, form_url, extra_context)

    def get_changeform_initial_data(self, request):
        """Presets from the outline's links; a parent id that is not one is dropped, not a 500."""
        initial = super().get_changeform_initial_data(request)
        value = str(initial.get(self.parent_field, ""))
        if value and not (value.isdigit() and len(value) <= 18):
            del initial[self.parent_field]
        return initial

    def parent_post(self, pk):
        """The post an add page's preset parent (?post= or ?section=) belongs to, if any."""
        if self.parent_field == "post":
            return Post.objects.filter(pk=pk).first()
        section = Section.objects.select_related("post").filter(pk=pk).first()
        return section.post if section else None

    def save_through_service(self, request, form, formsets, change, save_children):
        if not change:
            form.instance.order = ordering.next_order(form.instance)
        super().save_through_service(request, form, formsets, change, save_children)

    def _back_to_post(self, request, obj, response):
        if any(key in request.POST for key in RETURN_TO_POST):
            return response
        url = reverse("admin:reviews_post_change", args=[self.post_of(obj).pk])
        return HttpResponseRedirect(f"{url}#outline")

    def response_add(self, request, obj, post_url_continue=None):
        return self._back_to_post(request, obj, super().response_add(request, obj))

    def response_change(self, request, obj):
        return self._back_to_post(request, obj, super().response_change(request, obj))

    def response_delete(self, request, obj_display, obj_id):
        post = getattr(request, "_deleted_part_post", None)
        if post is None:
            return super().response_delete(request, obj_display, obj_id)
        super().response_delete(request, obj_display, obj_id)
        return HttpResponseRedirect(reverse("admin:reviews_post_change", args=[post.pk]))

    def delete_model(self, request, obj):
        request._deleted_part_post = self.post_of(obj)
        super().delete_model(request, obj)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        form = context["adminform"].form
        part = obj or form.instance
        post = None
        if getattr(part, "post_id", None) or getattr(part, "section_id", None):
            post = self.post_of(part)
        elif form.initial.get(self.parent_field):
            post = self.parent_post(form.initial[self.parent_field])
        if obj is not None and hasattr(obj, "section_id"):
            context["image_reorder_url"] = image_reorder_url(obj)
        if post is not None:
            context["part_post"] = post
            context["part_post_url"] = reverse("admin:reviews_post_change", args=[post.pk])
        if obj is not None and self.has_change_permission(request, obj):
            saved = autosave.pending_part_autosave(part=obj, by=request.user)
            context |= autosave_context(
                url=self._autosave_url(obj),
                saved=saved,
                saved_version=saved.part_version if saved else None,
                current_version=obj.version,
                form_id=f"{obj._meta.model_name}_form",
                what=obj._meta.verbose_name,
            )
        return super().render_change_form(
            request, context, add=add, change=change, form_url=form_url, obj=obj
        )


class EntryPageMixin(PartPageMixin):
    parent_field = "section"

    def save_through_service(self, request, form, formsets, change, save_children):
        entry = form.instance
        if form.new_keynote is not None:
            entry.keynote = editing.save_keynote(keynote=form.new_keynote, by=request.user)
        if form.new_paper is not None:
            entry.paper = save_paper(paper=form.new_paper, by=request.user)
        slides = form.cleaned_data.get("slides") or []

        def save_children_and_slides():
            save_children()
            if not slides:
                return
            if not rules.can_add_gallery_images(request.user, entry=entry):
                raise PermissionDenied("You may not add images to this entry.")
            add_gallery_images(
                entry=entry, images=slides, alt_texts=form.cleaned_data["slide_alt_texts"]
            )

        super().save_through_service(request, form, formsets, change, save_children_and_slides)
