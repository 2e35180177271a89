"""Feeds, sitemap, robots.txt, JSON-LD and social cards: parsed, not just fetched."""

import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from papers.models import Paper
from reviews.demo import load_demo
from reviews.visibility import (
    public_authors,
    public_conferences,
    public_keynotes,
    public_papers,
    public_posts,
)

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
SITE = "https://reviews.example.org"
DEMO_URL = f"{SITE}/posts/neurips-2023-health-bio-conference-review/"
# Newest first: ICLR 2024 (May 2024), NeurIPS 2023 (December 2023), ICML 2022 (August 2022).
ALL_POSTS = [
    f"{SITE}/posts/iclr-2024-drug-discovery-and-genomics/",
    DEMO_URL,
    f"{SITE}/posts/icml-2022-molecules-and-proteins/",
]


@pytest.fixture
def demo(db):
    return load_demo()[0]


def jsonld_of(content):
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', content, re.S)
    assert len(blocks) == 1
    return json.loads(blocks[0])


@pytest.mark.parametrize(
    ("url", "links"),
    [
        ("/feed/", ALL_POSTS),
        ("/tags/conference-review/feed/", ALL_POSTS),
        ("/tags/health/feed/", [DEMO_URL]),
        ("/conferences/neurips-2023/feed/", [DEMO_URL]),
    ],
)
def test_rss_feeds_parse_and_link_the_demo_posts_absolutely(client, demo, url, links):
    response = client.get(url)
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")
    items = {item.findtext("link"): item for item in channel.findall("item")}
    assert list(items) == links
    neurips = items[DEMO_URL]
    assert neurips.findtext("title") == "NeurIPS 2023 Health & Bio Conference Review"
    assert [c.text for c in neurips.findall("category")] == [
        "biology",
        "conference review",
        "health",
    ]
    assert "<p>NeurIPS 2023 brought more" in neurips.findtext("description")


@pytest.mark.parametrize(
    ("url", "links"),
    [
        ("/feed/atom/", ALL_POSTS),
        ("/tags/conference-review/feed/atom/", ALL_POSTS),
        ("/conferences/neurips-2023/feed/atom/", [DEMO_URL]),
    ],
)
def test_atom_feeds_parse_with_absolute_self_links(client, demo, url, links):
    response = client.get(url)
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    self_link = feed.find(f"{ATOM}link[@rel='self']").get("href")
    assert self_link == f"https://reviews.example.org{url}"
    entries = feed.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}link").get("href") for e in entries] == links
    neurips = entries[links.index(DEMO_URL)]
    assert neurips.findtext(f"{ATOM}author/{ATOM}name") == "Patrick Schwab"


def test_feeds_of_an_empty_site_are_valid_and_empty(client):
    feed = ET.fromstring(client.get("/feed/atom/").content)
    assert feed.findall(f"{ATOM}entry") == []


def test_feed_of_an_unknown_tag_is_not_found(client):
    assert client.get("/tags/nothing-here/feed/").status_code == 404


def test_sitemap_lists_every_public_page_with_site_url(client, demo):
    root = ET.fromstring(client.get("/sitemap.xml").content)
    locations = [url.findtext(f"{SITEMAP}loc") for url in root.findall(f"{SITEMAP}url")]
    assert DEMO_URL in locations
    assert "https://reviews.example.org/conferences/neurips-2023/" in locations
    assert "https://reviews.example.org/tags/genomics/" in locations
    assert len([u for u in locations if "/papers/" in u and u.count("/") > 4]) == 18
    keynotes = public_keynotes().order_by("pk")
    assert [u for u in locations if "/keynotes/" in u] == [
        f"https://reviews.example.org/keynotes/{k.pk}/" for k in keynotes
    ]
    assert keynotes.exists()
    assert "https://reviews.example.org/posts/neurips-2023-benchmarks-roundup/" not in locations
    assert "https://reviews.example.org/posts/icml-2022-workshop-notes/" not in locations
    assert all(u.startswith("https://reviews.example.org/") for u in locations)


def test_sitemap_addresses_and_dates_are_the_records_own(client, demo):
    root = ET.fromstring(client.get("/sitemap.xml").content)
    urls = {
        url.findtext(f"{SITEMAP}loc"): url.findtext(f"{SITEMAP}lastmod")
        for url in root.findall(f"{SITEMAP}url")
    }
    site = "https://reviews.example.org"
    records = [*public_posts(), *public_papers(), *public_authors(), *public_keynotes()]
    records += [*public_conferences()]
    for record in records:
        assert f"{site}{record.get_absolute_url()}" in urls, record
    for record in [*public_posts(), *public_papers()]:
        expected = timezone.localtime(record.updated_at).date().isoformat()
        assert urls[f"{site}{record.get_absolute_url()}"] == expected
    authors = {u for u in urls if "/authors/" in u and u.count("/") > 4}
    assert len(authors) == public_authors().count()
    assert urls[f"{site}/authors/"] is None


def test_robots_txt_points_at_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode().splitlines() == [
        "User-agent: *",
        "Disallow: /admin/",
        "",
        "Sitemap: https://reviews.example.org/sitemap.xml",
    ]


def test_post_page_carries_blog_posting_json_ld_and_social_cards(client, demo):
    content = client.get("/posts/neurips-2023-health-bio-conference-review/").content.decode()
    data = jsonld_of(content)
    assert data["@type"] == "BlogPosting"
    assert data["headline"] == "NeurIPS 2023 Health & Bio Conference Review"
    assert data["url"] == DEMO_URL
    assert data["author"] == {"@type": "Person", "name": "Patrick Schwab"}
    cover = f"https://reviews.example.org{demo.cover_image.url}"
    assert data["image"] == cover
    assert data["keywords"] == ["conference review", "health", "biology"]
    assert data["datePublished"] == demo.published_at.isoformat()
    assert f'<link rel="canonical" href="{DEMO_URL}">' in content
    assert '<meta property="og:type" content="article">' in content
    assert f'<meta property="og:image" content="{cover}">' in content
    assert '<meta name="twitter:card" content="summary_large_image">' in content


def test_paper_page_carries_scholarly_article_json_ld(client, demo):
    paper = Paper.objects.get(title__startswith="HyenaDNA")
    data = jsonld_of(client.get(paper.get_absolute_url()).content.decode())
    assert data["@type"] == "ScholarlyArticle"
    assert data["name"] == paper.title
    assert data["url"] == f"https://reviews.example.org{paper.get_absolute_url()}"
    assert data["author"] == [
        {
            "@type": "Person",
            "name": name,
            "affiliation": {"@type": "Organization", "name": "Stanford University"},
        }
        for name in ["Eric Nguyen", "Michael Poli", "Stefano Ermon", "Chris Ré"]
    ]
    assert data["publication"] == {
        "@type": "PublicationEvent",
        "name": "Conference on Neural Information Processing Systems",
        "location": {"@type": "Place", "name": "New Orleans, USA"},
        "url": "https://neurips.cc/Conferences/2023",
        "startDate": "2023-12-10",
        "endDate": "2023-12-16",
    }
    assert sorted(data["keywords"]) == ["genomics", "long-range models"]
