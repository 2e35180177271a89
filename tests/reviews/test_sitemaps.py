"""The sitemap is the file Django's sitemap framework writes for the same public rows, built
without its per-item machinery, and follows the clock, not only the content version."""

import datetime

import pytest
import time_machine
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap as django_sitemap
from django.test import RequestFactory, override_settings
from django.urls import reverse
from django.utils import timezone

from reviews.demo import load_demo
from reviews.models import Post
from reviews.visibility import (
    public_authors,
    public_conferences,
    public_keynotes,
    public_papers,
    public_posts,
    public_topics,
)
from tests.factories import PostFactory

pytestmark = pytest.mark.django_db
SITE_URL = "https://reviews.example.org"


class Rows(Sitemap):
    """Django's own sitemap over (path, lastmod) rows."""

    def __init__(self, rows, changefreq=None):
        self.rows, self.changefreq = list(rows), changefreq

    def items(self):
        return self.rows

    def location(self, row):
        return row[0]

    def lastmod(self, row):
        return row[1]

    def get_protocol(self, protocol=None):
        return "https"

    def get_domain(self, site=None):
        return "reviews.example.org"


def django_rendering() -> bytes:
    def undated(rows):
        return Rows([(record.get_absolute_url(), None) for record in rows])

    pages = ["reviews:post-list", "papers:conference-list", "papers:paper-list"]
    pages += ["papers:author-list", "reviews:tag-list"]
    sections = {
        "pages": Rows([(reverse(name), None) for name in pages]),
        "posts": Rows(
            [
                (p.get_absolute_url(), p.updated_at)
                for p in public_posts().order_by("-published_at")
            ],
            changefreq="monthly",
        ),
        "conferences": undated(public_conferences()),
        "papers": Rows([(p.get_absolute_url(), p.updated_at) for p in public_papers()]),
        "authors": undated(public_authors().order_by("slug")),
        "keynotes": undated(public_keynotes().order_by("pk")),
        "tags": Rows(
            [
                (reverse("reviews:tag-detail", args=[t.slug]), None)
                for t in public_topics().order_by("name")
            ]
        ),
    }
    request = RequestFactory().get("/sitemap.xml")
    response = django_sitemap(request, sitemaps=sections)
    return response.render().content


@override_settings(SITE_URL=SITE_URL)
def test_the_sitemap_is_byte_for_byte_what_djangos_sitemap_view_writes(client):
    load_demo()
    PostFactory(published=True, slug="a-b_9")
    response = client.get("/sitemap.xml")
    assert response.headers["Content-Type"] == "application/xml"
    assert response.headers["X-Robots-Tag"] == "noindex, noodp, noarchive"
    assert response.content == django_rendering()
    assert b"<loc>https://reviews.example.org/posts/a-b_9/</loc>" in response.content


@override_settings(SITE_URL=SITE_URL)
def test_an_empty_site_has_an_empty_sitemap_of_its_list_pages(client):
    assert client.get("/sitemap.xml").content == django_rendering()


@pytest.mark.parametrize("page", ["2", "0", "abc", "1.5"])
def test_a_page_past_the_last_is_not_found(client, page):
    assert client.get(f"/sitemap.xml?p={page}").status_code == 404


def test_the_first_page_named_is_the_sitemap(client):
    assert client.get("/sitemap.xml?p=1").content == client.get("/sitemap.xml").content


def test_a_scheduled_post_joins_the_sitemap_when_it_comes_due(client):
    due = timezone.now() + datetime.timedelta(hours=1)
    post = PostFactory(slug="scheduled-review")
    Post.objects.filter(pk=post.pk).update(status=Post.Status.PUBLISHED, published_at=due)
    assert b"/posts/scheduled-review/" not in client.get("/sitemap.xml").content
    with time_machine.travel(due + datetime.timedelta(minutes=1)):
        assert b"/posts/scheduled-review/</loc>" in client.get("/sitemap.xml").content
