"""The paper page: decision, reviews as OpenReview groups them, pinned excerpts, Scholar tags,
JSON-LD."""

import json
import re

import pytest
from django.urls import reverse

from papers.models import Paper
from papers.selectors import paper_with_reviews, review_summary
from papers.services import import_openreview, set_reviews_hidden
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


def test_the_page_shows_decision_stats_and_pinned_excerpts_in_curated_order(client, paper):
    response = client.get(paper.get_absolute_url())
    html = response.content.decode()
    assert (
        '<p class="decision"><strong class="outcome outcome-accepted_poster">'
        "Accepted (poster)</strong> · Accept (poster)</p>"
    ) in html
    assert "<dt>Reviews</dt><dd>2</dd>" in html
    assert "<dt>Mean rating</dt><dd>7.0/10</dd>" in html
    assert "<dt>Range</dt><dd>6–8</dd>" in html
    pinned = html[html.index('<div class="pinned-excerpts">') : html.index("review-decision")]
    assert pinned.index("The work lacks basic baselines.") < pinned.index(
        "The findings have an important implication"
    )
    assert ">Reviewer zP01, rating 6/10</a></figcaption>" in pinned
    assert "The paper studies how model and data scale" not in pinned  # not pinned


def test_imported_reviews_show_without_any_curator_step_decision_first(client):
    import_openreview(source=FILES / "openreview_v2_accepted_forum.json")
    Paper.objects.update(listed=True)
    html = client.get(Paper.objects.get().get_absolute_url()).content.decode()
    assert 'class="pinned-excerpts"' not in html
    order = [
        html.index('<h3 id="review-decision">Decision</h3>'),
        html.index("The committee agrees with the area chair."),
        html.index('<h3 id="meta-review-1">Meta-review by Area Chair Wx9q</h3>'),
        html.index("All reviewers agree the long-context results"),
        html.index('<h3 id="review-1">Reviewer ab3X</h3>'),
        html.index("The paper studies how model and data scale"),
        html.index('<h3 id="review-2">Reviewer zP01</h3>'),
        html.index("The work lacks basic baselines."),
    ]
    assert order == sorted(order)
    card = html[order[4] : order[6]]
    assert '<dt>Rating</dt><dd>8/10 <span class="meta">(accept, good paper)</span></dd>' in card
    assert "<dt>Confidence</dt><dd>3: You are fairly confident in your assessment.</dd>" in card
    assert "<dt>Soundness</dt><dd>3 good</dd>" in card
    assert "<dt>Presentation</dt><dd>2 fair</dd>" in card
    assert "<dt>Contribution</dt><dd>3 good</dd>" in card
    assert re.findall(r"<h4>(\w+)</h4>", card) == [
        "Summary",
        "Strengths",
        "Weaknesses",
        "Questions",
    ]
    assert (
        '<a href="https://openreview.net/forum?id=Acc3pTedXy&amp;noteId=aRv1111111">'
        "Original review</a>"
    ) in card


def test_curators_hide_a_field_or_a_whole_review(client, paper, curator):
    excerpts = paper.review_excerpts.all()
    question = excerpts.get(reviewer_label="Reviewer ab3X", field="questions")
    question.hidden = True
    question.save()  # as the excerpts inline saves it
    set_reviews_hidden(
        excerpts=excerpts.filter(reviewer_label="Reviewer zP01"), hidden=True, by=curator
    )
    html = client.get(paper.get_absolute_url()).content.decode()
    assert "Why are out-of-distribution samples used only for" not in html
    assert "The paper studies how model and data scale" in html
    assert "Reviewer zP01" not in html
    assert "The work lacks basic baselines." not in html  # pinned, but hidden wins
    assert "<dt>Reviews</dt><dd>1</dd>" in html
    assert "<dt>Mean rating</dt><dd>8.0/10</dd>" in html
    assert "<dt>Range</dt>" not in html


def test_a_long_field_folds_the_rest_behind_show_more(client):
    paper = PaperFactory(listed=True)
    first, second = "First paragraph. " * 20, "Second paragraph, folded. " * 20
    PeerReviewExcerptFactory(paper=paper, field="weaknesses", text=f"{first}\n\n{second}")
    PeerReviewExcerptFactory(paper=paper, field="strengths", text="Short and shown.")
    html = client.get(paper.get_absolute_url()).content.decode()
    folded = html[html.index('<details class="show-more">') :]
    assert first.strip() in html[: html.index('<details class="show-more">')]
    assert folded.startswith('<details class="show-more"><summary>Show more</summary><p>Second')
    assert html.count('<details class="show-more">') == 1
    assert "Short and shown." in html


def test_a_named_signature_is_shown_by_its_note_never_by_name(client):
    paper = PaperFactory(listed=True)
    notes = [
        {"id": "Fo0rum0001", "invitations": ["V.cc/2024/Conference/-/Submission"],
         "content": {"title": {"value": "Named"}}},
        {"id": "nAmed00042", "forum": "Fo0rum0001",
         "invitations": ["V.cc/2024/Conference/Submission1/-/Official_Review"],
         "signatures": ["~Ada_Lovelace1"],
         "content": {"summary": {"value": "Signed by name."}, "rating": {"value": "5: ok"}}},
    ]  # fmt: skip
    import_openreview(data=notes)
    paper = Paper.objects.get(openreview_id="Fo0rum0001")
    Paper.objects.filter(pk=paper.pk).update(listed=True)
    html = client.get(paper.get_absolute_url()).content.decode()
    assert "Signed by name." in html
    assert '<h3 id="review-1">Reviewer 0042</h3>' in html
    assert "Lovelace" not in html


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


@pytest.mark.parametrize("size", [1, 20])
def test_the_paper_page_runs_a_fixed_number_of_queries(client, django_assert_num_queries, size):
    paper = PaperFactory()
    for i in range(size):
        AuthorshipFactory(paper=paper, order=i)
        for name in ("summary", "strengths", "weaknesses", "questions"):
            PeerReviewExcerptFactory(
                paper=paper, note_id=f"note{i}", reviewer_label=f"Reviewer {i}", field=name,
                featured=name == "summary", scores={"soundness": {"value": 3, "label": "3 good"}},
            )  # fmt: skip
    # the paper with its stored page, the posts featuring it
    with django_assert_num_queries(2):
        response = client.get(reverse("papers:paper-detail", args=[paper.slug]))
    html = response.content.decode()
    assert f"<dt>Reviews</dt><dd>{size}</dd>" in html
    assert html.count('<article class="review-card review-official"') == size
