"""The curator workflow inside PostAdmin: no lost updates, roles, revisions, publishing checklist.

Saves that must be refused after the inlines are written (a stale form, a failing checklist)
raise inside the admin's transaction; `changeform_view` catches that after the rollback and
renders the form again, with the submitted input and the reason as a form error.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import ValidationError
from django.urls import path, reverse

from core.concurrency import EditConflict, bump_version, claim_version
from reviews.admin.revisions import revision_diff_view, revision_list_view, revision_restore_view
from reviews.models import Post
from reviews.workflow.audit import log_action
from reviews.workflow.publishing import (
    PUBLICATION_STATES,
    PublishingRefused,
    filter_by_state,
    publication_state,
    publishing_checklist,
)
from reviews.workflow.revisions import record_revision
from reviews.workflow.roles import PUBLISH_PERMISSION, can_edit_post

STALE_FORM = EditConflict(None, None).args[0]


class PublicationStateFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [(state, state.capitalize()) for state in PUBLICATION_STATES]

    def queryset(self, request, queryset):
        if self.value() in PUBLICATION_STATES:
            return filter_by_state(queryset, self.value())
        return queryset


class PostOwnershipMixin:
    """Object-level role rule for any admin whose objects belong to a post."""

    def post_of(self, obj):
        return obj

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or can_edit_post(request.user, self.post_of(obj)))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or can_edit_post(request.user, self.post_of(obj)))

    def get_actions(self, request):
        """Bulk delete checks no object, so it is only for those who may delete any post."""
        actions = super().get_actions(request)
        if not request.user.has_perm(PUBLISH_PERMISSION):
            actions.pop("delete_selected", None)
        return actions


class PostPartMixin(PostOwnershipMixin):
    """For sections and entries edited on their own pages: the post still gets a new version
    (a post form already open is now stale) and a revision."""

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        verb = "Changed" if change else "Added"
        self._post_changed(request, form.instance, f"{verb} {self.opts.verbose_name}")

    def delete_model(self, request, obj):
        post = self.post_of(obj)
        super().delete_model(request, obj)
        self._post_changed(request, obj, f"Deleted {self.opts.verbose_name}", post=post)

    def _post_changed(self, request, obj, action, post=None):
        post = post or self.post_of(obj)
        bump_version(post=post)
        record_revision(post=post, by=request.user, summary=f"{action} “{obj}” on its own page")


class PostWorkflowMixin(PostOwnershipMixin):
    def get_form(self, request, obj=None, **kwargs):
        # "version" is a form field of its own, not the model's (non-editable) field.
        fields = kwargs.get("fields") or flatten_fieldsets(self.get_fieldsets(request, obj))
        kwargs["fields"] = [name for name in fields if name != "version"]
        base = super().get_form(request, obj, **kwargs)

        class VersionedPostForm(base):
            version = forms.IntegerField(widget=forms.HiddenInput, required=False)

            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                self.fields["version"].initial = self.instance.version

            def clean(self):
                cleaned = super().clean()
                refusal = getattr(request, "_post_refusal", None)
                if refusal:
                    raise ValidationError(refusal)
                if self.instance.pk:
                    current = (
                        Post.objects.select_for_update()
                        .filter(pk=self.instance.pk)
                        .values_list("version", flat=True)
                        .get()
                    )
                    if cleaned.get("version") != current:
                        raise ValidationError(STALE_FORM, code="conflict")
                return cleaned

        return VersionedPostForm

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is not None and self.has_change_permission(request, obj):
            fieldsets.append(("Version", {"fields": ["version"], "classes": ["hidden"]}))
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.has_perm(PUBLISH_PERMISSION):
            readonly += ["status", "published_at"]
        return readonly

    def has_publish_permission(self, request):
        return request.user.has_perm(PUBLISH_PERMISSION)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except (EditConflict, PublishingRefused) as refusal:
            request._post_refusal = str(refusal)
            return super().changeform_view(request, object_id, form_url, extra_context)

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

    def save_model(self, request, obj, form, change):
        if change:
            claim_version(post=obj, expected=form.cleaned_data.get("version"))
        else:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        post = form.instance
        if post.status == Post.Status.PUBLISHED:
            problems = publishing_checklist(post)
            if problems:
                raise PublishingRefused(post, problems)
        summary = "Created"
        if change:
            inlines = {str(f.model._meta.verbose_name_plural) for f in formsets if _edited(f)}
            changed = list(form.changed_data) + sorted(inlines)
            summary = f"Changed {', '.join(changed)}" if changed else "Saved without changes"
        record_revision(post=post, by=request.user, summary=summary)
        publishing_changed = {"status", "published_at"} & set(form.changed_data)
        if (publishing_changed and change) or (not change and post.status != Post.Status.DRAFT):
            state = publication_state(post)
            when = f" ({post.published_at:%Y-%m-%d %H:%M} UTC)" if post.published_at else ""
            log_action(user=request.user, obj=post, message=f"Set to {state}{when} in the form")

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
