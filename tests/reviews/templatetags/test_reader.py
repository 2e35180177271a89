"""The reader template filters."""

from collections import namedtuple

import pytest
from django.test import Client
from django.urls import reverse

from reviews.templatetags.reader import slug_url, tag_cloud, tag_path
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
def test_slug_url_of_an_author_is_the_author_pages_reversed_address(slug):
    assert slug_url(slug, "papers:author-detail") == reverse("papers:author-detail", args=[slug])


def test_the_tag_cloud_sizes_tags_by_total_and_escapes_names():
    row = namedtuple("Row", "name slug total")  # what tag_cloud_rows() yields
    rows = [row("R&D <x>", "r-d", 5), row("mid", "mid", 2)]
    assert tag_cloud(rows) == (
        '<ul class="tag-cloud"><li class="tag-big"><a href="/tags/r-d/">R&amp;D &lt;x&gt; '
        '<span class="count">(5)</span></a></li><li class="tag-mid"><a href="/tags/mid/">mid '
        '<span class="count">(2)</span></a></li></ul>'
    )
    assert tag_cloud([]) == "<p>No tags yet.</p>"
