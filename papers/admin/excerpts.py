"""A paper's review excerpts on its change page: edited inline, ordered by drag or by the ↑/↓
buttons (static/js/admin-inline-order.js; without JavaScript the buttons post the form). Every
move is a call to papers.ordering, never a number typed into the formset."""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max
from django.forms.models import BaseInlineFormSet
from django.http import Http404
from django.urls import reverse
from django.views.decorators.http import require_POST

from core.reorder_admin import move_buttons, reorder_response
from papers import ordering
from papers.models import PeerReviewExcerpt

REORDER_FORM = "excerpt-reorder"


class ExcerptFormSet(BaseInlineFormSet):
    """New excerpts go after the paper's others; stored ones keep the order given by a move."""

    def save_new(self, form, commit=True):
        top = self.instance.review_excerpts.aggregate(top=Max("order"))["top"]
        form.instance.order = (top + 1) if top is not None else 0
        return super().save_new(form, commit=commit)


class PeerReviewExcerptInline(admin.StackedInline):
    model = PeerReviewExcerpt
    formset = ExcerptFormSet
    extra = 0
    fields = [
        "move",
        ("source_kind", "reviewer_label", "field", "featured", "hidden"),
        ("rating", "rating_scale", "confidence"),
        "text",
        "source_url",
    ]
    readonly_fields = ["move"]

    @admin.display(description="Order")
    def move(self, obj):
        if obj is None or obj.pk is None:
            return "Added after the others"
        label = obj.reviewer_label or obj.get_source_kind_display()
        if obj.field:
            label = f"{label}, {obj.field}"
        return move_buttons(pk=obj.pk, label=label, form=REORDER_FORM)


def reorder_url(paper) -> str:
    return reverse("admin:papers_paper_reorder_excerpts", args=[paper.pk])


def reorder_view(modeladmin):
    """POST ids=1,3,2 (a drag) or move=<id>:up|down (a button) for one paper's excerpts."""

    @require_POST
    def view(request, object_id):
        paper = modeladmin.get_object(request, unquote(object_id))
        if paper is None:
            raise Http404("No paper with this id.")
        if not modeladmin.has_change_permission(request, paper):
            raise PermissionDenied
        back = reverse("admin:papers_paper_change", args=[paper.pk]) + "#review_excerpts-group"

        def save(ids):
            return ordering.reorder_excerpts(paper=paper, ids=ids, by=request.user).version

        return reorder_response(
            modeladmin,
            request,
            current=ordering.excerpt_ids(paper),
            save=save,
            back=back,
            refusals=(PermissionDenied, ValidationError),
        )

    return view
