"""/healthz: each dependency's state; 503 only when the site cannot serve (the database is down).

A dead cache or unwritable media storage degrades the site (pages uncached, uploads failing) but
pages still answer, so a load balancer must keep sending traffic: 200 with status "degraded".
"""

import uuid

from botocore.exceptions import BotoCoreError, ClientError
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

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
    if report["database"] != "ok":
        status = "error"
    elif all(value == "ok" for value in report.values()):
        status = "ok"
    else:
        status = "degraded"
    return JsonResponse({"status": status, **report}, status=503 if status == "error" else 200)
