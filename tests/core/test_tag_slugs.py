"""A tag of any name gets a slug its page's address takes, so every page listing it renders."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse
from taggit.models import Tag

from tests.factories import PaperFactory, PostFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "slug"),
    [("Über Alles", "uber-alles"), ("☃", "tag"), ("protein folding", "protein-folding")],
)
def test_a_new_tag_gets_an_ascii_slug(name, slug):
    post = PostFactory(published=True)
    post.tags.add(name)
    assert Tag.objects.get(name=name).slug == slug


def test_two_names_with_no_ascii_letters_get_numbered_slugs():
    post = PostFactory(published=True)
    post.tags.add("☃", "★")
    assert sorted(Tag.objects.values_list("slug", flat=True)) == ["tag", "tag-2"]


def test_pages_listing_such_tags_link_them(client):
    post = PostFactory(published=True, title="Snowman review")
    post.tags.add("☃", "Über")
    paper = PaperFactory(listed=True)
    paper.topics.add("Ω-fold")

    for url in (
        post.get_absolute_url(),
        reverse("reviews:post-list"),
        reverse("reviews:tag-list"),
        paper.get_absolute_url(),
    ):
        assert client.get(url).status_code == 200, url
    page = client.get(post.get_absolute_url()).content.decode()
    assert 'href="/tags/tag/"' in page and 'href="/tags/uber/"' in page
    assert client.get("/tags/tag/").status_code == 200


def test_the_migration_gives_stored_tags_an_address_slug():
    fit_slugs = importlib.import_module("core.migrations.0003_tag_address_slugs").fit_slugs
    post = PostFactory(published=True)
    post.tags.add("Über", "☃", "uber")
    Tag.objects.filter(name="Über").update(slug="über")  # as taggit stored it before
    Tag.objects.filter(name="uber").update(slug="uber")
    Tag.objects.filter(name="☃").update(slug="")

    fit_slugs(apps, None)

    assert dict(Tag.objects.values_list("name", "slug")) == {
        "Über": "uber-2",
        "☃": "tag",
        "uber": "uber",
    }
