"""Keynotes with their speakers: the links to Author records edited inline, written by
save_keynote through reviews.workflow.speakers like every other link, never by the formset."""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.forms.models import BaseInlineFormSet

from core.versioned_admin import VersionedAdminMixin
from reviews.models import Keynote, KeynoteSpeaker
from reviews.workflow import editing, rules


class RowAuthorAutocomplete(AutocompleteSelect):
    """Shows the row's own author, loaded with the row, instead of one query per row."""

    author = None

    def optgroups(self, name, value, attr=None):
        if self.author is not None and [str(v) for v in value] == [str(self.author.pk)]:
            return [
                (None, [self.create_option(name, self.author.pk, str(self.author), True, 0)], 0)
            ]
        return super().optgroups(name, value, attr)


class SpeakerForm(forms.ModelForm):
    place = forms.IntegerField(
        label="Order",
        min_value=0,
        required=False,
        help_text="Speaking order; blank puts the speaker after the others.",
    )

    class Meta:
        model = KeynoteSpeaker
        fields = ["author", "affiliation"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["place"].initial = self.instance.order
            self.fields["author"].widget.widget.author = self.instance.author


class SpeakerFormSet(BaseInlineFormSet):
    """What a curator asks of the links; the keynote's save service writes them."""

    def speakers(self):
        """(author, affiliation) in the order asked: by Order, blanks last, ties as listed."""
        rows = [
            (form.cleaned_data.get("place") is None, form.cleaned_data.get("place") or 0, n, form)
            for n, form in enumerate(self.forms)
            if form.cleaned_data and not self._should_delete_form(form)
        ]
        return [
            (form.cleaned_data["author"], form.cleaned_data.get("affiliation", ""))
            for *_, form in sorted(rows, key=lambda row: row[:3])
        ]

    def save(self, commit=True):
        """Writes nothing (the service has): only tells the change history what changed."""
        kept = [form for form in self.forms if not self._should_delete_form(form)]
        self.new_objects = [f.instance for f in kept if f.instance.pk is None and f.has_changed()]
        self.changed_objects = [
            (f.instance, f.changed_data) for f in kept if f.instance.pk and f.has_changed()
        ]
        self.deleted_objects = [f.instance for f in self.deleted_forms if f.instance.pk]
        return self.new_objects


class KeynoteSpeakerInline(admin.TabularInline):
    """The keynote's speakers as people of the site; the right to change them is the right to
    change the keynote (rules.can_change_keynote), whoever may view the keynote sees them."""

    model = KeynoteSpeaker
    form = SpeakerForm
    formset = SpeakerFormSet
    extra = 0
    fields = ["author", "affiliation", "place"]
    autocomplete_fields = ["author"]
    verbose_name = "speaker"
    verbose_name_plural = "Speakers (author pages listing this keynote)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "author":
            kwargs["widget"] = RowAuthorAutocomplete(db_field, self.admin_site)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        return rules.can_change_keynote(request.user, keynote=obj or Keynote())

    def has_add_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)

    def has_view_permission(self, request, obj=None):
        return self.has_change_permission(request, obj) or request.user.has_perm(
            "reviews.view_keynote"
        )


@admin.register(Keynote)
class KeynoteAdmin(VersionedAdminMixin, admin.ModelAdmin):
    list_display = ["title", "speaker", "affiliation", "conference", "listed"]
    list_filter = ["listed", "conference"]
    list_select_related = ["conference"]
    search_fields = ["title", "speaker", "affiliation"]
    autocomplete_fields = ["conference"]
    inlines = [KeynoteSpeakerInline]

    def save_through_service(self, request, form, formsets, change, save_children):
        """Speakers edited in the inline are the curator's choice; untouched, they follow the
        speaker text (reviews.workflow.speakers)."""
        chosen = next(
            (fs for fs in formsets if isinstance(fs, SpeakerFormSet) and fs.has_changed()), None
        )
        editing.save_keynote(
            keynote=form.instance,
            by=request.user,
            expected_version=form.cleaned_data.get("version"),
            speakers=chosen.speakers() if chosen else None,
        )
        save_children()
