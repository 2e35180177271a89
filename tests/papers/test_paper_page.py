"""The paper page: decision, review stats, attributed featured excerpts, Scholar tags, JSON-LD."""

import json
import re

import pytest
from django.urls import reverse

from papers.models import Paper
from papers.selectors import paper_with_reviews, review_summary
from papers.services import import_openreview
from papers.structured_data import paper_jsonld
from tests.factories import AuthorshipFactory, PaperFactory, PeerReviewExcerptFactory
from tests.fixtures import PAPER_FILES

pytestmark = pytest.mark.django_db

FILES = PAPER_FILES


@pytest.fixture
def paper():
    import_openreview(source=FILES / "openreview_v2_accepted_forum.json")
    Paper.objects.update(listed=True)  # imported papers are public once a curator lists them
    paper = Paper.objects.get()
    paper.conference.full_name = "International Conference on Learning Representations"
    paper.conference.location = "Vienna, Austria"
    paper.conference.save()
    excerpts = paper.review_excerpts.order_by("order")
    weaknesses = excerpts.get(reviewer_label="Reviewer zP01", field="weaknesses")
    strengths = excerpts.get(reviewer_label="Reviewer ab3X", field="strengths")
    for order, excerpt in enumerate([weaknesses, strengths], start=100):
        excerpt.featured, excerpt.order = True, order
        excerpt.save()
    return paper


def jsonld(response):
    match = re.search(
        r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S
    )
    return json.loads(match[1])


def test_review_summary_counts_reviews_not_excerpts_and_averages_their_ratings(paper):
    summary = review_summary(paper_with_reviews().get(pk=paper.pk))
    assert summary.review_count == 2
    assert str(summary.mean_rating) == "7.0"
    assert summary.rating_scale == 10
    assert [item.attribution for item in summary.featured] == [
        "Reviewer zP01, rating 6/10",
        "Reviewer ab3X, rating 8/10",
    ]


def test_the_page_shows_decision_stats_and_featured_excerpts_in_curated_order(client, paper):
    response = client.get(paper.get_absolute_url())
    html = response.content.decode()
    assert "<dt>Decision</dt><dd>Accept (poster)</dd>" in html
    assert "<dt>Reviews</dt><dd>2</dd>" in html
    assert "<dt>Mean rating</dt><dd>7.0/10</dd>" in html
    assert html.index("The work lacks basic baselines.") < html.index(
        "The findings have an important implication"
    )
    assert ">Reviewer zP01, rating 6/10</a></figcaption>" in html
    assert "The paper studies how model and data scale" not in html  # not featured


def test_the_page_carries_google_scholar_citation_tags(client, paper):
    html = client.get(paper.get_absolute_url()).content.decode()
    assert (
        '<meta name="citation_title" content="Sparse Attention for Long Genomic Sequences">' in html
    )
    assert re.findall(r'<meta name="citation_author" content="([^"]+)">', html) == [
        "Eli Okafor",
        "Hana Sato",
    ]
    assert '<meta name="citation_publication_date" content="2024/01/16">' in html
    assert (
        '<meta name="citation_conference_title" '
        'content="International Conference on Learning Representations">' in html
    )
    assert (
        '<meta name="citation_pdf_url" '
        'content="https://openreview.net/pdf/aa11bb22cc33dd44ee55ff6600112233.pdf">' in html
    )


def test_the_page_describes_the_paper_as_a_scholarly_article_with_reviews(client, paper):
    data = jsonld(client.get(paper.get_absolute_url()))
    assert data == paper_jsonld(paper_with_reviews().get(pk=paper.pk))
    assert data["@type"] == "ScholarlyArticle"
    assert data["name"] == "Sparse Attention for Long Genomic Sequences"
    assert data["author"] == [
        {"@type": "Person", "name": "Eli Okafor"},
        {"@type": "Person", "name": "Hana Sato"},
    ]
    assert data["publication"] == {
        "@type": "PublicationEvent",
        "name": "International Conference on Learning Representations",
        "location": {"@type": "Place", "name": "Vienna, Austria"},
    }
    assert data["review"][0] == {
        "@type": "Review",
        "author": {"@type": "Person", "name": "Reviewer zP01"},
        "reviewBody": "The work lacks basic baselines.",
        "reviewRating": {"@type": "Rating", "ratingValue": 6, "bestRating": 10, "worstRating": 1},
        "url": "https://openreview.net/forum?id=Acc3pTedXy&noteId=aRv2222222",
    }


def test_json_ld_cannot_be_closed_early_by_a_hostile_title(client):
    paper = PaperFactory(title="</script><script>alert(1)</script>")
    html = client.get(paper.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in html
    assert jsonld(client.get(paper.get_absolute_url()))["name"] == paper.title


@pytest.mark.parametrize("size", [2, 12])
def test_the_paper_page_runs_a_fixed_number_of_queries(client, django_assert_num_queries, size):
    paper = PaperFactory()
    for i in range(size):
        AuthorshipFactory(paper=paper, order=i)
        PeerReviewExcerptFactory(paper=paper, featured=True, order=i)
    # paper + conference, authorships, links, topics, excerpts, the posts featuring it
    with django_assert_num_queries(6):
        response = client.get(reverse("papers:paper-detail", args=[paper.slug]))
    assert f"<dt>Reviews</dt><dd>{size}</dd>" in response.content.decode()
