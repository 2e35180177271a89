"""/healthz: each dependency's state; 503 only when the site cannot serve (the database is down).

A dead cache or unwritable media storage degrades the site (pages uncached, uploads failing) but
pages still answer, so a load balancer must keep sending traffic: 200 with status "degraded".
So does a stalled task queue: "tasks" is degraded when tasks wait and no worker has picked one
up for longer than TASK_STALL_SECONDS (the oldest waiting task has waited that long too), or
when the queue's Redis cannot be reached; uploads then stay waiting and pages show originals.
"""

import datetime
import uuid

from botocore.exceptions import BotoCoreError, ClientError
from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import DatabaseError, connection
from django.db.models import Case, Count, F, Min, When
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django_tasks import default_task_backend
from redis.exceptions import RedisError

from core.page_cache import CACHE_ERRORS

PROBE_KEY = "healthz-probe"


def check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_cache():
    token = uuid.uuid4().hex
    cache.set(PROBE_KEY, token, 10)
    if cache.get(PROBE_KEY) != token:
        raise OSError("the cache did not return what was just stored")


def check_storage():
    default_storage.listdir("")


def _age(since: datetime.datetime | None, now: datetime.datetime) -> float | None:
    return None if since is None else round((now - since).total_seconds(), 1)


def _stalled(*, waiting: int, oldest: float | None, last_pickup: float | None) -> bool:
    limit = settings.TASK_STALL_SECONDS
    return (
        bool(waiting)
        and oldest is not None
        and oldest > limit
        and not (last_pickup is not None and last_pickup <= limit)
    )


def database_queue(*, now: datetime.datetime) -> dict:
    """django-tasks-db: due READY rows are waiting; a row's started_at is a worker's pick-up."""
    from django_tasks_db.models import DBTaskResult, get_date_max

    # A retry waits from its run_after, a fresh task (run_after at the maximum) from enqueueing.
    waiting_since = Case(When(run_after=get_date_max(), then=F("enqueued_at")), default="run_after")
    due = DBTaskResult.objects.ready().filter(backend_name=default_task_backend.alias)
    counts = due.aggregate(waiting=Count("pk"), oldest=Min(waiting_since))
    oldest = _age(counts["oldest"], now)
    report = {"backend": "database", "waiting": counts["waiting"], "oldest_waiting_seconds": oldest}
    last_pickup = None
    if counts["waiting"] and oldest is not None and oldest > settings.TASK_STALL_SECONDS:
        started = DBTaskResult.objects.filter(started_at__isnull=False).order_by("-started_at")
        last_pickup = _age(started.values_list("started_at", flat=True).first(), now)
    return {
        **report,
        "stalled": _stalled(waiting=counts["waiting"], oldest=oldest, last_pickup=last_pickup),
    }


def _last_pickup(queue, now: datetime.datetime) -> float | None:
    """Seconds since a job of `queue` was last started: running ones, and the latest to end."""
    from rq.registry import FailedJobRegistry, FinishedJobRegistry, StartedJobRegistry

    ids = [job_id for job_id, _ in StartedJobRegistry(queue=queue).get_job_and_execution_ids()]
    for registry in (FinishedJobRegistry(queue=queue), FailedJobRegistry(queue=queue)):
        ids += registry.get_job_ids(-1, -1)
    started = [job.started_at for job in queue.job_class.fetch_many(ids, queue.connection) if job]
    started = [moment for moment in started if moment is not None]
    return _age(max(started), now) if started else None


def rq_queue(*, now: datetime.datetime) -> dict:
    """django-tasks-rq: each configured queue's length and registered workers, from Redis."""
    import django_rq
    from rq import Worker

    waiting = workers = 0
    stalled = False
    oldest_overall = None
    for name in sorted(default_task_backend.queues):
        queue = django_rq.get_queue(name)
        length = queue.count
        workers += Worker.count(queue=queue)
        head = queue.get_job_ids(0, 1)
        job = queue.fetch_job(head[0]) if head else None
        oldest = _age(job.enqueued_at if job else None, now)
        if oldest is not None and (oldest_overall is None or oldest > oldest_overall):
            oldest_overall = oldest
        if length and oldest is not None and oldest > settings.TASK_STALL_SECONDS:
            last_pickup = _last_pickup(queue, now)
            stalled |= _stalled(waiting=length, oldest=oldest, last_pickup=last_pickup)
        waiting += length
    return {
        "backend": "rq",
        "queued": waiting,
        "workers": workers,
        "oldest_waiting_seconds": oldest_overall,
        "stalled": stalled,
    }


def task_queue_report() -> dict:
    """The queue's figures and a status: ok, or degraded with the reason."""
    now = timezone.now()
    backend = settings.TASKS["default"]["BACKEND"]
    if backend == "django_tasks_db.DatabaseBackend":
        report = database_queue(now=now)
    elif backend == "django_tasks_rq.RQBackend":
        try:
            report = rq_queue(now=now)
        except RedisError as exc:
            return {
                "status": f"degraded: the queue's Redis cannot be reached ({exc})"[:200],
                "backend": "rq",
            }
    else:
        return {"status": "ok", "backend": backend.rsplit(".", 1)[-1]}
    stalled = report.pop("stalled")
    status = "ok"
    if stalled:
        status = (
            f"degraded: tasks wait and no worker has picked one up for over "
            f"{settings.TASK_STALL_SECONDS} s"
        )
    return {"status": status, **report}


CHECKS = {
    "database": (check_database, DatabaseError),
    "cache": (check_cache, CACHE_ERRORS),
    "storage": (check_storage, (OSError, BotoCoreError, ClientError)),
}


@never_cache
def healthz(request):
    report = {}
    for name, (check, errors) in CHECKS.items():
        try:
            check()
        except errors as exc:
            report[name] = f"error: {exc}"[:200]
        else:
            report[name] = "ok"
    if report["database"] == "ok":
        report["tasks"] = task_queue_report()
    if report["database"] != "ok":
        status = "error"
    elif all(value == "ok" for value in report.values() if isinstance(value, str)) and (
        report["tasks"]["status"] == "ok"
    ):
        status = "ok"
    else:
        status = "degraded"
    return JsonResponse({"status": status, **report}, status=503 if status == "error" else 200)
