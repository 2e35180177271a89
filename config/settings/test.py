"""Test settings: fast hashing, isolated media, SQLite unless DATABASE_URL says otherwise."""

import os
import tempfile

os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production")
os.environ.setdefault("SITE_URL", "https://reviews.example.org")
os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="cr-test-media-"))
os.environ.setdefault("STAGING_ROOT", tempfile.mkdtemp(prefix="cr-test-staging-"))

from config.settings.base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
ALLOWED_HOSTS = ["*"]
# Serve static files through the finders so tests need no collectstatic run.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

# A file, not memory, for the SQLite test database, so a server started by a test sees its data.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.gettempdir(), f"cr-test-{os.getpid()}.sqlite3")
    }

# Query-count tests measure the views themselves; the page-cache tests switch the cache on.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=0)  # noqa: F405

# Parallel work can no longer fork the migration history: max_migration.txt conflicts instead.
INSTALLED_APPS = ["django_linear_migrations", *INSTALLED_APPS]  # noqa: F405

# The fuzz run sends hundreds of requests; the rate-limit test lowers this itself.
API_RATE_LIMIT = env.int("API_RATE_LIMIT", default=0)  # noqa: F405

# Tasks run inside the call that enqueues them; a test that needs a real worker overrides this.
TASK_BACKEND = env("TASK_BACKEND", default="immediate")  # noqa: F405
TASKS = {"default": TASK_BACKENDS[TASK_BACKEND]}  # noqa: F405

# Approving a video in a test reaches no video host; the thumbnail tests switch this on and point
# VIDEO_THUMBNAIL_ORIGIN at a server on 127.0.0.1.
VIDEO_THUMBNAILS = env.bool("VIDEO_THUMBNAILS", default=False)  # noqa: F405
