import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from taggit.utils import parse_tags

from reviews.media.images import CONTENT_TYPES, FORMATS, clean_image

ACCEPT = ",".join(sorted(CONTENT_TYPES))
MAX_FILES_PER_UPLOAD = 60
# Cleaned images are held in memory until the batch is saved, all or nothing.
MAX_BATCH_BYTES = 200 * 1024 * 1024


class SafeImageField(forms.ImageField):
    """An ImageField whose cleaned value is the re-encoded, metadata-free image."""

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs["accept"] = ACCEPT
        return attrs

    def to_python(self, data):
        upload = forms.FileField.to_python(self, data)
        if upload is None:
            return None
        clean = clean_image(upload)
        return SimpleUploadedFile(clean.name, clean.content, FORMATS[clean.format][1])


def natural_key(name: str) -> list:
    """“slide2.png” before “slide10.png”, as a person numbers slides."""
    return [int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", name)]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    widget = MultipleFileInput

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "accept": ACCEPT}

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if not files:
            raise ValidationError(self.error_messages["required"], code="required")
        if len(files) > MAX_FILES_PER_UPLOAD:
            raise ValidationError(f"Upload at most {MAX_FILES_PER_UPLOAD} images at a time.")
        total = sum(f.size or 0 for f in files)
        if total > MAX_BATCH_BYTES:
            raise ValidationError(
                f"These files add up to {total / 1024 / 1024:.0f} MB; upload at most "
                f"{MAX_BATCH_BYTES // 1024 // 1024} MB at a time."
            )
        cleaned, errors = [], []
        for upload in sorted(files, key=lambda f: natural_key(f.name or "")):
            try:
                cleaned.append(clean_image(super().clean(upload, initial)))
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError([*errors, "No image was added; fix or remove these files."])
        return cleaned


class GalleryUploadForm(forms.Form):
    images = MultipleImageField(
        help_text="Select several files at once (JPEG, PNG, WebP or GIF; at most 20 MB and "
        "50 megapixels each). They are added after the entry's images, in file-name order."
    )
    alt_text = forms.CharField(
        max_length=250,
        required=False,
        label="Alt text prefix",
        help_text="Optional, e.g. the talk title; each image gets “PREFIX, slide N”. "
        "Edit each image's alt text afterwards for readers who cannot see it.",
    )


class PostAdminForm(forms.ModelForm):
    """Existing tags through the admin's autocomplete; new ones typed, comma-separated."""

    new_tags = forms.CharField(
        required=False,
        help_text="Tags that do not exist yet, separated by commas; quote a tag with a comma.",
    )

    def clean(self):
        cleaned = super().clean()
        existing = [tag.name for tag in cleaned.get("tags") or ()]
        typed = parse_tags(cleaned.get("new_tags", ""))
        cleaned["tags"] = list(dict.fromkeys([*existing, *typed]))
        return cleaned


class ExistingTagsField(forms.ModelMultipleChoiceField):
    """Tags chosen through the admin's autocomplete; an empty value means none."""

    def clean(self, value):
        return super().clean([item for item in value or () if item != ""])
