"""An S3-compatible server for the tests: moto's server mode on 127.0.0.1, a real HTTP endpoint
that django-storages and boto3 talk to exactly as they would to AWS or MinIO."""

import contextlib
import logging
import uuid
from dataclasses import dataclass

import boto3

ACCESS_KEY = "test-access-key"
SECRET_KEY = "test-secret-key"
REGION = "us-east-1"


def start_server():
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per S3 request
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    return server, f"http://{host}:{port}"


def client(endpoint: str):
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        region_name=REGION,
    )


def new_bucket(endpoint: str) -> str:
    name = f"media-{uuid.uuid4().hex[:12]}"
    client(endpoint).create_bucket(Bucket=name)
    return name


@dataclass
class Bucket:
    endpoint: str
    name: str

    def names(self) -> list[str]:
        listed = client(self.endpoint).list_objects_v2(Bucket=self.name)
        return sorted(item["Key"] for item in listed.get("Contents", []))

    def read(self, key: str) -> bytes:
        return client(self.endpoint).get_object(Bucket=self.name, Key=key)["Body"].read()


def environment(endpoint: str, bucket: str) -> dict:
    """The variables that switch a process's media to the bucket (config.settings.base)."""
    return {
        "AWS_STORAGE_BUCKET_NAME": bucket,
        "AWS_S3_ENDPOINT_URL": endpoint,
        "AWS_S3_REGION_NAME": REGION,
        "AWS_ACCESS_KEY_ID": ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
    }


def storages_for(endpoint: str, bucket: str, *, signed_seconds: int = 300) -> dict:
    from django.conf import settings

    from core.storage import s3_options

    options = s3_options(
        bucket=bucket,
        endpoint_url=endpoint,
        region=REGION,
        access_key=ACCESS_KEY,
        secret_key=SECRET_KEY,
        signed_seconds=signed_seconds,
    )
    return {
        **settings.STORAGES,
        "default": {"BACKEND": "core.storage.MediaStorage", "OPTIONS": options},
        "staging": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {**options, "location": "staging"},
        },
    }


@contextlib.contextmanager
def running_server():
    server, endpoint = start_server()
    try:
        yield endpoint
    finally:
        server.stop()
