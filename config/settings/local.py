"""Development settings: DEBUG on unless the environment says otherwise."""

import os

os.environ.setdefault("DEBUG", "true")

from config.settings.base import *  # noqa: F403

# Parallel work can no longer fork the migration history: max_migration.txt conflicts instead.
INSTALLED_APPS = ["django_linear_migrations", *INSTALLED_APPS]  # noqa: F405
