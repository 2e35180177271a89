"""Media on object storage: an S3 bucket that stays private.

Pages keep linking `/media/<name>`, whatever the storage: reviews.media.serve is the one gate
that decides who may fetch a file. It streams a public post's files (cacheable, for a CDN in
front), and hands a draft's editors a signed URL that expires after `MEDIA_SIGNED_URL_SECONDS`,
so a draft's upload is never reachable by a guessable, lasting address. Local disk stays the
default; `AWS_STORAGE_BUCKET_NAME` in the environment switches every read and write (uploads,
renditions, bundles, backups, cleanup) to the bucket (config.settings.base).
"""

from botocore.config import Config
from django.conf import settings
from django.utils.encoding import filepath_to_uri
from storages.backends.s3 import S3Storage


class MediaStorage(S3Storage):
    def url(self, name, parameters=None, expire=None, http_method=None):
        """The site's own address for the file: the gate in front of the bucket."""
        return f"{settings.MEDIA_URL}{filepath_to_uri(name)}"

    def signed_url(self, name: str, *, seconds: int) -> str:
        """A direct, signed address of the object in the bucket, valid for `seconds`."""
        return super().url(name, expire=seconds)


def signed_url(storage, name: str, *, seconds: int) -> str | None:
    """A signed, expiring URL for `name` when the storage offers them (a bucket), else None."""
    sign = getattr(storage, "signed_url", None)
    return sign(name, seconds=seconds) if sign else None


def s3_options(
    *,
    bucket: str,
    endpoint_url: str | None,
    region: str,
    access_key: str,
    secret_key: str,
    signed_seconds: int,
) -> dict:
    """django-storages options for the media bucket; objects private, names never overwritten."""
    return {
        "bucket_name": bucket,
        "endpoint_url": endpoint_url or None,
        "region_name": region,
        "access_key": access_key,
        "secret_key": secret_key,
        "default_acl": None,
        "querystring_auth": True,
        "querystring_expire": signed_seconds,
        "file_overwrite": False,
        "object_parameters": {"CacheControl": "public, max-age=86400"},
        # A bucket that does not answer fails a request in seconds, not after minutes of retries.
        "client_config": Config(
            signature_version="s3v4",
            s3={"addressing_style": "path"},
            connect_timeout=3,
            read_timeout=20,
            retries={"max_attempts": 3, "mode": "standard"},
        ),
    }
