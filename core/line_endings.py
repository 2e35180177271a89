"""Line endings as stored: LF only. Browsers submit textareas with CRLF; a row saved as it came
would differ from the same text imported or typed elsewhere, and every diff would report it."""

from django.db import models


def normalise_line_endings(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


class LineEndingsMixin:
    """For models: every text and char field is saved with LF line endings, whoever saves it."""

    def save(self, *args, **kwargs):
        for field in self._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField):
                value = getattr(self, field.attname)
                if isinstance(value, str) and "\r" in value:
                    setattr(self, field.attname, normalise_line_endings(value))
        super().save(*args, **kwargs)
