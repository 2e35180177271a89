"""Curator actions recorded in the admin's own log (Django's LogEntry), shown in each object's history."""

from django.contrib.admin.models import CHANGE, LogEntry


def log_action(*, user, obj, message: str, flag: int = CHANGE) -> LogEntry | None:
    """Record `message` about `obj` by `user`; nothing is logged without a user (e.g. a cron run)."""
    if user is None or not user.is_authenticated:
        return None
    return LogEntry.objects.log_actions(
        user_id=user.pk,
        queryset=[obj],
        action_flag=flag,
        change_message=message,
        single_object=True,
    )
