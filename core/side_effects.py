"""Per-row side effects (search vectors, the page-cache version) batched for bulk writers.

A signal handler normally does its work for each saved row. Inside `batched()` (imports,
restores) it only records what to do, and the work runs once, still inside the caller's
transaction, when the block ends; nothing runs if the block raises.
"""

import threading
from contextlib import contextmanager

_state = threading.local()


@contextmanager
def batched():
    if getattr(_state, "pending", None) is not None:
        yield
        return
    _state.pending, _state.scope, _state.ran = {}, {}, set()
    try:
        yield
        while _state.pending:
            key = next(iter(_state.pending))
            run, items = _state.pending.pop(key)
            _state.ran.add(key)
            run(items)
    finally:
        _state.pending = _state.scope = _state.ran = None


def batch_scope() -> dict | None:
    """A dict that lives as long as the current `batched()` block (None outside one): where a
    writer leaves what the deferred work may reuse, such as rows it already holds in memory."""
    return getattr(_state, "scope", None)


def run_or_defer(key, run, item=None, *, once=False):
    """`run({item})` now, or once for all items of `key` at the end of a `batched()` block.

    `once`: work that is the same whatever the items (moving a version), so work queued again
    by another key's run, after this key's ran, is already done (one transaction either way).
    """
    pending = getattr(_state, "pending", None)
    if pending is None:
        run({item})
        return
    if once and key in _state.ran:
        return
    pending.setdefault(key, (run, set()))[1].add(item)
