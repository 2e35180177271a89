"""Uploaded files are served with safe content types, and only when a public post uses them."""

from pathlib import Path

import pytest
from django.conf import settings

from reviews.models import GalleryImage
from tests.factories import EntryFactory, GalleryImageFactory


@pytest.fixture
def media_file(db):
    created = []

    def make(name, content):
        """A stored file that a published post's gallery uses (without the upload signals)."""
        path = Path(settings.MEDIA_ROOT) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        created.append(path)
        image = GalleryImageFactory(entry=EntryFactory(section__post__published=True))
        GalleryImage.objects.filter(pk=image.pk).update(image=name, external_url="")
        return path

    yield make
    for path in created:
        path.unlink(missing_ok=True)


def test_images_are_served_as_images(client, media_file):
    media_file("gallery/slide.png", b"\x89PNG\r\n\x1a\nfake")
    response = client.get("/media/gallery/slide.png")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    response.close()


def test_anything_else_is_a_download_never_rendered(client, media_file):
    media_file("gallery/page.html", b"<script>alert(1)</script>")
    response = client.get("/media/gallery/page.html")
    response.close()
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")
    assert "sandbox" in response["Content-Security-Policy"]


def test_a_stored_file_no_post_uses_is_not_served(client, media_file):
    path = media_file("gallery/used.png", b"\x89PNG\r\n\x1a\nfake")
    (path.parent / "orphan.png").write_bytes(path.read_bytes())
    response = client.get("/media/gallery/orphan.png")
    (path.parent / "orphan.png").unlink()
    assert response.status_code == 404


@pytest.mark.django_db
def test_paths_outside_media_root_are_not_served(client):
    assert client.get("/media/../config/settings/base.py").status_code == 404
    assert client.get("/media/%2e%2e/manage.py").status_code == 404
    assert client.get("/media/missing.png").status_code == 404
