"""Production settings: the task queue follows REDIS_URL, PostgreSQL goes through a pool."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
SECRET = "x7#kq2!vL9s@pR4mZ8tW1yB6nC3dF5gH0jK-production-grade-secret"
REPORT = (
    "from django.conf import settings; from django.db import connection; "
    "db = settings.DATABASES['default']; "
    "print(settings.TASKS['default']['BACKEND']); "
    "print(db['CONN_MAX_AGE'], db.get('OPTIONS', {}).get('pool')); "
    "connection.ensure_connection(); "
    "print(type(getattr(connection, 'pool', None)).__name__)"
)


def production(**env):
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", REPORT],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "TASK_BACKEND")},
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "DEBUG": "false",
            "SECRET_KEY": SECRET,
            "ALLOWED_HOSTS": "reviews.example.org",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def test_without_redis_tasks_use_the_database_and_sqlite_has_no_pool():
    assert production(DATABASE_URL="sqlite:///:memory:") == [
        "django_tasks_db.DatabaseBackend",
        "60 None",
        "NoneType",
    ]


def test_with_redis_tasks_go_to_the_rq_queue():
    lines = production(DATABASE_URL="sqlite:///:memory:", REDIS_URL="redis://127.0.0.1:6379/15")
    assert lines[0] == "django_tasks_rq.RQBackend"


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgresql_connections_come_from_a_bounded_pool():
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    assert production(DATABASE_URL=url, DB_POOL_MAX_SIZE="3") == [
        "django_tasks_db.DatabaseBackend",
        "0 {'min_size': 1, 'max_size': 3, 'timeout': 10.0}",
        "ConnectionPool",
    ]


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_pool_size_of_zero_turns_pooling_off():
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    assert production(DATABASE_URL=url, DB_POOL_MAX_SIZE="0")[1:] == ["60 None", "NoneType"]
