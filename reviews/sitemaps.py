"""/sitemap.xml: every public page, with absolute URLs from SITE_URL (not the request host).

Written from `values_list` rows straight into the XML Django's sitemap view renders (the same
bytes: its `sitemap.xml` template under `{% spaceless %}`, 50,000 addresses per section and
page, `?p=` past the last page a 404), with each address built by `slug_paths`; never cached
by content version, since a scheduled post comes due without one.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from reviews.slug_paths import slug_path
from reviews.visibility import (
    public_authors,
    public_conferences,
    public_keynotes,
    public_papers,
    public_posts,
    public_topics,
)

LIMIT = 50_000  # Django's Sitemap.limit, the protocol's cap per file
HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
    'xmlns:xhtml="http://www.w3.org/1999/xhtml">\n'
)
PAGES = [
    "reviews:post-list",
    "papers:conference-list",
    "papers:paper-list",
    "papers:author-list",
    "reviews:tag-list",
]


def sections():
    """(view name, rows of (slug, lastmod or None), changefreq, placeholder) in the file's order."""
    yield None, [(name, None) for name in PAGES], "", None
    posts = public_posts().order_by("-published_at").values_list("slug", "updated_at")
    yield "reviews:post-detail", posts, "monthly", None
    yield "papers:conference-detail", _undated(public_conferences().values_list("slug")), "", None
    yield "papers:paper-detail", public_papers().values_list("slug", "updated_at"), "", None
    authors = public_authors().order_by("slug").values_list("slug")
    yield "papers:author-detail", _undated(authors), "", None
    keynotes = public_keynotes().order_by("pk").values_list("pk")
    yield "reviews:keynote-detail", _undated(keynotes), "", "918273645546372819"  # digits only
    tags = public_topics().order_by("name").values_list("slug")
    yield "reviews:tag-detail", _undated(tags), "", None


class _undated:
    """One-column rows sliced like a queryset, with no lastmod."""

    def __init__(self, rows):
        self.rows = rows

    def __getitem__(self, window):
        return [(slug, None) for (slug,) in self.rows[window]]


def url_element(location: str, lastmod, changefreq: str) -> str:
    parts = [f"<url><loc>{escape(location)}</loc>"]
    if lastmod:
        parts.append(f"<lastmod>{timezone.localtime(lastmod):%Y-%m-%d}</lastmod>")
    if changefreq:
        parts.append(f"<changefreq>{changefreq}</changefreq>")
    parts.append("</url>")
    return "".join(parts)


def render_sitemap(page: int) -> str:
    """The file's text for page `page` (from 1); raises Http404 past a section's last page."""
    start = (page - 1) * LIMIT
    site = "{0.scheme}://{0.netloc}".format(urlsplit(settings.SITE_URL))  # as Sitemap's
    elements = []
    for url_name, rows, changefreq, placeholder in sections():
        window = list(rows[start : start + LIMIT])
        if not window and page > 1:
            raise Http404(f"Page {page} empty")
        for slug, lastmod in window:
            if url_name is None:
                path = reverse(slug)
            elif placeholder:
                path = slug_path(url_name, slug, placeholder=placeholder)
            else:
                path = slug_path(url_name, slug)
            elements.append(url_element(site + path, lastmod, changefreq))
    return HEAD + "".join(elements) + "\n</urlset>\n"


def sitemap(request):
    try:
        page = int(request.GET.get("p", 1))
    except ValueError:
        raise Http404("No such page") from None
    if page < 1:
        raise Http404("No such page")
    response = HttpResponse(render_sitemap(page), content_type="application/xml")
    response.headers["X-Robots-Tag"] = "noindex, noodp, noarchive"
    return response
