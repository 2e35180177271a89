"""Rows kept in a curated order under a unique (parent, order) constraint: a post's sections, a
section's entries, an entry's images, a paper's review excerpts, a keynote's speakers. Both apps
write a new order and move one row through these two functions.

A new order is written in two passes (first past every stored value, then 0..n-1): neither pass
can collide with the unique constraint, on SQLite or PostgreSQL.
"""

from django.core.exceptions import ValidationError
from django.db.models import Max


def write_order(*, rows, ids: list[int], stale: str) -> list:
    """Lock one parent's `rows` and renumber them 0..n-1 in the order of `ids`, which must name
    every row once; otherwise raise ValidationError(`stale`) with nothing written. Call it inside
    the caller's transaction, after locking the parent."""
    stored = {row.pk: row for row in rows.select_for_update()}
    if len(ids) != len(set(ids)) or set(ids) != set(stored):
        raise ValidationError(stale)
    start = (rows.aggregate(top=Max("order"))["top"] or 0) + 1
    ordered = [stored[pk] for pk in ids]
    for n, row in enumerate(ordered):
        row.order = start + n
    rows.model.objects.bulk_update(ordered, ["order"])
    for n, row in enumerate(ordered):
        row.order = n
    rows.model.objects.bulk_update(ordered, ["order"])
    return ordered


def moved(ids: list[int], pk: int, offset: int) -> list[int]:
    """`ids` with `pk` moved `offset` places (-1 up, +1 down), stopping at either end."""
    ids = list(ids)
    if pk not in ids:
        raise ValidationError("That item is no longer in this list: reload the page.")
    at = ids.index(pk)
    to = min(max(at + offset, 0), len(ids) - 1)
    ids.insert(to, ids.pop(at))
    return ids
