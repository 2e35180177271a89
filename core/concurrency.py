"""Optimistic concurrency for any model with a `version` field: a save claims the version the
editor loaded, so two curators editing the same record cannot silently overwrite each other."""

from django.db.models import F


class EditConflict(Exception):
    """Someone saved the record after this editor loaded it; saving now would overwrite them."""

    def __init__(self, instance=None, expected=None):
        self.instance = instance
        self.expected = expected
        what = instance._meta.verbose_name if instance is not None else "record"
        super().__init__(
            f"Someone else saved this {what} after you opened it. Nothing was saved: reload the "
            "page to see their changes, then apply yours again (your input is kept below)."
        )


def claim_version(*, instance, expected: int | None) -> int:
    """Bump the version with UPDATE ... WHERE version = expected, inside the caller's transaction.

    The row stays locked until the transaction ends, so a concurrent save of the same record
    waits and then matches no row. A missing `expected` (a form without its version) is stale.
    Sets and returns the new version on `instance`, so that a later full `save()` writes the
    bumped value back instead of the stale one it loaded.
    """
    manager = type(instance)._default_manager
    claimed = expected is not None and (
        manager.filter(pk=instance.pk, version=expected).update(version=F("version") + 1)
    )
    if not claimed:
        raise EditConflict(instance, expected)
    instance.version = expected + 1
    return instance.version


def bump_version(*, instance) -> int:
    """A change made outside the record's own form (publish, restore, a part saved on its own
    page) still makes the forms already open on it stale."""
    manager = type(instance)._default_manager
    manager.filter(pk=instance.pk).update(version=F("version") + 1)
    instance.version = manager.filter(pk=instance.pk).values_list("version", flat=True).get()
    return instance.version
