"""The thin admin side of the curator workflow: permissions asked of reviews.workflow.rules,
saves handed to reviews.workflow.editing, refusals shown as form errors (core.versioned_admin).
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import path, reverse

from core.concurrency import EditConflict
from core.versioned_admin import VersionedAdminMixin
from reviews.admin.revisions import revision_diff_view, revision_list_view, revision_restore_view
from reviews.workflow import editing, rules
from reviews.workflow.publishing import (
    PUBLICATION_STATES,
    PublishingRefused,
    filter_by_state,
    publication_state,
    publishing_checklist,
)

REFUSALS = (EditConflict, PermissionDenied, PublishingRefused, ValidationError)


class PublicationStateFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [(state, state.capitalize()) for state in PUBLICATION_STATES]

    def queryset(self, request, queryset):
        if self.value() in PUBLICATION_STATES:
            return filter_by_state(queryset, self.value())
        return queryset


class BulkDeleteForPublishersMixin:
    def get_actions(self, request):
        """Bulk delete checks no object, so it is only for those who may delete any post."""
        actions = super().get_actions(request)
        if not rules.can_publish(request.user):
            actions.pop("delete_selected", None)
        return actions


class PostPartMixin(BulkDeleteForPublishersMixin, VersionedAdminMixin):
    """Sections and entries on their own pages. The rules see the post chosen in the form as
    well as the stored one; the services bump and record the post (or both, for a move)."""

    refusals = REFUSALS
    save_service = None
    delete_service = None

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (
            obj is None or rules.can_change_part(request.user, part=obj, target_post=None)
        )

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or rules.can_delete_part(request.user, part=obj))

    def save_through_service(self, request, form, formsets, change, save_children):
        self.save_service(
            **{self.opts.model_name: form.instance},
            by=request.user,
            expected_version=form.cleaned_data.get("version"),
            save_children=save_children,
        )

    def delete_model(self, request, obj):
        self.delete_service(**{self.opts.model_name: obj}, by=request.user)


class PostWorkflowMixin(BulkDeleteForPublishersMixin, VersionedAdminMixin):
    refusals = REFUSALS

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or rules.can_edit_post(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or rules.can_edit_post(request.user, obj))

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not rules.can_publish(request.user):
            readonly += ["status", "published_at"]
        return readonly

    def has_publish_permission(self, request):
        return rules.can_publish(request.user)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        obj = self.get_object(request, object_id)
        if obj is not None:
            extra_context["publishing_checklist"] = publishing_checklist(obj)
            extra_context["publication_state"] = publication_state(obj)
            extra_context["revisions_url"] = reverse(
                "admin:reviews_post_revisions", args=[obj.pk], current_app=self.admin_site.name
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def save_through_service(self, request, form, formsets, change, save_children):
        inlines = {str(f.model._meta.verbose_name_plural) for f in formsets if _edited(f)}
        editing.save_post(
            post=form.instance,
            by=request.user,
            expected_version=form.cleaned_data.get("version") if change else None,
            changed=[name for name in form.changed_data if name != "version"] + sorted(inlines),
            save_children=save_children,
        )

    def get_list_filter(self, request):
        others = [f for f in super().get_list_filter(request) if f != "status"]
        return [PublicationStateFilter, *others]

    @admin.display(description="State", ordering="status")
    def state(self, obj):
        return publication_state(obj)

    def get_urls(self):
        wrap = self.admin_site.admin_view
        urls = [
            path(
                "<path:object_id>/revisions/",
                wrap(revision_list_view(self)),
                name="reviews_post_revisions",
            ),
            path(
                "<path:object_id>/revisions/diff/",
                wrap(revision_diff_view(self)),
                name="reviews_post_revision_diff",
            ),
            path(
                "<path:object_id>/revisions/<int:revision_id>/restore/",
                wrap(revision_restore_view(self)),
                name="reviews_post_revision_restore",
            ),
        ]
        return urls + super().get_urls()


def _edited(formset):
    """Forms changed beyond their sortable order (the sorting widget renumbers every form)."""
    sortable = {getattr(formset, "sortable_field_name", None) or "order"}
    return bool(formset.deleted_forms) or any(
        set(form.changed_data) - sortable for form in formset.forms
    )


def report_bulk_publish(modeladmin, request, report):
    if report.published:
        modeladmin.message_user(
            request, f"Published {len(report.published)} post(s).", messages.SUCCESS
        )
    for post, problems in report.refused.items():
        reasons = " ".join(f"{problem}." for problem in problems)
        modeladmin.message_user(request, f"Not published “{post}”: {reasons}", messages.ERROR)
