"""Reader pages on the demo content and on an empty site."""

import datetime
import re

import pytest
from django.utils import timezone

from papers.models import Paper
from reviews.demo import load_demo
from tests.factories import PaperFactory, PaperVideoFactory, PeerReviewExcerptFactory

pytestmark = pytest.mark.django_db

DEMO_SLUG = "neurips-2023-health-bio-conference-review"
EMPTY_SITE_PAGES = ["/", "/conferences/", "/tags/", "/papers/", "/papers/?topic=x&year=abc"]


@pytest.fixture
def demo(db):
    return load_demo()[0]


@pytest.mark.parametrize("url", EMPTY_SITE_PAGES)
def test_list_pages_work_on_an_empty_site(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert b"<h1" in response.content


def test_empty_home_page_says_nothing_is_published(client):
    content = client.get("/").content.decode()
    assert "No reviews have been published yet." in content
    assert "No conferences yet." in content
    assert "No tags yet." in content


def test_home_page_lists_the_demo_post_with_its_metadata(client, demo):
    content = client.get("/").content.decode()
    assert '<a href="/posts/neurips-2023-health-bio-conference-review/">' in content
    assert "What happened in health and bio at NeurIPS 2023?" in content
    assert 'alt="Cover image of NeurIPS 2023 Health &amp; Bio Conference Review"' in content
    assert "5 min read" in content
    assert '<a href="/conferences/neurips-2023/">NeurIPS 2023</a>' in content
    assert '<a href="/tags/conference-review/">conference review <span class="count">(3)' in (
        content
    )


def test_home_page_paginates_ten_posts_a_page(client, post_builder):
    for _ in range(11):
        post_builder(entries=0)
    first, second = client.get("/"), client.get("/?page=2")
    assert len(first.context["posts"]) == 10
    assert len(second.context["posts"]) == 1
    assert b'rel="next"' in first.content and b'rel="prev"' in second.content


def test_post_page_has_contents_entries_gallery_and_conclusion(client, demo):
    content = client.get(f"/posts/{DEMO_SLUG}/").content.decode()
    entry_ids = re.findall(r'<article class="entry entry-\w+" id="(entry-\d+)"', content)
    assert len(entry_ids) == 14
    for entry_id in entry_ids:
        assert f'<a href="#{entry_id}">' in content
    assert content.count('<figure class="gallery-item">') == 56
    assert "galleryitem" not in content
    assert "<li>deep learning meeting causal reasoning</li>" in content
    assert '<aside class="disclaimer" aria-label="Disclaimer"><p>DISCLAIMER:' in content
    assert '<script src="/static/js/gallery.js" defer></script>' in content
    assert re.search(r"<img(?![^>]*\balt=)", content) is None


def test_post_page_links_the_previous_and_next_public_posts(client, post_builder):
    older, middle, newer = (post_builder(entries=0) for _ in range(3))
    for days, post in enumerate([newer, middle, older]):
        post.published_at = timezone.now() - datetime.timedelta(days=10 + days)
        post.save()
    context = client.get(middle.get_absolute_url()).context
    assert (context["previous_post"], context["next_post"]) == (older, newer)


def test_curator_html_in_summaries_is_sanitized_on_the_post_page(client, post_builder):
    post = post_builder(entries=1)
    entry = post.sections.get().entries.get()
    entry.summary = 'See <a href="https://ok.example">this</a><script>alert(1)</script>'
    entry.save()
    content = client.get(post.get_absolute_url()).content.decode()
    assert '<a href="https://ok.example" rel="noopener noreferrer">this</a>' in content
    assert "alert(1)" not in content


def test_conference_page_lists_posts_keynotes_and_papers(client, demo):
    content = client.get("/conferences/neurips-2023/").content.decode()
    assert DEMO_SLUG in content
    assert "Delusion of Scaling and Democratization of Generative Models" in content
    assert content.count('<li class="paper-item">') == 12


def test_tags_match_case_insensitively(client, demo):
    response = client.get("/tags/Conference-Review/")
    assert response.status_code == 301
    assert response["Location"] == "/tags/conference-review/"
    content = client.get("/tags/conference-review/").content.decode()
    assert DEMO_SLUG in content


def test_tag_page_lists_papers_with_that_topic(client, demo):
    content = client.get("/tags/genomics/").content.decode()
    assert "HyenaDNA: Long-Range Genomic Sequence Modeling" in content
    assert "BEND: Benchmarking DNA Language Models" in content
    assert "/posts/iclr-2024-drug-discovery-and-genomics/" in content


def test_paper_list_filters_by_conference_year_topic_and_decision(client, demo):
    other = PaperFactory(title="Elsewhere", decision="Accept (poster)")
    other.topics.set(["genomics"])

    def titles(query):
        return [paper.title for paper in client.get(f"/papers/?{query}").context["papers"]]

    assert len(titles("")) == 19
    assert titles("conference=neurips-2023&topic=genomics") == [
        "HyenaDNA: Long-Range Genomic Sequence Modeling at Single Nucleotide Resolution"
    ]
    assert titles("topic=genomics&year=2024") == [
        "BEND: Benchmarking DNA Language Models on Biologically Meaningful Tasks"
    ]
    assert titles("topic=genomics&year=2023") == [
        "Elsewhere",
        "HyenaDNA: Long-Range Genomic Sequence Modeling at Single Nucleotide Resolution",
    ]
    assert titles("decision=Accept+(poster)") == ["Elsewhere"]
    assert titles("year=1999") == []


def test_paper_page_is_shaped_like_the_reference(client, demo):
    paper = Paper.objects.get(title__startswith="HyenaDNA")
    paper.contribution = "Single-nucleotide tokens at long range."
    paper.findings = ["Longer context helps.", "Bigger models classify species better."]
    paper.abstract = "Genomic sequences are long."
    paper.decision = "NeurIPS 2023 Spotlight"
    paper.save()
    PeerReviewExcerptFactory(
        paper=paper, reviewer_label="Reviewer ab3X", rating=8, featured=True, order=10
    )
    PeerReviewExcerptFactory(paper=paper, text="Not quoted.", hidden=True, order=11)
    content = client.get(paper.get_absolute_url()).content.decode()
    headings = re.findall(r"<h2 id=\"[\w-]+\">([^<]+)</h2>", content)
    assert headings == [
        "TL;DR", "Contribution", "Findings", "Abstract", "Peer reviews", "Videos", "Topics",
        "Featured in",
    ]  # fmt: skip
    assert re.search(
        r'<li><a href="/authors/eric-nguyen[\w-]*/">Eric Nguyen</a> '
        r'<span class="affiliation">\(Stanford University\)</span></li>',
        content,
    )
    assert "NeurIPS 2023 Spotlight</p>" in content
    assert "Reviewer ab3X, rating 8/10" in content
    assert "Not quoted." not in content
    assert "Poster and talk recording on the NeurIPS 2023 virtual site</a>" in content
    assert '<a href="/tags/genomics/">genomics</a>' in content
    assert f'<a href="/posts/{DEMO_SLUG}/">' in content


def test_paper_page_lists_approved_videos_apart_from_links(client, demo):
    paper = Paper.objects.get(title__startswith="HyenaDNA")
    PaperVideoFactory(paper=paper, url="https://video.example/1", title="Talk")
    content = client.get(paper.get_absolute_url()).content.decode()
    assert '<a href="https://video.example/1" rel="nofollow ugc noopener">Talk</a>' in content
    assert "No videos yet." not in content
    assert "Poster and talk recording on the NeurIPS 2023 virtual site</a>" in content


def test_unknown_pages_get_a_friendly_404(client):
    response = client.get("/posts/no-such-post/")
    assert response.status_code == 404
    assert b"<h1>Page not found</h1>" in response.content


def test_the_500_page_renders_without_a_request():
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "<h1>Something went wrong</h1>" in html
    assert '<link rel="stylesheet" href="/static/css/site.css">' in html


@pytest.mark.parametrize(
    "url",
    ["/", f"/posts/{DEMO_SLUG}/", "/conferences/", "/conferences/neurips-2023/", "/tags/",
     "/tags/genomics/", "/papers/"],
)  # fmt: skip
def test_every_page_has_a_description_a_zoomable_viewport_and_no_inline_code(client, demo, url):
    content = client.get(url).content.decode()
    assert re.search(r'<meta name="description" content="[^"]{20,}">', content)
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in content
    assert 'rel="canonical" href="https://reviews.example.org' in content
    assert " style=" not in content and "<style" not in content
    assert not re.search(r"\son[a-z]+=", content)
    assert not re.search(r"<script(?! src=| type=\"application/ld\+json\")", content)


def test_post_tags_and_paper_topics_in_any_case_are_one_tag(client, post_builder):
    post = post_builder(entries=0, tags=("Conference Review",))
    paper = PaperFactory(title="Cased topic paper")
    paper.topics.set(["conference review"])
    tags = client.get("/tags/").context["tags"]
    assert [(t.name, t.post_count, t.paper_count) for t in tags] == [("Conference Review", 1, 1)]
    content = client.get("/tags/conference-review/").content.decode()
    assert post.get_absolute_url() in content and "Cased topic paper" in content
