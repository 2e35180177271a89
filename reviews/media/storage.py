"""Media on object storage (S3 API): every page links through /media/, the gate of serve.py.

With ``AWS_STORAGE_BUCKET_NAME`` set, ``STORAGES["default"]`` is this class: uploads,
renditions, bundles, backups and media cleanup read and write the bucket through Django's
storage API. The bucket stays private; ``url()`` still answers ``MEDIA_URL + name``, so
reviews.media.serve decides who may see a file (drafts only for their editors) and then
redirects to a signed, expiring URL of the bucket: a published file's redirect is public and
cacheable, a draft's is private, never cached and short-lived. Draft upload URLs are thus no
longer guessable capabilities: without the editor's session there is no signature.
"""

from urllib.parse import quote

from django.conf import settings
from storages.backends.s3 import S3Storage

PUBLIC_URL_SECONDS = 24 * 3600
DRAFT_URL_SECONDS = 5 * 60


class MediaStorage(S3Storage):
    def url(self, name, parameters=None, expire=None, http_method=None):
        return f"{settings.MEDIA_URL}{quote(name)}"

    def signed_url(self, name: str, *, seconds: int) -> str:
        """A URL of the bucket that answers for ``seconds`` and then expires."""
        return super().url(name, expire=seconds)

    def signs_urls(self) -> bool:
        return True
