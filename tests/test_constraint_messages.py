"""Every database constraint of the project's own apps refuses in words a curator understands."""

from pathlib import Path

from django.apps import apps

ROOT = Path(__file__).resolve().parent.parent


def project_constraints():
    for config in apps.get_app_configs():
        # The project's apps are the repository's top-level packages (not .venv's).
        if Path(config.path).resolve().parent != ROOT:
            continue
        for model in config.get_models():
            for constraint in model._meta.constraints:
                yield model, constraint


def test_the_walk_finds_the_constraints_of_every_project_app():
    found = {model._meta.app_label for model, _ in project_constraints()}
    assert found == {"core", "papers", "reviews", "search"}


def test_every_constraint_has_a_plain_message_without_its_name():
    unexplained = [
        f"{model._meta.label}.{constraint.name}"
        for model, constraint in project_constraints()
        if constraint.violation_error_message == constraint.default_violation_error_message
        or constraint.name in constraint.get_violation_error_message()
        or "constraint" in constraint.get_violation_error_message().lower()
    ]
    assert unexplained == []
