import json
import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from papers.admin.forms import merged_tag_names
from papers.models import Paper, unique_slug
from reviews.markdown.format import PAPER_LINK_LABEL
from reviews.media.galleries import slide_alt_texts
from reviews.media.images import CONTENT_TYPES, FORMATS, clean_image
from reviews.models import Keynote

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
        label="Alt text",
        help_text="Each image is described as “Slide N of M: THIS TEXT”, e.g. the talk's title; "
        "edit each image's alt text afterwards to say what the slide shows.",
    )


class PostAdminForm(forms.ModelForm):
    """Existing tags through the admin's autocomplete; new ones typed, comma-separated."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        published_at = self.fields.get("published_at")
        if published_at is not None and hasattr(published_at.widget, "widgets"):
            date, time = published_at.widget.widgets
            date.attrs["aria-label"] = "Publication date"
            time.attrs["aria-label"] = "Publication time"

    new_tags = forms.CharField(
        required=False,
        help_text="Tags that do not exist yet, separated by commas; quote a tag with a comma.",
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == "published" and not cleaned.get("published_at"):
            # What save_post does too; set here so the model's date rule sees it.
            cleaned["published_at"] = timezone.now()
        cleaned["tags"] = merged_tag_names(cleaned.get("tags"), cleaned.get("new_tags"))
        return cleaned


# The link line's label a new entry starts with, by kind: a keynote links to its recording.
LINK_LABELS = {"keynote": "[Video link]", "paper": PAPER_LINK_LABEL, "free": "[Link]"}


class SlidesField(MultipleImageField):
    """Optional here: an entry may be saved without new slides."""

    def clean(self, data, initial=None):
        if not data:
            return []
        return super().clean(data, initial)


class EntryAdminForm(forms.ModelForm):
    """An entry on its own page: a keynote or paper picked or created in place with the post's
    conference, and new slides uploaded with their alt text, all in one save."""

    new_keynote_title = forms.CharField(
        max_length=500,
        required=False,
        label="Or a new keynote: title",
        help_text="Creates the keynote with the post's conference when none is picked above.",
    )
    new_keynote_speaker = forms.CharField(max_length=255, required=False, label="Speaker")
    new_paper_title = forms.CharField(
        max_length=500,
        required=False,
        label="Or a new paper: title",
        help_text="Creates the paper with the post's conference when none is picked above; "
        "import its details from OpenReview or arXiv later.",
    )
    slides = SlidesField(
        required=False,
        label="Add slides",
        help_text="Drop or choose several images (JPEG, PNG, WebP or GIF; at most 20 MB and "
        "50 megapixels each); they follow the gallery's images in file-name order.",
    )
    slide_alt_prefix = forms.CharField(
        max_length=250,
        required=False,
        label="Alt text of the new slides",
        help_text="Each slide is described as “Slide N of M: THIS TEXT”; empty uses the heading.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.new_keynote = None
        self.new_paper = None
        self.keynote_typed = False
        self.paper_typed = False
        if "slides" in self.fields:
            check_url = reverse("admin:reviews_entry_check_image")
            self.fields["slides"].widget.attrs["data-check-url"] = check_url
        if "link_label" in self.fields:
            self.fields["link_label"].widget.attrs["data-defaults"] = json.dumps(LINK_LABELS)
        kind = self.initial.get("kind") or self.instance.kind
        if self.instance.pk is None and "link_label" in self.fields:
            self.fields["link_label"].initial = LINK_LABELS.get(kind, PAPER_LINK_LABEL)
            self.initial["link_label"] = self.fields["link_label"].initial

    def clean(self):
        cleaned = super().clean()
        kind, title = cleaned.get("kind"), cleaned.get("new_keynote_title", "").strip()
        if kind == "keynote" and not cleaned.get("keynote") and title:
            self.keynote_typed = True
            self.new_keynote = Keynote(
                conference=self._conference(cleaned),
                title=title,
                speaker=cleaned.get("new_keynote_speaker", "").strip(),
            )
            try:
                self.new_keynote.full_clean()
            except ValidationError as error:
                raise ValidationError(
                    [f"The new keynote: {message}" for message in error.messages]
                ) from None
        if kind != "keynote" and title:
            self.add_error("new_keynote_title", "Only a keynote entry creates a keynote.")
        paper_title = cleaned.get("new_paper_title", "").strip()
        if kind == "paper" and not cleaned.get("paper") and paper_title:
            self.paper_typed = True
            self.new_paper = Paper(
                conference=self._conference(cleaned),
                title=paper_title,
                slug=unique_slug(Paper, paper_title),
            )
            try:
                self.new_paper.full_clean()
            except ValidationError as error:
                raise ValidationError(
                    [f"The new paper: {message}" for message in error.messages]
                ) from None
        if kind != "paper" and paper_title:
            self.add_error("new_paper_title", "Only a paper entry creates a paper.")
        slides = cleaned.get("slides") or []
        if slides:
            cleaned["slide_alt_texts"] = self._alt_texts(len(slides), cleaned)
        return cleaned

    def _conference(self, cleaned):
        """The post's conference, which a keynote or paper created in place belongs to."""
        section = cleaned.get("section")
        conference = section.post.conference if section else None
        if conference is None:
            raise ValidationError(
                "Set the post's conference first: a new keynote or paper is created for it."
            )
        return conference

    def _alt_texts(self, count, cleaned):
        """One per slide: the fields the page's script adds, else the prefix (or heading)."""
        typed = self.data.getlist("slide_alt") if hasattr(self.data, "getlist") else []
        if typed and len(typed) == count:
            return typed
        prefix = (cleaned.get("slide_alt_prefix") or "").strip() or self._heading(cleaned)
        if not prefix:
            raise ValidationError("Describe the new slides: fill in their alt text.")
        return slide_alt_texts(count=count, prefix=prefix)

    def _heading(self, cleaned):
        if cleaned.get("heading"):
            return cleaned["heading"]
        if cleaned.get("paper"):
            return cleaned["paper"].title
        if self.new_paper is not None:
            return self.new_paper.title
        keynote = cleaned.get("keynote") or self.new_keynote
        return keynote.title if keynote else ""

    def _get_validation_exclusions(self):
        # The keynote created in place is assigned in the save; the service checks the
        # one-target constraint again then.
        exclusions = super()._get_validation_exclusions()
        if self.keynote_typed:
            exclusions.add("keynote")
        if self.paper_typed:
            exclusions.add("paper")
        return exclusions


class GalleryImageForm(forms.ModelForm):
    """A gallery row: alt text is required, as on every upload path."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "alt_text" in self.fields:
            self.fields["alt_text"].required = True


class GalleryImageFormSet(forms.BaseInlineFormSet):
    """New rows go after the gallery's images; stored rows keep the order the outline gave."""

    def add_fields(self, form, index):
        """A table cell has no label of its own: each field is named with its row."""
        super().add_fields(form, index)
        row = f"image {index + 1}" if index is not None else "the new image"
        for name, field in form.fields.items():
            label = "Delete" if name == "DELETE" else (field.label or name).capitalize()
            field.widget.attrs["aria-label"] = f"{label} of {row}"

    def save_new(self, form, commit=True):
        top = self.instance.images.aggregate(top=Max("order"))["top"]
        form.instance.order = (top + 1) if top is not None else 0
        return super().save_new(form, commit=commit)
