"""The entry page shows each image's rendition state; a failed one names why and can retry."""

import pytest
from django.urls import reverse

from reviews.media.renditions import READY, WAITING
from reviews.models import GalleryImage
from tests.factories import EntryFactory, GalleryImageFactory, PostFactory
from tests.imagefiles import slide, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def image(media_root):
    entry = EntryFactory(section__post=PostFactory())
    return GalleryImageFactory(entry=entry, external_url="", image=upload("s.png", slide(900, 500)))


def set_record(image, **record):
    GalleryImage.objects.filter(pk=image.pk).update(renditions=record)


def change_page(client, image):
    url = reverse("admin:reviews_entry_change", args=[image.entry_id])
    return client.get(url).content.decode()


def retry_url(image):
    return reverse("admin:reviews_galleryimage_retry_renditions", args=[image.pk])


def test_a_ready_image_says_ready(curator_client, image):
    assert GalleryImage.objects.get(pk=image.pk).renditions["state"] == READY
    html = change_page(curator_client, image)
    assert '<span class="rendition-state rendition-ready">Ready</span>' in html
    assert "css/admin-renditions.css" in html


def test_a_waiting_image_says_waiting(curator_client, image):
    set_record(image, state=WAITING, source=image.image.name, width=900, height=500)
    html = change_page(curator_client, image)
    assert '<span class="rendition-state rendition-waiting">Waiting</span>' in html
    assert retry_url(image) not in html


def test_a_failed_image_names_the_problem_and_offers_a_retry(curator_client, image):
    set_record(image, state="failed", source=image.image.name, error="“s.png” is <corrupt>")
    html = change_page(curator_client, image)
    assert '<span class="rendition-state rendition-failed">Failed</span>' in html
    assert '<span class="rendition-error">“s.png” is &lt;corrupt&gt;</span>' in html
    assert f'formaction="{retry_url(image)}" formmethod="post"' in html


def test_retry_makes_the_renditions_again_and_returns_to_the_entry(curator_client, image):
    set_record(image, state="failed", source=image.image.name, error="OSError: timed out")
    response = curator_client.post(retry_url(image))
    assert response.status_code == 302
    assert response.url == reverse("admin:reviews_entry_change", args=[image.entry_id])
    # The test settings run tasks at once: the retry has already made them.
    record = GalleryImage.objects.get(pk=image.pk).renditions
    assert (record["state"], len(record["files"])) == (READY, 3)


def test_retry_answers_only_post(curator_client, image):
    assert curator_client.get(retry_url(image)).status_code == 405


def test_retry_needs_the_right_to_edit_the_post(contributor_client, image):
    set_record(image, state="failed", source=image.image.name, error="OSError: timed out")
    assert contributor_client.post(retry_url(image)).status_code == 403
    assert GalleryImage.objects.get(pk=image.pk).renditions["state"] == "failed"


def test_retry_of_an_unknown_image_is_a_404(curator_client):
    url = reverse("admin:reviews_galleryimage_retry_renditions", args=[999_999])
    assert curator_client.post(url).status_code == 404
