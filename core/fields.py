from django.db import models


class URLField(models.URLField):
    """A URLField whose forms assume https for bare domains (Django 6's default, today)."""

    def formfield(self, **kwargs):
        return super().formfield(**{"assume_scheme": "https", **kwargs})
