"""/sitemap.xml: every public page, with absolute URLs from SITE_URL (not the request host)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from reviews.visibility import (
    public_authors,
    public_conferences,
    public_keynotes,
    public_papers,
    public_posts,
    public_topics,
)


class SiteUrlSitemap(Sitemap):
    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


class PostSitemap(SiteUrlSitemap):
    changefreq = "monthly"

    def items(self):
        return public_posts().only("slug", "updated_at").order_by("-published_at")

    def lastmod(self, post):
        return post.updated_at


class ConferenceSitemap(SiteUrlSitemap):
    def items(self):
        return public_conferences().only("slug")


class PaperSitemap(SiteUrlSitemap):
    def items(self):
        return public_papers().only("slug", "updated_at")

    def lastmod(self, paper):
        return paper.updated_at


class AuthorSitemap(SiteUrlSitemap):
    def items(self):
        return public_authors().only("slug").order_by("slug")


class KeynoteSitemap(SiteUrlSitemap):
    def items(self):
        return public_keynotes().only("pk").order_by("pk")


class TagSitemap(SiteUrlSitemap):
    def items(self):
        return public_topics().only("slug").order_by("name")

    def location(self, tag):
        return reverse("reviews:tag-detail", kwargs={"slug": tag.slug})


class PageSitemap(SiteUrlSitemap):
    def items(self):
        return [
            "reviews:post-list",
            "papers:conference-list",
            "papers:paper-list",
            "papers:author-list",
            "reviews:tag-list",
        ]

    def location(self, name):
        return reverse(name)


SITEMAPS = {
    "pages": PageSitemap,
    "posts": PostSitemap,
    "conferences": ConferenceSitemap,
    "papers": PaperSitemap,
    "authors": AuthorSitemap,
    "keynotes": KeynoteSitemap,
    "tags": TagSitemap,
}
