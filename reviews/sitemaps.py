"""/sitemap.xml: every public page, with absolute URLs from SITE_URL (not the request host)."""

import re
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

SLUG_RE = re.compile(r"[-a-zA-Z0-9_]+")


class SiteUrlSitemap(Sitemap):
    """Items are (slug, lastmod) rows of `values_list`; each address is the view's path
    reversed once per sitemap with a placeholder slug, the item's slug put in its place."""

    url_name = ""
    placeholder = "sitemap-slug-placeholder"

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc

    def location(self, item):
        slug = str(item[0])
        if not SLUG_RE.fullmatch(slug):  # a row written around the field: reverse() decides
            return reverse(self.url_name, args=[slug])
        if not hasattr(self, "_path"):
            self._path = reverse(self.url_name, args=[self.placeholder]).split(self.placeholder)
        return slug.join(self._path)

    def lastmod(self, item):
        return item[1]


class PostSitemap(SiteUrlSitemap):
    changefreq = "monthly"
    url_name = "reviews:post-detail"

    def items(self):
        return public_posts().order_by("-published_at").values_list("slug", "updated_at")


class ConferenceSitemap(SiteUrlSitemap):
    url_name = "papers:conference-detail"
    lastmod = None

    def items(self):
        return public_conferences().values_list("slug")


class PaperSitemap(SiteUrlSitemap):
    url_name = "papers:paper-detail"

    def items(self):
        return public_papers().values_list("slug", "updated_at")


class AuthorSitemap(SiteUrlSitemap):
    url_name = "papers:author-detail"
    lastmod = None

    def items(self):
        return public_authors().order_by("slug").values_list("slug")


class KeynoteSitemap(SiteUrlSitemap):
    url_name = "reviews:keynote-detail"
    placeholder = "918273645546372819"  # the pattern takes digits only
    lastmod = None

    def items(self):
        return public_keynotes().order_by("pk").values_list("pk")


class TagSitemap(SiteUrlSitemap):
    url_name = "reviews:tag-detail"
    lastmod = None

    def items(self):
        return public_topics().order_by("name").values_list("slug")


class PageSitemap(SiteUrlSitemap):
    lastmod = None

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
