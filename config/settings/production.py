"""Production settings: fail closed; everything else comes from the environment."""

from config.settings.base import *  # noqa: F403
from config.settings.base import REDIS_URL, TASK_BACKENDS, env, use_connection_pool

# Beyond one machine the queue lives in Redis (workers: `manage.py rqworker default`).
TASK_BACKEND = env("TASK_BACKEND", default="rq" if REDIS_URL else "database")
TASKS = {"default": TASK_BACKENDS[TASK_BACKEND]}

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
CSRF_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# PostgreSQL connections through psycopg's pool, one pool per process: the server sees at most
# (web processes + workers) x DB_POOL_MAX_SIZE connections, which must stay under its
# max_connections (100 by default). A sync gunicorn worker serves one request at a time, so a
# small pool suffices; DB_POOL_MAX_SIZE=0 turns pooling off.
DB_POOL_MAX_SIZE = env.int("DB_POOL_MAX_SIZE", default=4)
use_connection_pool(DATABASES["default"], max_size=DB_POOL_MAX_SIZE)  # noqa: F405
