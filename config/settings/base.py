"""Settings shared by every environment; each value comes from the environment."""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("Set SECRET_KEY (a dev default exists only with DEBUG=true).")
    SECRET_KEY = "django-insecure-dev-only-conference-reviews"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "taggit",
    "django_tasks",
    "django_tasks_db",
    "django_rq",
    "axes",
    "core",
    "papers",
    "reviews",
    "search",
    "api",
]

# The page cache answers anonymous readers first, before anything but the request id: a stored
# page keeps every header the middleware below it added (security headers, CSP), so a hit
# re-sends them. The API's pages are cached below its rate limit (ApiPageCacheMiddleware).
MIDDLEWARE = [
    "core.request_id.RequestIdMiddleware",
    "core.page_cache.PageCacheMiddleware",
    "core.addresses.ForwardedForMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "core.security.SiteCSPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.security.HostileQueryMiddleware",
    "core.security.AnonymousBodyLimitMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "api.middleware.ApiMiddleware",
    "core.page_cache.ApiPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "core.uploads.UploadLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Pages read through a memory map rather than a read() call each: a search checks thousands
    # of matching rows' visibility, page by page (twice as fast at 100,000 papers).
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = "PRAGMA mmap_size=1073741824"
    # A transaction takes the write lock when it begins and waits up to 20 s for it: a deferred
    # one that reads and then writes fails at once with "database is locked" while the task
    # worker writes (an admin page opening a working copy as renditions land).
    DATABASES["default"]["OPTIONS"].update(transaction_mode="IMMEDIATE", timeout=20)


def use_connection_pool(database: dict, *, max_size: int) -> None:
    """On PostgreSQL, a psycopg pool of `max_size` connections per process (Django's "pool"
    option) instead of a persistent connection per thread; 0 leaves it off. See
    docs/SCALING.md for the limits: (web processes + workers) x max_size < max_connections."""
    if max_size <= 0 or not database["ENGINE"].endswith("postgresql"):
        return
    database["CONN_MAX_AGE"] = 0  # the pool keeps the connections
    database.setdefault("OPTIONS", {})["pool"] = {
        "min_size": env.int("DB_POOL_MIN_SIZE", default=1),
        "max_size": max_size,
        "timeout": env.float("DB_POOL_TIMEOUT", default=10.0),
    }


DB_POOL_MAX_SIZE = env.int("DB_POOL_MAX_SIZE", default=0)
use_connection_pool(DATABASES["default"], max_size=DB_POOL_MAX_SIZE)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Search plans over 100,000 rows pass jit_above_cost, and compiling them costs more than
    # running them (over 100 ms of a 50 ms budget): a web request never gains from JIT.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# How long a signed URL to a draft's file in the media bucket stays valid (core.storage).
MEDIA_SIGNED_URL_SECONDS = env.int("MEDIA_SIGNED_URL_SECONDS", default=300)

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Uploads waiting for a confirmation (core.staging); never served.
    "staging": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": env.path("STAGING_ROOT", default=BASE_DIR / "var" / "staging")},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# With a bucket named, media live in it (S3 API: AWS, MinIO, moto); otherwise on local disk.
# Staged uploads go to the same bucket under staging/, so any web process can take them.
if env("AWS_STORAGE_BUCKET_NAME", default=""):
    from core.storage import s3_options

    _bucket = s3_options(
        bucket=env("AWS_STORAGE_BUCKET_NAME"),
        endpoint_url=env("AWS_S3_ENDPOINT_URL", default=""),
        region=env("AWS_S3_REGION_NAME", default="us-east-1"),
        access_key=env("AWS_ACCESS_KEY_ID", default=""),
        secret_key=env("AWS_SECRET_ACCESS_KEY", default=""),
        signed_seconds=MEDIA_SIGNED_URL_SECONDS,
    )
    STORAGES["default"] = {"BACKEND": "core.storage.MediaStorage", "OPTIONS": _bucket}
    STORAGES["staging"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {**_bucket, "location": "staging"},
    }

TAGGIT_CASE_INSENSITIVE = True

REDIS_URL = env("REDIS_URL", default="")
CACHES = {
    "default": (
        {
            "BACKEND": "core.cache.RedisCache",
            "LOCATION": REDIS_URL,
            # Several sites (or bench runs) may share one Redis database.
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", default=""),
            # A Redis that hangs must not hang every request: page_cache treats errors as misses.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Background tasks (Django's Tasks API through the django-tasks backport). TASK_BACKEND:
# "database" (the default: rows in this database, run by `manage.py db_worker`), "rq" (a Redis
# queue at REDIS_URL, run by `manage.py rqworker default`) or "immediate" (run inside the call,
# for tests and one-off shells).
TASK_BACKENDS = {
    "database": {"BACKEND": "django_tasks_db.DatabaseBackend"},
    "rq": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]},
    "immediate": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
}
TASK_BACKEND = env("TASK_BACKEND", default="database")
TASKS = {"default": TASK_BACKENDS[TASK_BACKEND]}
RQ_QUEUES = {
    "default": {
        "URL": env("RQ_URL", default=REDIS_URL or "redis://127.0.0.1:6379/0"),
        "DEFAULT_TIMEOUT": env.int("TASK_TIMEOUT_SECONDS", default=900),
    }
}
# /healthz reports the task queue degraded when tasks wait and no worker has picked one up
# for this long.
TASK_STALL_SECONDS = env.int("TASK_STALL_SECONDS", default=300)

PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=300)
# Cache-Control on pages the page cache stores: how long browsers (max-age) and shared caches
# such as a CDN (s-maxage) may serve them unasked, and how long past s-maxage a shared cache may
# still serve one while it asks again (stale-while-revalidate); a publish shows there at most
# s-maxage + stale-while-revalidate late, and no page is kept past a scheduled publication.
PUBLIC_MAX_AGE = env.int("PUBLIC_MAX_AGE", default=0)
PUBLIC_S_MAXAGE = env.int("PUBLIC_S_MAXAGE", default=60)
PUBLIC_STALE_WHILE_REVALIDATE = env.int("PUBLIC_STALE_WHILE_REVALIDATE", default=30)
# Reverse proxies in front of the site that append to X-Forwarded-For (core.addresses); 0: none,
# the header is ignored and the connection's address is the client's.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# Requests per minute per client address on /api/ (0: no limit).
API_RATE_LIMIT = env.int("API_RATE_LIMIT", default=300)
# Video suggestions a reader's address may send per hour (0: no limit); see papers.videos.
VIDEO_SUGGESTIONS_PER_HOUR = env.int("VIDEO_SUGGESTIONS_PER_HOUR", default=5)
# Approving a video fetches its host's still image into media (reviews.media.video_thumbnails);
# VIDEO_THUMBNAIL_ORIGIN, when set, is fetched from instead of the host (a mirror).
VIDEO_THUMBNAILS = env.bool("VIDEO_THUMBNAILS", default=True)
VIDEO_THUMBNAIL_ORIGIN = env("VIDEO_THUMBNAIL_ORIGIN", default="")
# Anonymous readers have nothing to upload; core.security refuses bigger bodies with 413.
ANONYMOUS_MAX_BODY_BYTES = env.int("ANONYMOUS_MAX_BODY_BYTES", default=2 * 1024 * 1024)
# import_site refuses an archive past these before it writes anything (core.backup.archive):
# total unpacked bytes, number of members, and unpacked/packed ratio of any member over 1 MiB.
BACKUP_MAX_BYTES = env.int("BACKUP_MAX_BYTES", default=50 * 1024**3)
BACKUP_MAX_MEMBERS = env.int("BACKUP_MAX_MEMBERS", default=1_000_000)
BACKUP_MAX_RATIO = env.int("BACKUP_MAX_RATIO", default=200)
# One uploaded file past this is refused with 413 while it arrives (core.uploads), before it is
# spooled; the largest legitimate upload is a 50 MB Jekyll bundle.
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=50 * 1024 * 1024)
FILE_UPLOAD_HANDLERS = [
    "core.uploads.UploadLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# How long an upload waits for its confirmation in the staging storage (core.staging).
STAGED_UPLOAD_SECONDS = env.int("STAGED_UPLOAD_SECONDS", default=3600)

# Security headers; production.py adds HTTPS-only settings.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "https:", "http:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        # The players of papers.video_hosts.EMBED_ORIGINS, inserted only when a reader clicks play.
        "frame-src": [
            "https://www.youtube-nocookie.com",
            "https://player.vimeo.com",
            "https://slideslive.com",
            "https://player.bilibili.com",
        ],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Admin login throttling: lock a username+address pair out after repeated failures.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "core.request_id.RequestIdFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "json",
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
