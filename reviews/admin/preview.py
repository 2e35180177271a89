"""Live preview: the post form's unsaved state rendered with the real public template.

The change form posts its fields here (a "Preview" button without JavaScript, a debounced
fetch with it, as Wagtail's side panel does). Nothing is saved: the stored post is loaded with
its content, the form's values are laid over it in memory, and the checklist is run on that.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from reviews import structured_data
from reviews.models import Post
from reviews.rendering import render_post_body
from reviews.selectors import post_with_content
from reviews.workflow.publishing import publishing_checklist

TEMPLATE = "reviews/post_detail.html"


def _overlay(stored: Post, edited: Post, names) -> Post:
    """`stored` with the form's values of `names`; an uploaded cover keeps the stored one
    (an unsaved file has no address to show)."""
    for field in Post._meta.concrete_fields:
        if field.name in names and field.get_internal_type() not in ("FileField", "ImageField"):
            setattr(stored, field.name, getattr(edited, field.name))
    return stored


def preview_view(modeladmin):
    @never_cache
    @require_POST
    def view(request, object_id):
        obj = modeladmin.get_object(request, object_id)
        if obj is None:
            raise Http404("No post with this id.")
        if not modeladmin.has_change_permission(request, obj):
            raise PermissionDenied
        form_class = modeladmin.get_form(request, obj, change=True)
        form = form_class(request.POST, instance=Post.objects.get(pk=obj.pk))
        valid = form.is_valid()
        shown = [name for name in form.fields if name not in form.errors]
        post = _overlay(
            post_with_content(Post.objects.filter(pk=obj.pk)).get(), form.instance, shown
        )
        sections = list(post.sections.all())
        summaries = [e.summary for s in sections for e in s.entries.all()]
        context = {
            "post": post,
            "object": post,
            "sections": sections,
            "reading_time": post.reading_time or post.compute_reading_time(summaries),
            "jsonld": structured_data.blog_posting(post),
            "is_preview": True,
        }
        # The stored body is the saved post's: the preview renders the unsaved one.
        context["body"] = mark_safe(render_post_body(post))  # our template, sanitized parts
        if "application/json" not in request.headers.get("Accept", ""):
            return TemplateResponse(request, TEMPLATE, context)
        problems = [str(problem) for problem in publishing_checklist(post)]
        if not valid:
            problems += [
                f"{form.fields[name].label or name}: {' '.join(errors)}"
                if name in form.fields
                else " ".join(errors)
                for name, errors in form.errors.items()
            ]
        return JsonResponse(
            {"html": render_to_string(TEMPLATE, context, request), "checklist": problems}
        )

    return view
