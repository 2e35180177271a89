"""One admin mixin for every model a curator edits: the change form carries the version it was
loaded at, the save goes through a service, and a refusal becomes a form error, input kept.

Services raise after Django has started writing (the row, then the inlines), inside the
admin's transaction; `changeform_view` catches the refusal after the rollback and renders the
submitted form again, whose `clean()` then reports the reason.
"""

from django import forms
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import PermissionDenied, ValidationError

from core.concurrency import EditConflict

VERSION_FIELD = "version"


def refusal_messages(error: Exception) -> list[str]:
    if isinstance(error, ValidationError):
        return error.messages
    return [str(error)]


class VersionedAdminMixin:
    """Subclasses implement `save_through_service(request, form, formsets, change, save_children)`,
    which calls the model's service with the acting user and the version the form was loaded at."""

    refusals: tuple[type[Exception], ...] = (EditConflict, PermissionDenied, ValidationError)

    def get_form(self, request, obj=None, **kwargs):
        # "version" is a form field of its own, never the model's (non-editable) field.
        if "fields" not in kwargs:
            kwargs["fields"] = flatten_fieldsets(self.get_fieldsets(request, obj))
        if kwargs["fields"] is not None:
            kwargs["fields"] = [name for name in kwargs["fields"] if name != VERSION_FIELD]
        base = super().get_form(request, obj, **kwargs)

        class VersionedForm(base):
            version = forms.IntegerField(widget=forms.HiddenInput, required=False)

            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                self.fields[VERSION_FIELD].initial = self.instance.version

            def clean(self):
                cleaned = super().clean()
                refusal = getattr(request, "_edit_refusal", None)
                if refusal:
                    raise ValidationError(refusal, code="refused")
                return cleaned

        return VersionedForm

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        shown = flatten_fieldsets(fieldsets)
        wanted = obj is not None and VERSION_FIELD not in shown
        if wanted and self.has_change_permission(request, obj):
            fieldsets.append(("Version", {"fields": [VERSION_FIELD], "classes": ["hidden"]}))
        return fieldsets

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except self.refusals as refusal:
            if request.method != "POST":
                raise
            request._edit_refusal = refusal_messages(refusal)
            return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        """Nothing yet: the service writes the row and the inlines together, in save_related."""

    def save_related(self, request, form, formsets, change):
        def save_children():
            super(VersionedAdminMixin, self).save_related(request, form, formsets, change)

        self.save_through_service(request, form, formsets, change, save_children)
