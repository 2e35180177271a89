"""The compose file: valid by the Compose Specification, and its web health check passes against
a server run with .env.example as shipped."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft201909Validator

from config.settings import production

ROOT = Path(__file__).resolve().parents[1]
PROBE_ADDRESS = "127.0.0.1:8000"
# The Compose Specification's schema, vendored with its source and licence (README beside it).
COMPOSE_SPEC = ROOT / "tests" / "fixtures" / "compose_spec" / "compose-spec.json"


def compose_validator():
    schema = json.loads(COMPOSE_SPEC.read_text())
    Draft201909Validator.check_schema(schema)
    return Draft201909Validator(schema)


def compose_errors(document):
    """Each validation error as (path, message), in a stable order."""
    errors = compose_validator().iter_errors(document)
    return sorted(("/".join(map(str, e.absolute_path)), e.message) for e in errors)


def test_the_compose_file_is_valid_by_the_compose_specification():
    assert compose_errors(yaml.safe_load((ROOT / "docker-compose.yml").read_text())) == []


def _redis_with_unknown_key(services):
    services["redis"]["restart_policy"] = "always"
    return "services/redis", "'restart_policy' does not match any of the regexes: '^x-'"


def _retries_as_text(services):
    services["db"]["healthcheck"]["retries"] = "ten"
    return "services/db/healthcheck/retries", "'ten' is not of type 'number'"


def _misspelt_condition(services):
    services["web"]["depends_on"]["db"]["condition"] = "service_healty"
    depends_on = services["web"]["depends_on"]
    return "services/web/depends_on", f"{depends_on!r} is not valid under any of the given schemas"


def _command_as_mapping(services):
    services["worker"]["command"] = {"run": "rqworker"}
    return (
        "services/worker/command",
        "{'run': 'rqworker'} is not valid under any of the given schemas",
    )


def _ports_as_text(services):
    services["web"]["ports"] = "127.0.0.1:8000:8000"
    return "services/web/ports", "'127.0.0.1:8000:8000' is not of type 'array'"


@pytest.mark.parametrize(
    "breakage",
    [
        _redis_with_unknown_key,
        _retries_as_text,
        _misspelt_condition,
        _command_as_mapping,
        _ports_as_text,
    ],
)
def test_a_broken_compose_file_fails_the_specification(breakage):
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    expected = breakage(compose["services"])
    assert compose_errors(compose) == [expected]


def test_an_unknown_top_level_key_fails_the_specification():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    compose["service"] = compose.pop("volumes")
    assert compose_errors(compose) == [("", "'service' does not match any of the regexes: '^x-'")]


def env_example():
    lines = (ROOT / ".env.example").read_text().splitlines()
    pairs = (line.split("=", 1) for line in lines if line.strip() and not line.startswith("#"))
    return {key.strip(): value.strip() for key, value in pairs}


def web_probe():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    command = compose["services"]["web"]["healthcheck"]["test"]
    assert command[:3] == ["CMD", "python", "-c"]
    return command[3]


@pytest.mark.django_db(transaction=True)
def test_the_compose_health_check_passes_with_the_shipped_env_example(live_server, settings):
    env = env_example()
    settings.ALLOWED_HOSTS = env["ALLOWED_HOSTS"].split(",")
    settings.DEBUG = env["DEBUG"] == "true"
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_REDIRECT_EXEMPT = production.SECURE_REDIRECT_EXEMPT
    probe = web_probe()
    assert f"http://{PROBE_ADDRESS}/healthz" in probe
    port = live_server.url.rsplit(":", 1)[1]
    result = subprocess.run(
        [sys.executable, "-c", probe.replace(PROBE_ADDRESS, f"127.0.0.1:{port}")],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert (result.returncode, result.stderr) == (0, "")


def test_the_web_service_keeps_its_media_in_the_compose_files_bucket():
    """The variable names compose gives the web service are the ones the storage test servers
    are started with (tests/test_two_instances.py), pointing at the MinIO service."""
    from tests import s3

    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    web = services["web"]["environment"]
    bucket_job = " ".join(services["minio-bucket"]["entrypoint"].split())

    assert {"db", "redis", "minio", "minio-bucket", "web"} <= set(services)
    assert set(s3.environment("http://minio:9000", "media")) <= set(web)
    assert web["AWS_S3_ENDPOINT_URL"] == "http://minio:9000"
    assert f"mc mb --ignore-existing local/{web['AWS_STORAGE_BUCKET_NAME']}" in bucket_job
    assert "mc anonymous set none" in bucket_job
    assert services["web"]["depends_on"]["minio-bucket"] == {
        "condition": "service_completed_successfully"
    }


def compose_services():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]


def test_the_worker_runs_the_redis_queue_with_the_web_services_database_and_media():
    services = compose_services()
    web, worker = services["web"], services["worker"]
    command = worker["command"]
    assert command[:4] == ["python", "manage.py", "rqworker", "default"]
    assert "--with-scheduler" in command  # retries wait in RQ's scheduled registry
    assert command[command.index("--job-class") + 1] == "django_tasks_rq.Job"
    shared = ("DATABASE_URL", "REDIS_URL", "MEDIA_ROOT", "TASK_BACKEND")
    assert {k: worker["environment"][k] for k in shared} == {
        k: web["environment"][k] for k in shared
    }
    assert worker["environment"]["TASK_BACKEND"] == "rq"
    assert worker["volumes"] == web["volumes"]
    assert worker["depends_on"]["web"] == {"condition": "service_healthy"}


def test_the_worker_command_names_a_real_management_command_and_job_class():
    from django.core.management import get_commands
    from django.utils.module_loading import import_string

    command = compose_services()["worker"]["command"]
    assert get_commands()[command[2]] == "django_rq"
    assert import_string(command[command.index("--job-class") + 1]).__name__ == "Job"


def test_the_makefile_starts_a_database_worker_beside_the_dev_server():
    makefile = (ROOT / "Makefile").read_text()
    run = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert "manage.py db_worker" in run
    assert run.index("manage.py db_worker") < run.index("manage.py runserver")


def test_media_go_to_the_minio_bucket_from_web_and_worker_alike():
    services = compose_services()
    assert services["minio"]["image"] == "minio/minio:latest"
    assert "mc mb --ignore-existing local/media" in services["minio-bucket"]["entrypoint"]
    s3 = (
        "AWS_STORAGE_BUCKET_NAME",
        "AWS_S3_ENDPOINT_URL",
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
    )
    web, worker = services["web"]["environment"], services["worker"]["environment"]
    assert {k: web[k] for k in s3} == {k: worker[k] for k in s3}
    assert web["AWS_S3_ENDPOINT_URL"] == "http://minio:9000"
    for name in ("web", "worker"):
        assert services[name]["depends_on"]["minio-bucket"] == {
            "condition": "service_completed_successfully"
        }


def test_the_compose_services_are_web_worker_postgresql_redis_and_minio():
    assert {"web", "worker", "db", "redis", "minio"} <= set(compose_services())
