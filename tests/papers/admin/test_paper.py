"""The paper admin's review screens: hiding and showing whole reviews."""

import pytest
from django.urls import reverse

from papers.models import PeerReviewExcerpt
from tests.factories import PaperFactory, PeerReviewExcerptFactory

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
