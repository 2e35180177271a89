"""The form readers suggest a video with (papers.videos.suggest_video stores it)."""

from django import forms

from core.fields import validate_https_url


class VideoSuggestionForm(forms.Form):
    url = forms.URLField(
        label="Video URL",
        max_length=1000,
        assume_scheme="https",
        validators=[validate_https_url],
        help_text="An https address: YouTube, Vimeo, SlidesLive, Bilibili or any other page.",
    )
    title = forms.CharField(max_length=255, help_text="e.g. “Oral presentation at NeurIPS 2023”.")
    suggested_by = forms.CharField(
        label="Your name (optional)",
        max_length=100,
        required=False,
        help_text="Shown beside the video once approved.",
    )
    # The honeypot: hidden from people by CSS, filled in by bots that fill every field.
    website = forms.CharField(
        label="Leave this field empty",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def is_spam(self) -> bool:
        return bool(self.cleaned_data.get("website"))
