"""The admin side of drafts of a live post and of autosave: thin, over reviews.workflow.drafts
and reviews.workflow.autosave.

Opening a published post's change page opens its working copy (a draft nobody else sees) and
edits that; the copy's page says "unpublished changes" and offers compare, publish and discard.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Subquery
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from core.autosave_admin import autosave_context, autosave_response
from reviews.models import Post
from reviews.workflow import autosave, drafts, rules
from reviews.workflow.publishing import PublishingRefused

PUBLISH_BUTTON = "_publish_changes"
LIVE_POST_REFUSAL = (
    "This post is live: edits go to a draft of changes, published when you choose. Nothing "
    "was saved; copy your edits, then reopen the post ({url}) to edit its draft."
)


class LivePostsChangeList(ChangeList):
    """Working copies are not posts of their own: their live post carries a badge instead."""

    def get_queryset(self, request, exclude_parameters=None):
        copies = Post.objects.filter(working_copy_of=OuterRef("pk"))
        return (
            super()
            .get_queryset(request, exclude_parameters)
            .filter(working_copy_of__isnull=True)
            .annotate(
                draft_pk=Subquery(copies.values("pk")[:1]),
                draft_version=Subquery(copies.values("version")[:1]),
            )
        )


class DraftsAdminMixin:
    """For PostAdmin: the working-copy redirect, banner, compare/publish/discard and autosave."""

    @property
    def media(self):
        return super().media + forms.Media(
            js=["js/autosave.js"], css={"all": ["css/admin-drafts.css"]}
        )

    def get_changelist(self, request, **kwargs):
        return LivePostsChangeList

    def get_list_display(self, request):
        return [*super().get_list_display(request), "unpublished_changes"]

    @admin.display(description="Changes")
    def unpublished_changes(self, obj):
        if getattr(obj, "draft_pk", None) is None or obj.draft_version == 1:
            return "—"
        url = reverse("admin:reviews_post_change", args=[obj.draft_pk])
        return format_html('<a class="draft-badge" href="{}">Unpublished changes</a>', url)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.working_copy_of_id:
            readonly += [f for f in ("slug", "status", "published_at") if f not in readonly]
        return readonly

    def get_prepopulated_fields(self, request, obj=None):
        if obj is not None and obj.working_copy_of_id:
            return {}
        return super().get_prepopulated_fields(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        editable = obj is not None and rules.can_edit_post(request.user, obj)
        if editable and drafts.uses_working_copy(obj):
            if request.method == "POST":
                # A form opened before the post went live: refused, the input shown again.
                request._edit_refusal = [LIVE_POST_REFUSAL.format(url=self._url("change", obj))]
            else:
                copy = drafts.open_working_copy(post=obj, by=request.user)
                return redirect(self._url("change", copy))
        extra_context = {**(extra_context or {}), **self._drafts_context(request, obj)}
        return super().change_view(request, object_id, form_url, extra_context)

    def _drafts_context(self, request, obj):
        if obj is None or not self.has_change_permission(request, obj):
            return {}
        saved = autosave.pending_autosave(post=obj, by=request.user)
        context = autosave_context(
            url=self._url("autosave", obj),
            saved=saved,
            saved_version=saved.post_version if saved else None,
            current_version=obj.version,
            form_id="post_form",
            what="post",
        )
        if obj.working_copy_of_id:
            context["working_copy"] = {
                "live": obj.working_copy_of,
                "changes": drafts.pending_changes(copy=obj),
                "compare_url": self._url("changes", obj),
                "may_publish": rules.can_publish(request.user),
                "publish_button": PUBLISH_BUTTON,
            }
        return context

    def response_change(self, request, obj):
        if PUBLISH_BUTTON in request.POST and obj.working_copy_of_id:
            return self._publish(request, obj)
        return super().response_change(request, obj)

    def _publish(self, request, copy):
        try:
            live = drafts.publish_changes(copy=copy, by=request.user)
        except (PermissionDenied, PublishingRefused, drafts.DraftError) as refusal:
            self.message_user(request, f"Changes not published: {refusal}", messages.ERROR)
            return redirect(self._url("change", copy))
        self.message_user(
            request, f"Published the changes: readers now see them on “{live}”.", messages.SUCCESS
        )
        return redirect(reverse("admin:reviews_post_changelist"))

    def _url(self, name, post):
        return reverse(f"admin:reviews_post_{name}", args=[post.pk])

    def _copy_or_404(self, request, object_id):
        copy = self.get_object(request, unquote(object_id))
        if copy is None or copy.working_copy_of_id is None:
            raise Http404("No draft of changes with this id: it was published or discarded.")
        if not self.has_change_permission(request, copy.working_copy_of):
            raise PermissionDenied
        return copy

    def pending_changes_view(self, request, object_id):
        copy = self._copy_or_404(request, object_id)
        if request.method == "POST" and "discard" in request.POST:
            live = drafts.discard_changes(copy=copy, by=request.user)
            self.message_user(request, f"Discarded the unpublished changes to “{live}”.")
            return redirect(reverse("admin:reviews_post_changelist"))
        if request.method == "POST" and "publish" in request.POST:
            return self._publish(request, copy)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Unpublished changes to “{copy.working_copy_of}”",
            "copy": copy,
            "live": copy.working_copy_of,
            "changes": drafts.pending_changes(copy=copy),
            "may_publish": rules.can_publish(request.user),
        }
        return TemplateResponse(request, "admin/reviews/post/pending_changes.html", context)

    def autosave_view(self, request, object_id):
        post = self.get_object(request, unquote(object_id))
        if post is None:
            return JsonResponse({"error": "No post with this id."}, status=404)
        return autosave_response(
            request,
            keep=lambda *, form_data, version: autosave.autosave_edits(
                post=post, by=request.user, form_data=form_data, post_version=version
            ),
            discard=lambda: autosave.discard_autosave(post=post, by=request.user),
        )

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/changes/",
                wrap(self.pending_changes_view),
                name="reviews_post_changes",
            ),
            path(
                "<path:object_id>/autosave/",
                wrap(require_POST(self.autosave_view)),
                name="reviews_post_autosave",
            ),
            *super().get_urls(),
        ]
