"""/healthz's task-queue entry, against real task rows and a real Redis queue with an RQ worker."""

import datetime
import uuid

import django_rq
import django_tasks_rq
import pytest
import time_machine
from django_tasks_db.models import DBTaskResult
from rq import SimpleWorker, Worker
from rq.registry import FinishedJobRegistry

from reviews.tasks import make_renditions

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 12, 2, 6, 0, tzinfo=datetime.UTC)
STALL_SECONDS = 300


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.TASK_STALL_SECONDS = STALL_SECONDS


@pytest.fixture
def redis_queue(settings):
    """A queue of its own on the test Redis, so runs beside other test sessions never mix."""
    name = f"healthz-{uuid.uuid4().hex[:12]}"
    url = settings.RQ_QUEUES["default"]["URL"]
    settings.RQ_QUEUES = {**settings.RQ_QUEUES, name: {"URL": url}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": [name]}}
    settings.TASK_STALL_SECONDS = STALL_SECONDS
    queue = django_rq.get_queue(name)
    yield queue
    queue.delete(delete_jobs=True)


def enqueue_renditions(count, *, queue_name="default"):
    task = make_renditions.using(queue_name=queue_name)
    return [task.enqueue(kind="gallery", pk=n) for n in range(1, count + 1)]


def tasks_entry(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    return response.json()["status"], response.json()["tasks"]


def test_an_empty_database_queue_is_ok(client, database_queue):
    assert tasks_entry(client) == (
        "ok",
        {"status": "ok", "backend": "database", "waiting": 0, "oldest_waiting_seconds": None},
    )


def test_waiting_database_tasks_are_counted_with_the_age_of_the_oldest(client, database_queue):
    with time_machine.travel(NOW, tick=False) as traveller:
        enqueue_renditions(1)
        traveller.shift(datetime.timedelta(seconds=40))
        enqueue_renditions(2)
        traveller.shift(datetime.timedelta(seconds=20))
        status, entry = tasks_entry(client)

    assert DBTaskResult.objects.count() == 3
    assert (status, entry) == (
        "ok",
        {"status": "ok", "backend": "database", "waiting": 3, "oldest_waiting_seconds": 60.0},
    )


def test_tasks_nobody_picks_up_past_the_threshold_degrade_the_site(client, database_queue):
    with time_machine.travel(NOW, tick=False) as traveller:
        enqueue_renditions(2)
        traveller.shift(datetime.timedelta(seconds=STALL_SECONDS + 1))
        status, entry = tasks_entry(client)

    assert status == "degraded"
    assert entry == {
        "status": "degraded: tasks wait and no worker has picked one up for over 300 s",
        "backend": "database",
        "waiting": 2,
        "oldest_waiting_seconds": 301.0,
    }


def test_old_waiting_tasks_are_fine_while_a_worker_keeps_picking_them_up(client, database_queue):
    with time_machine.travel(NOW, tick=False) as traveller:
        enqueue_renditions(3)
        traveller.shift(datetime.timedelta(seconds=STALL_SECONDS + 100))
        DBTaskResult.objects.ready().get_locked().claim("worker-1")
        traveller.shift(datetime.timedelta(seconds=10))
        status, entry = tasks_entry(client)

    assert (status, entry["status"], entry["waiting"]) == ("ok", "ok", 2)


def test_a_retry_not_due_yet_is_not_waiting(client, database_queue):
    with time_machine.travel(NOW, tick=False):
        later = NOW + datetime.timedelta(hours=1)
        make_renditions.using(run_after=later).enqueue(kind="gallery", pk=1)
        status, entry = tasks_entry(client)

    assert DBTaskResult.objects.count() == 1
    assert (status, entry["waiting"], entry["oldest_waiting_seconds"]) == ("ok", 0, None)


def test_a_redis_queue_reports_its_length_and_registered_workers(client, redis_queue):
    worker = Worker([redis_queue], connection=redis_queue.connection, name=redis_queue.name)
    worker.register_birth()
    try:
        with time_machine.travel(NOW, tick=False) as traveller:
            enqueue_renditions(2, queue_name=redis_queue.name)
            traveller.shift(datetime.timedelta(seconds=30))
            status, entry = tasks_entry(client)
    finally:
        worker.register_death()

    assert redis_queue.count == 2
    assert (status, entry) == (
        "ok",
        {
            "status": "ok",
            "backend": "rq",
            "queued": 2,
            "workers": 1,
            "oldest_waiting_seconds": 30.0,
        },
    )


def test_a_redis_queue_nobody_takes_from_degrades_the_site(client, redis_queue):
    with time_machine.travel(NOW, tick=False) as traveller:
        enqueue_renditions(1, queue_name=redis_queue.name)
        traveller.shift(datetime.timedelta(seconds=STALL_SECONDS + 5))
        status, entry = tasks_entry(client)

    assert status == "degraded"
    assert entry == {
        "status": "degraded: tasks wait and no worker has picked one up for over 300 s",
        "backend": "rq",
        "queued": 1,
        "workers": 0,
        "oldest_waiting_seconds": 305.0,
    }


def test_old_queued_jobs_are_fine_while_an_rq_worker_keeps_taking_them(client, redis_queue):
    worker = SimpleWorker(
        [redis_queue], connection=redis_queue.connection, job_class=django_tasks_rq.Job
    )
    with time_machine.travel(NOW, tick=False) as traveller:
        enqueue_renditions(3, queue_name=redis_queue.name)
        traveller.shift(datetime.timedelta(seconds=STALL_SECONDS + 100))
        assert worker.work(burst=True, max_jobs=1)
        traveller.shift(datetime.timedelta(seconds=10))
        status, entry = tasks_entry(client)
        # Inside the travel: the registry drops results past their TTL by the clock.
        finished = FinishedJobRegistry(queue=redis_queue).count

    assert finished == 1
    assert (status, entry["status"], entry["queued"]) == ("ok", "ok", 2)
    assert entry["oldest_waiting_seconds"] == STALL_SECONDS + 110


def test_the_queue_unreachable_degrades_the_site_and_says_so(client, settings):
    settings.RQ_QUEUES = {"default": {"URL": "redis://127.0.0.1:1/0"}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}

    status, entry = tasks_entry(client)

    assert status == "degraded"
    assert entry["backend"] == "rq"
    assert entry["status"].startswith("degraded: the queue's Redis cannot be reached (")
    assert "127.0.0.1:1" in entry["status"]


@pytest.mark.parametrize("waiting", [2, 40])
def test_the_database_queue_costs_one_query_whatever_its_length(
    client, database_queue, django_assert_num_queries, waiting
):
    enqueue_renditions(waiting)
    # SELECT 1 for the database, one aggregate for the queue.
    with django_assert_num_queries(2):
        assert tasks_entry(client)[1]["waiting"] == waiting


@pytest.mark.parametrize("waiting", [2, 40])
def test_a_stalled_database_queue_costs_one_query_more(
    client, database_queue, django_assert_num_queries, waiting
):
    with time_machine.travel(NOW, tick=False) as traveller:
        enqueue_renditions(waiting)
        traveller.shift(datetime.timedelta(seconds=STALL_SECONDS + 1))
        with django_assert_num_queries(3):
            assert tasks_entry(client)[0] == "degraded"
