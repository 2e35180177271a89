"""HTML fragments rendered when what they show changes and stored on the row they describe,
so a page reads one column instead of the rows and the template behind it (as a post's body
is stored in `Post.body_html`).

One rule for every fragment (the paper and post cards, the paper page):
- `refresh(ids=...)` is the one writer: it renders each row from the fragment's template and
  stores only what changed (one UPDATE per chunk); a changed fragment moves the page-cache
  version.
- `queue(model, pk)` is what signal handlers call: the refresh runs now, or once at the end of
  a `core.side_effects.batched()` block for every row queued in it. `showing` maps the saved
  rows to the ids whose fragment shows them.
- `stored(rows)` is what views call: a row with no stored fragment yet (a new row written
  around the signals, or before its refresh command ran) is rendered live, never shown empty.

A fragment must never depend on who reads it or on the time: whether it appears is the
caller's visibility filter.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Model, QuerySet
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from core.page_cache import bump_content_version
from core.side_effects import run_or_defer

CHUNK = 500


@dataclass(frozen=True)
class StoredFragment:
    model: type[Model]
    column: str  # the TextField the fragment is stored in
    template: str
    load: Callable[[QuerySet], QuerySet]  # adds what the template reads, in fixed queries
    showing: Callable[[Iterable[tuple[type, int]]], set[int]]  # (model, pk) -> row ids
    context: Callable[[Model], dict]  # the template's context for one loaded row
    defer: tuple[str, ...] = ()  # columns the template never reads (search vectors, ...)

    @property
    def key(self) -> str:
        return f"fragment-{self.model._meta.label}-{self.column}"

    def render(self, row) -> str:
        """The fragment's HTML; expects `row` loaded by `load`."""
        return render_to_string(self.template, self.context(row)).strip()

    def refresh(self, *, ids) -> list[int]:
        """Render and store the fragment of each row in `ids`; returns the ids whose fragment
        changed (unknown ids are ignored)."""
        ids = sorted({pk for pk in ids if pk is not None})
        changed = []
        for start in range(0, len(ids), CHUNK):
            rows = self.load(self.model.objects.filter(pk__in=ids[start : start + CHUNK]))
            stale = []
            for row in rows.defer(*self.defer):
                html = self.render(row)
                if html != getattr(row, self.column):
                    setattr(row, self.column, html)
                    stale.append(row)
            self.model.objects.bulk_update(stale, [self.column])  # one statement per chunk
            changed += [row.pk for row in stale]
        if changed:
            bump_content_version(sender=self.model)
        return sorted(changed)

    def refresh_all(self) -> tuple[int, int]:
        """(changed, total): every row's fragment, e.g. after the migration adding the column."""
        ids = list(self.model.objects.values_list("pk", flat=True))
        return len(self.refresh(ids=ids)), len(ids)

    def queue(self, model, pk) -> None:
        """Refresh the fragments showing the row now, or once at the end of a `batched()`."""
        run_or_defer(self.key, self._refresh_items, (model, pk))

    def _refresh_items(self, items) -> None:
        self.refresh(ids=self.showing(items))

    def stored(self, rows) -> list[SafeString]:
        """The fragments of `rows` (loaded with the column) in their order; rows with none
        stored yet are rendered live, in a fixed number of queries."""
        rows = list(rows)
        html = {row.pk: getattr(row, self.column) for row in rows}
        if missing := [pk for pk, text in html.items() if not text]:
            live = self.load(self.model.objects.filter(pk__in=missing)).defer(*self.defer)
            html.update({row.pk: self.render(row) for row in live})
        # Safe: our templates, every field in them escaped.
        return [mark_safe(html[row.pk]) for row in rows]


def by_model(items) -> dict[type, set]:
    """(model, pk) pairs grouped: {model: {pk, ...}}."""
    grouped: dict[type, set] = {}
    for model, pk in items:
        grouped.setdefault(model, set()).add(pk)
    return grouped
