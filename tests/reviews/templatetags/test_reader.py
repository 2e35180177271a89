"""The reader template filters."""

import pytest
from django.test import Client
from django.urls import reverse

from reviews.templatetags.reader import author_path, tag_path
from tests.factories import PostFactory

pytestmark = pytest.mark.django_db


def test_tag_path_is_the_tag_pages_reversed_address():
    for slug in ["genomics", "protein-design", "a_b-9"]:
        assert tag_path(slug) == reverse("reviews:tag-detail", args=[slug])


def test_the_home_tag_cloud_links_each_public_tag_and_no_draft_only_one():
    PostFactory(published=True).tags.set(["genomics", "protein design"])
    PostFactory().tags.set(["zebra-draft-only"])
    html = Client().get("/").content.decode()
    cloud = html[html.index('<ul class="tag-cloud">') :].split("</ul>")[0]
    assert cloud == (
        '<ul class="tag-cloud"><li><a href="/tags/genomics/">genomics '
        '<span class="count">(1)</span></a></li><li><a href="/tags/protein-design/">'
        'protein design <span class="count">(1)</span></a></li>'
    )


@pytest.mark.parametrize("slug", ["ada-lovelace", "ada_2", "Ada-9"])
def test_author_path_is_the_author_pages_reversed_address(slug):
    assert author_path(slug) == reverse("papers:author-detail", args=[slug])
