"""The compose file's web health check passes against a server run with .env.example as shipped."""

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from config.settings import production

ROOT = Path(__file__).resolve().parents[1]
PROBE_ADDRESS = "127.0.0.1:8000"


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
