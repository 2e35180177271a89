"""The live preview: the form's unsaved state through the real public template, nothing saved."""

import pytest
from django.urls import reverse

from reviews.models import Post
from tests.factories import EntryFactory, GalleryImageFactory
from tests.reviews.forms import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(db):
    image = GalleryImageFactory(alt_text="A slide")
    return image.entry.section.post


def load(client, post):
    url = reverse("admin:reviews_post_change", args=[post.pk])
    return form_data(client.get(url).content.decode())


def preview_url(post):
    return reverse("admin:reviews_post_preview", args=[post.pk])


def test_the_preview_renders_unsaved_edits_with_the_public_template(curator_client, post):
    data = load(curator_client, post)
    data.update(title="A title not saved yet", intro="An **unsaved** intro.")

    response = curator_client.post(preview_url(post), data)

    assert "reviews/post_detail.html" in [t.name for t in response.templates]
    html = response.content.decode()
    assert "<h1>A title not saved yet</h1>" in html
    assert "<strong>unsaved</strong>" in html
    assert EntryFactory._meta.model.objects.get().display_heading in html
    assert response["Cache-Control"].startswith("max-age=0")
    post.refresh_from_db()
    assert post.title != "A title not saved yet"
    assert not post.revisions.exists()


def test_the_checklist_follows_the_unsaved_form(curator_client, post):
    data = load(curator_client, post)
    data["conference"] = ""
    data["intro"] = "<script>alert(1)</script>"

    answer = curator_client.post(preview_url(post), data, HTTP_ACCEPT="application/json").json()

    assert answer["checklist"] == ["The post has no conference"]
    assert "<script>alert(1)</script>" not in answer["html"]
    assert Post.objects.get().conference_id is not None


def test_a_contributor_cannot_preview_someone_elses_post(contributor_client, post):
    response = contributor_client.post(preview_url(post), {"title": "x"})
    assert response.status_code == 403


def test_the_change_form_offers_the_preview_without_javascript(curator_client, post):
    html = curator_client.get(reverse("admin:reviews_post_change", args=[post.pk])).content
    assert f'formaction="{preview_url(post)}" formtarget="_blank"'.encode() in html
