"""The paper admin: hiding and showing whole reviews, refusals in plain words."""

import pytest
from django.urls import reverse

from papers.models import Conference, PeerReviewExcerpt
from tests.factories import PaperFactory, PeerReviewExcerptFactory
from tests.reviews.forms import form_data

pytestmark = pytest.mark.django_db


def test_hiding_one_excerpt_hides_every_field_of_its_review_and_only_that(curator_client):
    paper = PaperFactory()
    for field in ("summary", "strengths"):
        PeerReviewExcerptFactory(paper=paper, note_id="noteA", field=field, reviewer_label="R A")
        PeerReviewExcerptFactory(paper=paper, note_id="noteB", field=field, reviewer_label="R B")
    PeerReviewExcerptFactory(paper=paper, reviewer_label="Typed", field="summary")
    PeerReviewExcerptFactory(paper=paper, reviewer_label="Typed", field="strengths")
    chosen = PeerReviewExcerpt.objects.filter(note_id="noteA", field="summary").get()
    typed = PeerReviewExcerpt.objects.filter(reviewer_label="Typed", field="summary").get()
    url = reverse("admin:papers_peerreviewexcerpt_changelist")
    response = curator_client.post(
        url, {"action": "hide_reviews", "_selected_action": [chosen.pk, typed.pk]}
    )
    assert response.status_code == 302
    hidden = PeerReviewExcerpt.objects.filter(hidden=True).order_by("pk")
    assert list(hidden.values_list("reviewer_label", "field")) == [
        ("R A", "summary"),
        ("R A", "strengths"),
        ("Typed", "summary"),
        ("Typed", "strengths"),
    ]
    curator_client.post(url, {"action": "show_reviews", "_selected_action": [chosen.pk]})
    assert list(hidden.values_list("reviewer_label", flat=True)) == ["Typed", "Typed"]


def test_a_conference_ending_before_it_starts_is_refused_in_plain_words(curator_client):
    response = curator_client.post(
        reverse("admin:papers_conference_add"),
        {
            "short_name": "NeurIPS",
            "year": 2024,
            "slug": "neurips-2024",
            "full_name": "Neural Information Processing Systems",
            "start_date": "2024-12-10",
            "end_date": "2024-12-01",
        },
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "The conference cannot end before it starts: check the start and end dates." in page
    assert "conference_ends_after_start" not in page
    assert "is violated" not in page
    assert not Conference.objects.filter(slug="neurips-2024").exists()


def test_a_second_paper_with_the_same_arxiv_id_is_refused_in_plain_words(curator_client):
    PaperFactory(arxiv_id="2306.15794")
    paper = PaperFactory()
    url = reverse("admin:papers_paper_change", args=[paper.pk])
    data = form_data(curator_client.get(url).content.decode(), "paper_form")
    data["arxiv_id"] = "2306.15794"

    response = curator_client.post(url, data)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Another paper already has this arXiv id: open that paper instead" in page
    assert "paper_unique_arxiv_id" not in page
    assert "is violated" not in page
    paper.refresh_from_db()
    assert paper.arxiv_id == ""
