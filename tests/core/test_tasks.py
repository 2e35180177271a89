"""Tasks retry transient failures with backoff, give up visibly, and can be run again."""

import datetime

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from core.tasks import backoff, retried_task, run_again
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

CALLS: list[dict] = []
GIVEN_UP: list[dict] = []


def record_give_up(**kwargs):
    GIVEN_UP.append(kwargs)


@retried_task(max_attempts=3, on_give_up=record_give_up)
def flaky(*, key: str, failures: int) -> str:
    """Fails with an OSError the first `failures` times it runs for `key`."""
    CALLS.append({"key": key})
    if sum(call["key"] == key for call in CALLS) <= failures:
        raise OSError(f"storage unreachable for {key}")
    return f"done {key}"


@retried_task()
def broken(*, key: str) -> str:
    raise ValueError(f"bad input {key}")


@pytest.fixture(autouse=True)
def database_queue(settings):
    """The embedded default: results in the database, worked off by db_worker."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    CALLS.clear()
    GIVEN_UP.clear()


def work_off():
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)


def results(task_name):
    """Results in the order they were enqueued: by attempt (the clock is frozen in some tests)."""
    rows = DBTaskResult.objects.filter(task_path=f"tests.core.test_tasks.{task_name}")
    return sorted(
        rows.order_by("enqueued_at"),
        key=lambda r: (r.args_kwargs["kwargs"].get("attempt", 1), r.enqueued_at),
    )


def test_the_backoff_grows_fourfold_from_ten_seconds():
    assert [backoff(n).total_seconds() for n in (1, 2, 3)] == [10, 40, 160]


def test_a_transient_failure_is_enqueued_again_after_the_backoff():
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        flaky.enqueue(key="a", failures=1)
        work_off()
        first, retry = results("flaky")
        assert (first.status, retry.status) == ("FAILED", "READY")
        assert "OSError: storage unreachable for a" in first.traceback
        assert retry.args_kwargs["kwargs"] == {"key": "a", "failures": 1, "attempt": 2}
        assert retry.run_after == start + datetime.timedelta(seconds=10)
        work_off()
        assert DBTaskResult.objects.get(pk=retry.pk).status == "READY"
        traveller.shift(datetime.timedelta(seconds=11))
        work_off()
    retry.refresh_from_db()
    assert (retry.status, retry.return_value) == ("SUCCESSFUL", "done a")
    assert GIVEN_UP == []


def test_the_last_failed_attempt_gives_up_and_tells_the_task():
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        flaky.enqueue(key="b", failures=5)
        for _ in range(3):
            work_off()
            traveller.shift(datetime.timedelta(minutes=5))
    assert [r.status for r in results("flaky")] == ["FAILED", "FAILED", "FAILED"]
    assert GIVEN_UP == [{"error": "OSError: storage unreachable for b", "key": "b", "failures": 5}]


def test_an_error_that_a_retry_cannot_fix_fails_once():
    broken.enqueue(key="c")
    work_off()
    [result] = results("broken")
    assert result.status == "FAILED"
    assert result.traceback.strip().endswith("ValueError: bad input c")


def test_run_again_enqueues_a_fresh_first_attempt():
    run_again(
        task_path="tests.core.test_tasks.flaky", kwargs={"key": "d", "failures": 0, "attempt": 3}
    )
    [result] = results("flaky")
    assert result.args_kwargs["kwargs"] == {"key": "d", "failures": 0}


def test_run_again_refuses_a_path_that_is_not_a_task():
    with pytest.raises(ValueError, match=r"core\.tasks\.backoff is not a task"):
        run_again(task_path="core.tasks.backoff", kwargs={})


def test_the_admin_lists_a_failed_task_with_its_error_and_runs_it_again(client):
    broken.enqueue(key="e")
    work_off()
    [failed] = results("broken")
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    changelist = reverse("admin:django_tasks_database_dbtaskresult_changelist")
    page = client.get(changelist, {"status__exact": "FAILED"}).content.decode()
    assert "ValueError: bad input e" in page
    assert "key=&#x27;e&#x27;" in page
    response = client.post(
        changelist, {"action": "run_again", "_selected_action": [str(failed.pk)]}, follow=True
    )
    assert "Enqueued 1 task(s) again." in response.content.decode()
    assert [r.status for r in results("broken")] == ["FAILED", "READY"]


def test_only_superusers_may_run_a_task_again(client):
    broken.enqueue(key="f")
    work_off()
    [failed] = results("broken")
    viewer = UserFactory(username="viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_dbtaskresult"))
    client.force_login(viewer)
    changelist = reverse("admin:django_tasks_database_dbtaskresult_changelist")
    page = client.get(changelist).content.decode()
    assert "bad input f" in page
    assert 'value="run_again"' not in page
    client.post(changelist, {"action": "run_again", "_selected_action": [str(failed.pk)]})
    assert len(results("broken")) == 1
