"""One uploaded file past UPLOAD_MAX_BYTES is refused with 413 while it arrives."""

import pytest
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from reviews.models import Post

pytestmark = pytest.mark.django_db

IMPORT_URL = "/admin/reviews/post/import-markdown/"


def test_an_upload_over_the_limit_answers_413_naming_the_file_and_the_limit(
    curator_client, settings, staging_root
):
    settings.UPLOAD_MAX_BYTES = 100_000
    big = SimpleUploadedFile("big-bundle.zip", b"\0" * 300_000, content_type="application/zip")

    response = curator_client.post(IMPORT_URL, {"files": [big]})

    assert response.status_code == 413
    assert response.content.decode() == (
        "“big-bundle.zip” is larger than the upload limit of 97.7\xa0KB (100,000 bytes); "
        "nothing was saved."
    )
    assert Post.objects.count() == 0
    assert not staging_root.exists() or not any(staging_root.iterdir())


def test_the_session_stays_small_after_a_refused_big_bundle(curator_client, settings, staging_root):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    big = SimpleUploadedFile(
        "bundle.zip", b"\1" * (3 * 1024 * 1024), content_type="application/zip"
    )

    curator_client.post(IMPORT_URL, {"files": [big]})
    page = curator_client.get(IMPORT_URL)

    assert page.status_code == 200
    session = Session.objects.get(session_key=curator_client.session.session_key)
    assert len(session.session_data) < 1000


def test_the_limit_is_checked_before_csrf_so_the_answer_names_the_file(curator, settings):
    settings.UPLOAD_MAX_BYTES = 1000
    client = Client(enforce_csrf_checks=True)
    client.force_login(curator)
    big = SimpleUploadedFile("slides.png", b"\0" * 5000, content_type="image/png")

    response = client.post(IMPORT_URL, {"files": [big]})

    assert response.status_code == 413
    assert "“slides.png” is larger than the upload limit" in response.content.decode()


def test_an_upload_under_the_limit_reaches_the_page(curator_client, settings, staging_root):
    settings.UPLOAD_MAX_BYTES = 100_000
    small = SimpleUploadedFile("notes.md", b"no front matter", content_type="text/markdown")

    response = curator_client.post(IMPORT_URL, {"files": [small]})

    assert response.status_code == 200
    assert "Will not be imported:</strong> notes.md" in response.content.decode()
