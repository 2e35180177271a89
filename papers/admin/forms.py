"""Form fields of the paper admin that fit the data instead of showing raw JSON."""

import json

from django import forms


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


class PaperAdminForm(forms.ModelForm):
    findings = LinesField(
        required=False,
        help_text="Key findings in order, one per line.",
    )
