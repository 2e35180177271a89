"""Form fields of the paper admin that fit the data instead of showing raw JSON."""

import json

from django import forms
from taggit.utils import parse_tags


class LinesField(forms.CharField):
    """An ordered list of sentences edited as one line each (the page's script turns the box
    into a list editor with add, remove and move buttons). A pasted JSON list is read too."""

    widget = forms.Textarea(attrs={"rows": 6, "class": "lines-editor"})

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return "\n".join(str(item) for item in value)
        return value

    def to_python(self, value):
        if isinstance(value, list | tuple):
            return [str(item).strip() for item in value if str(item).strip()]
        text = (value or "").strip()
        if text.startswith("["):
            try:
                parsed = json.loads(text)
            except ValueError:
                parsed = None
            if isinstance(parsed, list) and all(isinstance(item, str) for item in parsed):
                return [item.strip() for item in parsed if item.strip()]
        return [line.strip() for line in text.splitlines() if line.strip()]

    def validate(self, value):
        if self.required and not value:
            raise forms.ValidationError(self.error_messages["required"], code="required")


class ExistingTagsField(forms.ModelMultipleChoiceField):
    """Tags chosen through the admin's autocomplete; an empty value means none."""

    def clean(self, value):
        return super().clean([item for item in value or () if item != ""])


def typed_tag_names(typed: str) -> list[str]:
    """Names separated by commas (quotes keep a comma in a name). Unlike taggit's parser,
    words without a comma stay one name: “drug discovery” is one topic, not two."""
    typed = (typed or "").strip()
    if not typed:
        return []
    if "," in typed or '"' in typed:
        return parse_tags(typed)
    return [typed]


def merged_tag_names(chosen, typed: str) -> list[str]:
    """The tags picked in the autocomplete followed by the new ones typed, each once."""
    return list(dict.fromkeys([*(tag.name for tag in chosen or ()), *typed_tag_names(typed)]))


class PaperAdminForm(forms.ModelForm):
    """Findings as lines; existing topics through the autocomplete, new ones typed."""

    findings = LinesField(
        required=False,
        help_text="Key findings in order, one per line.",
    )
    new_topics = forms.CharField(
        required=False,
        help_text="Topics that do not exist yet, separated by commas; quote one with a comma.",
    )

    def clean(self):
        cleaned = super().clean()
        cleaned["topics"] = merged_tag_names(cleaned.get("topics"), cleaned.get("new_topics"))
        return cleaned
