"""Task results in the admin: what ran, what failed and why, and a re-run for operators.

Replaces django-tasks-db's read-only screen with one that shows each result's error and
attempt in the list and offers superusers "Run again" (a fresh first attempt of the same call,
through core.tasks.run_again). Only the database backend keeps results in tables; with the RQ
backend, failed jobs are in django-rq's dashboard under /admin/rq/.
"""

from django.contrib import admin, messages
from django.utils.module_loading import import_string
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from core.tasks import run_again

admin.site.unregister(DBTaskResult)


def error_summary(result: DBTaskResult) -> str:
    """The exception's class and message: the traceback's last line."""
    if not result.traceback:
        return ""
    lines = [line for line in result.traceback.strip().splitlines() if line.strip()]
    return lines[-1] if lines else result.exception_class_path


@admin.register(DBTaskResult)
class TaskResultAdmin(DBTaskResultAdmin):
    list_display = (
        "task_name",
        "status",
        "attempt",
        "call",
        "error",
        "enqueued_at",
        "finished_at",
        "queue_name",
    )
    list_filter = ("status", "queue_name", "task_path")
    search_fields = ("task_path", "traceback")
    actions = ["run_again"]

    @admin.display(description="attempt")
    def attempt(self, obj: DBTaskResult) -> int:
        return (obj.args_kwargs or {}).get("kwargs", {}).get("attempt", 1)

    @admin.display(description="arguments")
    def call(self, obj: DBTaskResult) -> str:
        kwargs = (obj.args_kwargs or {}).get("kwargs", {})
        return ", ".join(f"{k}={v!r}" for k, v in kwargs.items() if k != "attempt")

    @admin.display(description="error")
    def error(self, obj: DBTaskResult) -> str:
        return error_summary(obj)

    def has_rerun_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser

    @admin.action(description="Run again", permissions=["rerun"])
    def run_again(self, request, queryset):
        count = 0
        for result in queryset:
            try:
                import_string(result.task_path)
            except ImportError:
                self.message_user(
                    request,
                    f"{result.task_path} no longer exists; not run again.",
                    messages.ERROR,
                )
                continue
            run_again(
                task_path=result.task_path,
                kwargs=(result.args_kwargs or {}).get("kwargs", {}),
            )
            count += 1
        if count:
            self.message_user(request, f"Enqueued {count} task(s) again.", messages.SUCCESS)
