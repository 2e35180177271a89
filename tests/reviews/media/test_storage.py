"""Media on a real S3-compatible server: every write lands in the bucket, every read is gated."""

import datetime
import urllib.request
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse

from reviews.media.cleanup import find_orphans, remove_orphans
from reviews.models import GalleryImage
from tests.factories import EntryFactory, PostFactory
from tests.imagefiles import slide, upload

pytestmark = pytest.mark.django_db


def add_slide(client, entry, name="talk.png"):
    url = reverse("admin:reviews_entry_add_images", args=[entry.pk])
    response = client.post(url, {"images": [upload(name, slide(1700, 900))], "alt_text": "Talk"})
    assert response.status_code == 302
    return entry.images.get()


def test_an_upload_and_its_renditions_are_written_to_the_bucket_not_the_disk(
    curator_client, s3_media, settings
):
    entry = EntryFactory(section__post=PostFactory(published=True))
    image = add_slide(curator_client, entry)
    record = GalleryImage.objects.get(pk=image.pk).renditions
    assert record["state"] == "ready"
    assert s3_media() == sorted([image.image.name, *(f["name"] for f in record["files"])])
    assert not settings.MEDIA_ROOT.exists()


def test_pages_link_media_through_the_site_never_straight_to_the_bucket(
    curator_client, s3_media, s3_server
):
    entry = EntryFactory(section__post=PostFactory(published=True))
    image = add_slide(curator_client, entry)
    html = Client().get(entry.section.post.get_absolute_url()).content.decode()
    assert f'src="/media/{image.image.name}"' in html
    assert "/media/renditions/" in html
    assert s3_server not in html


def test_a_published_file_redirects_to_a_signed_bucket_url_that_serves_it(
    curator_client, s3_media, s3_server
):
    entry = EntryFactory(section__post=PostFactory(published=True))
    image = add_slide(curator_client, entry)
    response = Client().get(f"/media/{image.image.name}")
    assert response.status_code == 302
    assert response["Cache-Control"] == "public, max-age=43200"
    location = response["Location"]
    assert location.startswith(f"{s3_server}/")
    assert parse_qs(urlsplit(location).query)["X-Amz-Expires"] == ["86400"]
    with default_storage.open(image.image.name) as stored:
        expected = stored.read()
    with urllib.request.urlopen(location, timeout=10) as answer:
        assert answer.read() == expected


def test_a_drafts_file_is_hidden_from_readers_and_signed_briefly_for_its_editor(
    curator_client, s3_media
):
    entry = EntryFactory(section__post=PostFactory(status="draft"))
    image = add_slide(curator_client, entry)
    assert Client().get(f"/media/{image.image.name}").status_code == 404
    response = curator_client.get(f"/media/{image.image.name}")
    assert response.status_code == 302
    assert "no-cache" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    assert parse_qs(urlsplit(response["Location"]).query)["X-Amz-Expires"] == ["300"]


def test_an_unknown_or_escaping_path_is_a_404(client, s3_media):
    assert client.get("/media/gallery/none.png").status_code == 404
    assert client.get("/media/../secret.png").status_code == 404


def test_media_cleanup_finds_and_removes_orphans_in_the_bucket(curator_client, s3_media):
    entry = EntryFactory(section__post=PostFactory(published=True))
    image = add_slide(curator_client, entry)
    orphan = default_storage.save("gallery/2020/left-over.png", ContentFile(slide(50, 50)))
    orphans = find_orphans(min_age=datetime.timedelta(0))
    assert [o.name for o in orphans] == [orphan]
    remove_orphans(orphans)
    assert orphan not in s3_media()
    assert image.image.name in s3_media()
