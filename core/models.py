from django.db import models
from django.db.models import Q
from django.utils import timezone


class ContentVersion(models.Model):
    """One row whose number changes with every content change: the page cache's key.

    Kept in the database, not the cache, so every process and server sees a change at once
    and in the same transaction as the change itself.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    number = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(id=1),
                name="contentversion_singleton",
                violation_error_message="The site keeps a single content version row (id 1); "
                "change that row instead of adding another.",
            )
        ]

    def __str__(self):
        return f"content version {self.number}"


class Autosave(models.Model):
    """What every kept form has (post, part and paper autosaves add their record, user and the
    record's version when the form was loaded)."""

    # Unsaved edits change no public page: the page cache keeps its pages.
    changes_no_public_page = True

    form_data = models.JSONField(
        help_text="The form's [name, value] pairs in page order, as the browser would submit them."
    )
    saved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True
