"""Production compiles each template once per process: the paper page renders from the cache."""

import os
import subprocess
import sys

from tests.processes import ROOT

REPORT = (
    "from django.template import engines; "
    "engine = engines['django'].engine; "
    "loader = engine.template_loaders[0]; "
    "print(type(loader).__module__, type(loader).__name__, engine.debug); "
    "first = engine.get_template('includes/paper_reviews.html'); "
    "print(engine.get_template('includes/paper_reviews.html') is first)"
)


def test_production_templates_come_from_the_cached_loader():
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", REPORT],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "DATABASE_URL": "sqlite:///:memory:",
            "DEBUG": "false",
            "SECRET_KEY": "t3#kq2!vL9s@pR4mZ8tW1yB6nC3dF5gH0jK-template-loader-secret",
            "ALLOWED_HOSTS": "reviews.example.org",
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "django.template.loaders.cached Loader False",
        "True",
    ]
