from django.db import models
from django.db.models import Q


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
