"""Background work on Django's Tasks API (the django-tasks backport), retried with backoff.

Tasks are declared with ``retried_task`` instead of ``django_tasks.task``: a failure of a kind
worth trying again (storage or database trouble, a network error) enqueues the same call again
after 10 s, 40 s, 160 s, ... until ``max_attempts``; each attempt that failed stays visible as a
failed result (the admin's *Task results*, or RQ's failed registry in production) with its
traceback. The last failure calls ``on_give_up`` so the row the task works for can say so.
Task functions take keyword arguments only (JSON values: primary keys, names), so a result can
be run again as it was first enqueued.
"""

import datetime
import functools
import logging
from collections.abc import Callable
from pathlib import Path

from django.db import DatabaseError
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task
from django_tasks.base import Task

from core.backup import export_site

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 4
BACKOFF_SECONDS = 10
# Worth another try: the storage, the database or a remote server may be back in a minute.
TRANSIENT = (OSError, DatabaseError, TimeoutError)


def backoff(attempt: int) -> datetime.timedelta:
    """The wait before attempt ``attempt + 1``: 10 s, 40 s, 160 s, ... (times four each time)."""
    return datetime.timedelta(seconds=BACKOFF_SECONDS * 4 ** (attempt - 1))


def retried_task(
    *,
    max_attempts: int = MAX_ATTEMPTS,
    retry_on: tuple[type[BaseException], ...] = TRANSIENT,
    on_give_up: Callable[..., None] | None = None,
    queue_name: str = "default",
    priority: int = 0,
):
    """Declare a task whose transient failures are enqueued again with exponential backoff.

    The wrapped function is called with its keyword arguments; ``attempt`` (1 for the first
    run) is passed along by the retries and stripped before the call.
    """

    def decorate(func):
        @functools.wraps(func)
        def run(*, attempt: int = 1, **kwargs):
            try:
                return func(**kwargs)
            except retry_on as exc:
                if attempt < max_attempts:
                    _enqueue_retry(wrapped, attempt=attempt, kwargs=kwargs, exc=exc)
                elif on_give_up is not None:
                    on_give_up(error=f"{type(exc).__name__}: {exc}", **kwargs)
                raise

        wrapped = task(priority=priority, queue_name=queue_name)(run)
        return wrapped

    return decorate


def _enqueue_retry(wrapped, *, attempt: int, kwargs: dict, exc: BaseException) -> None:
    delay = backoff(attempt)
    retry = wrapped
    if wrapped.get_backend().supports_defer:
        retry = wrapped.using(run_after=timezone.now() + delay)
    logger.warning(
        "Task %s failed on attempt %d (%s); attempt %d in %d s",
        wrapped.name,
        attempt,
        exc,
        attempt + 1,
        delay.total_seconds() if retry is not wrapped else 0,
    )
    retry.enqueue(attempt=attempt + 1, **kwargs)


def run_again(*, task_path: str, kwargs: dict):
    """Enqueue a stored call once more (the admin's re-run): a fresh first attempt."""
    found = import_string(task_path)
    if not isinstance(found, Task):
        raise ValueError(f"{task_path} is not a task.")
    fresh = {key: value for key, value in kwargs.items() if key != "attempt"}
    return found.enqueue(**fresh)


@retried_task(queue_name="default")
def export_site_to(*, destination: str) -> dict:
    """core.backup.export_site into a path on the server, off the request."""
    report = export_site(destination=Path(destination))
    return {
        "objects": report.objects,
        "files": report.files,
        "missing_files": list(report.missing_files),
    }
