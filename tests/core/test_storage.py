"""Media on object storage: with a bucket configured, every write and read goes to it (a real
S3 server on 127.0.0.1), pages keep linking /media/, public files stream through the gate, and
a draft's files reach its editors only by signed URLs that expire."""

import io
import urllib.error
import urllib.request
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command

from reviews.media.renditions import rendition_names
from reviews.workflow.roles import CURATORS
from tests.factories import EntryFactory, GalleryImageFactory, staff_member
from tests.imagefiles import slide, upload

pytestmark = pytest.mark.django_db(transaction=True)


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as refused:
        with refused:
            return refused.code, b""


def slide_upload(name="keynote-slide.png"):
    return upload(name, slide(width=1000, height=563))


def test_an_upload_and_its_renditions_are_written_to_the_bucket(s3_media, media_root):
    image = GalleryImageFactory(
        entry=EntryFactory(section__post__published=True), image=slide_upload(), external_url=""
    )
    image.refresh_from_db()  # the renditions task wrote the record after the commit

    stored = [image.image.name, *rendition_names(image.renditions)]
    assert len(stored) >= 3
    assert set(stored) <= set(s3_media.names())
    assert not list(media_root.rglob("*.*"))
    assert s3_media.read(image.image.name).startswith(b"\x89PNG")


def test_pages_link_the_site_and_the_gate_streams_public_files(client, s3_media):
    image = GalleryImageFactory(
        entry=EntryFactory(section__post__published=True), image=slide_upload(), external_url=""
    )
    image.refresh_from_db()
    post = image.entry.section.post
    page = client.get(post.get_absolute_url()).content.decode()
    rendition = rendition_names(image.renditions)[0]

    response = client.get(f"/media/{rendition}")

    assert f"/media/{rendition}" in page
    assert s3_media.endpoint not in page
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=86400"
    assert b"".join(response.streaming_content) == s3_media.read(rendition)


def test_a_drafts_file_reaches_its_editor_by_a_signed_url_that_expires(client, s3_media, settings):
    settings.MEDIA_SIGNED_URL_SECONDS = 120
    image = GalleryImageFactory(
        entry=EntryFactory(section__post__published=False),
        image=slide_upload("draft-slide.png"),
        external_url="",
    )
    path = f"/media/{image.image.name}"
    direct = f"{s3_media.endpoint}/{s3_media.name}/{image.image.name}"

    anonymous = client.get(path)
    client.force_login(staff_member("curator", CURATORS))
    editor = client.get(path)
    signed = editor["Location"]
    query = parse_qs(urlsplit(signed).query)

    assert anonymous.status_code == 404
    assert editor.status_code == 302
    assert "no-store" in editor["Cache-Control"] and "private" in editor["Cache-Control"]
    assert signed.startswith(direct + "?")
    assert query["X-Amz-Expires"] == ["120"]
    assert fetch(signed) == (200, s3_media.read(image.image.name))
    assert fetch(direct)[0] == 403


def test_media_cleanup_lists_and_deletes_orphans_in_the_bucket(s3_media):
    kept = GalleryImageFactory(
        entry=EntryFactory(section__post__published=True),
        image=slide_upload("kept.png"),
        external_url="",
    )
    orphan = default_storage.save("gallery/orphan.png", ContentFile(slide(width=20, height=20)))

    out = io.StringIO()
    call_command("clean_media", "--min-age-minutes=0", stdout=out)

    assert f"Removed {orphan}" in out.getvalue()
    assert orphan not in s3_media.names()
    assert kept.image.name in s3_media.names()


def test_health_reports_the_bucket(client, s3_media, settings):
    up = client.get("/healthz").json()

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            **settings.STORAGES["default"],
            "OPTIONS": {
                **settings.STORAGES["default"]["OPTIONS"],
                "endpoint_url": "http://127.0.0.1:9",
            },
        },
    }
    down = client.get("/healthz")

    assert up["storage"] == "ok"
    assert down.status_code == 200
    assert down.json()["status"] == "degraded"
    assert down.json()["storage"].startswith("error:")


def test_staged_uploads_wait_in_the_bucket_where_any_web_process_finds_them(s3_media, curator):
    from core.staging import stage_upload, take_upload

    token = stage_upload(files=[("post.md", b"# A post")], data={"n": 1}, owner_id=curator.pk)
    waiting = s3_media.names()
    taken = take_upload(token=token, owner_id=curator.pk)

    assert f"staging/{token}/manifest.json" in waiting
    assert f"staging/{token}/0" in waiting
    assert (taken.files, taken.data) == ([("post.md", b"# A post")], {"n": 1})
    assert not [name for name in s3_media.names() if name.startswith("staging/")]
