"""The post change page's outline: sections and entries listed, each edited on its own page,
reordered by drag (static/js/admin-outline.js) or by the move buttons, which work without
JavaScript too. Every move is a call to reviews.workflow.ordering.
"""

from dataclasses import dataclass, field

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from core.reorder_admin import move_buttons, reorder_response
from reviews.admin.workflow import REFUSALS
from reviews.models import Entry, Section
from reviews.selectors import post_outline
from reviews.workflow import ordering
from reviews.workflow.publishing import entry_checklist

ADD_KINDS = [
    (Entry.Kind.KEYNOTE, "Add keynote"),
    (Entry.Kind.PAPER, "Add paper"),
    (Entry.Kind.FREE, "Add free entry"),
]


@dataclass
class OutlineEntry:
    entry: Entry
    change_url: str
    image_count: int
    notes: list[str]


@dataclass
class OutlineSection:
    section: Section
    change_url: str
    add_links: list[tuple[str, str]]
    entries: list[OutlineEntry] = field(default_factory=list)


def outline_context(post, *, editable: bool) -> dict:
    """What the change form's outline template shows; move and add only for who may edit."""
    sections = []
    for section in post_outline(post=post):
        query = {"section": section.pk}
        item = OutlineSection(
            section=section,
            change_url=reverse("admin:reviews_section_change", args=[section.pk]),
            add_links=[
                (label, reverse("admin:reviews_entry_add") + "?" + urlencode({**query, "kind": k}))
                for k, label in ADD_KINDS
            ],
        )
        for entry in section.entries.all():
            item.entries.append(
                OutlineEntry(
                    entry=entry,
                    change_url=reverse("admin:reviews_entry_change", args=[entry.pk]),
                    image_count=len(entry.images.all()),
                    notes=entry_checklist(entry),
                )
            )
        sections.append(item)
    return {
        "outline": sections,
        "outline_editable": editable,
        "outline_reorder_url": reverse("admin:reviews_post_reorder", args=[post.pk])
        if editable
        else None,
        "outline_add_section_url": reverse("admin:reviews_section_add")
        + "?"
        + urlencode({"post": post.pk}),
    }


def image_move_buttons(image) -> str:
    """Move up / down for one gallery row, posting the entry page's image-reorder form (the
    page's script saves them with fetch and moves the row in place)."""
    if image is None or image.pk is None:
        return "Added after the others"
    label = image.alt_text or f"image {image.order + 1}"
    return move_buttons(pk=image.pk, label=label, form="image-reorder")


def image_reorder_url(entry) -> str:
    url = reverse("admin:reviews_post_reorder", args=[entry.section.post_id])
    return f"{url}?{urlencode({'kind': 'image', 'parent': entry.pk})}"


def _parent_and_ids(post, kind: str, parent_id: str):
    """The rows being reordered, found only inside this post."""
    if kind == "section":
        return post, list(post.sections.order_by("order").values_list("pk", flat=True))
    if not (parent_id.isdigit() and len(parent_id) <= 18):
        raise Http404("No such part of this post.")
    if kind == "entry":
        section = get_object_or_404(Section, pk=parent_id, post=post)
        return section, list(section.entries.order_by("order").values_list("pk", flat=True))
    if kind == "image":
        entry = get_object_or_404(Entry, pk=parent_id, section__post=post)
        return entry, list(entry.images.order_by("order").values_list("pk", flat=True))
    raise Http404("Unknown outline level.")


def reorder_view(modeladmin):
    """POST kind=section|entry|image, parent=<section or entry id>, and either ids=1,3,2 (a drag) or
    move=<id>:up|down (a button). Answers JSON to fetch() and redirects a plain form."""

    @require_POST
    def view(request, object_id):
        post = modeladmin.get_object(request, unquote(object_id))
        if post is None:
            raise Http404("No post with this id.")
        if not modeladmin.has_change_permission(request, post):
            raise PermissionDenied
        # The move buttons carry kind and parent in their formaction's query string.
        kind = request.POST.get("kind") or request.GET.get("kind", "")
        parent_id = request.POST.get("parent") or request.GET.get("parent", "")
        parent, current = _parent_and_ids(post, kind, parent_id)
        if kind == "image":
            back = reverse("admin:reviews_entry_change", args=[parent.pk]) + "#images-group"
        else:
            back = reverse("admin:reviews_post_change", args=[post.pk]) + "#outline"

        def save(ids):
            if kind == "section":
                return ordering.reorder_sections(post=post, ids=ids, by=request.user).version
            if kind == "entry":
                return ordering.reorder_entries(section=parent, ids=ids, by=request.user).version
            return ordering.reorder_images(entry=parent, ids=ids, by=request.user).version

        return reorder_response(
            modeladmin, request, current=current, save=save, back=back, refusals=REFUSALS
        )

    return view
