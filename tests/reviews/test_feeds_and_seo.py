"""Feeds, sitemap, robots.txt, JSON-LD and social cards: parsed, not just fetched."""

import json
import re
import xml.etree.ElementTree as ET

import pytest

from papers.models import Paper
from reviews.demo import load_demo

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
DEMO_URL = "https://reviews.example.org/posts/neurips-2023-health-bio-conference-review/"


@pytest.fixture
def demo(db):
    return load_demo()[0]


def jsonld_of(content):
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', content, re.S)
    assert len(blocks) == 1
    return json.loads(blocks[0])


@pytest.mark.parametrize(
    "url", ["/feed/", "/tags/conference-review/feed/", "/conferences/neurips-2023/feed/"]
)
def test_rss_feeds_parse_and_link_the_demo_post_absolutely(client, demo, url):
    response = client.get(url)
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")
    items = channel.findall("item")
    assert [item.findtext("link") for item in items] == [DEMO_URL]
    assert items[0].findtext("title") == "NeurIPS 2023 Health & Bio Conference Review"
    assert [c.text for c in items[0].findall("category")] == ["conference review"]
    assert "<p>NeurIPS 2023 brought more" in items[0].findtext("description")


@pytest.mark.parametrize(
    "url",
    ["/feed/atom/", "/tags/conference-review/feed/atom/", "/conferences/neurips-2023/feed/atom/"],
)
def test_atom_feeds_parse_with_absolute_self_links(client, demo, url):
    response = client.get(url)
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    self_link = feed.find(f"{ATOM}link[@rel='self']").get("href")
    assert self_link == f"https://reviews.example.org{url}"
    entries = feed.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}link").get("href") for e in entries] == [DEMO_URL]
    assert entries[0].findtext(f"{ATOM}author/{ATOM}name") == "Patrick Schwab"


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
    assert len([u for u in locations if "/papers/" in u and u.count("/") > 4]) == 12
    assert all(u.startswith("https://reviews.example.org/") for u in locations)


def test_robots_txt_points_at_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode().splitlines() == [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /_nested_admin/",
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
    assert data["image"] == "http://schwabpatrick.com/img/neurips23-img.png"
    assert data["keywords"] == ["conference review"]
    assert data["datePublished"] == demo.published_at.isoformat()
    assert f'<link rel="canonical" href="{DEMO_URL}">' in content
    assert '<meta property="og:type" content="article">' in content
    assert (
        '<meta property="og:image" content="http://schwabpatrick.com/img/neurips23-img.png">'
        in (content)
    )
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
            "name": "Eric Nguyen",
            "affiliation": {"@type": "Organization", "name": "Stanford University"},
        }
    ]
    assert data["publication"] == {
        "@type": "PublicationEvent",
        "name": "Conference on Neural Information Processing Systems",
        "location": {"@type": "Place", "name": "New Orleans, USA"},
        "url": "https://neurips.cc/Conferences/2023",
    }
    assert sorted(data["keywords"]) == ["genomics", "long-range models"]
