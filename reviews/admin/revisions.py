"""Admin pages for a post's revisions: the list, a diff between two, and a one-click restore."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from reviews.workflow.revisions import RestoreError, diff_revisions, restore_revision
from reviews.workflow.rules import can_restore_revision


def _post_or_404(modeladmin, request, object_id):
    post = modeladmin.get_object(request, object_id)
    if post is None:
        raise Http404("No post with this id.")
    if not modeladmin.has_view_or_change_permission(request, post):
        raise PermissionDenied
    return post


def _context(modeladmin, request, post, title):
    return {
        **modeladmin.admin_site.each_context(request),
        "opts": modeladmin.opts,
        "original": post,
        "post": post,
        "title": title,
        "change_url": reverse("admin:reviews_post_change", args=[post.pk]),
        "revisions_url": reverse("admin:reviews_post_revisions", args=[post.pk]),
    }


def _line_kind(line: str) -> str:
    if line.startswith(("---", "+++", "@@")):
        return "header"
    return {"+": "added", "-": "removed"}.get(line[:1], "context")


def revision_list_view(modeladmin):
    def view(request, object_id):
        post = _post_or_404(modeladmin, request, object_id)
        revisions = post.revisions.select_related("created_by")
        context = _context(modeladmin, request, post, f"Revisions of “{post}”")
        context["revisions"] = revisions
        context["can_restore"] = can_restore_revision(request.user, post=post)
        return TemplateResponse(request, "admin/reviews/post/revisions.html", context)

    return view


def revision_diff_view(modeladmin):
    """?new=<id>&old=<id>; without `old`, the revision saved just before `new`."""

    def view(request, object_id):
        post = _post_or_404(modeladmin, request, object_id)
        try:
            new = post.revisions.get(pk=int(request.GET.get("new", "")))
            old_id = request.GET.get("old")
            old = (
                post.revisions.get(pk=int(old_id))
                if old_id
                else post.revisions.filter(pk__lt=new.pk).order_by("-pk").first()
            )
        except (ValueError, post.revisions.model.DoesNotExist):
            raise Http404("Pick two revisions of this post.") from None
        context = _context(modeladmin, request, post, f"Changes to “{post}”")
        lines = diff_revisions(old, new) if old else []
        context.update(old=old, new=new, diff=[(_line_kind(line), line) for line in lines])
        return TemplateResponse(request, "admin/reviews/post/revision_diff.html", context)

    return view


def revision_restore_view(modeladmin):
    @require_POST
    def view(request, object_id, revision_id):
        post = _post_or_404(modeladmin, request, object_id)
        if not can_restore_revision(request.user, post=post):
            raise PermissionDenied
        revision = get_object_or_404(post.revisions, pk=revision_id)
        try:
            restored = restore_revision(revision=revision, by=request.user)
        except RestoreError as error:
            modeladmin.message_user(request, str(error), messages.ERROR)
            return HttpResponseRedirect(reverse("admin:reviews_post_revisions", args=[post.pk]))
        level = messages.WARNING if restored.missing_files else messages.SUCCESS
        modeladmin.message_user(request, restored.message + ".", level)
        return HttpResponseRedirect(reverse("admin:reviews_post_change", args=[post.pk]))

    return view
