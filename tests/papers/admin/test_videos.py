"""The curators' queue of suggested videos: filter, approve, reject, and the index count."""

import pytest

from papers.models import PaperVideo
from reviews.models import KeynoteVideo
from tests.factories import KeynoteVideoFactory, PaperVideoFactory

pytestmark = pytest.mark.django_db

QUEUE = "/admin/papers/papervideo/"


def test_the_admin_index_counts_waiting_suggestions_per_queue(curator_client):
    PaperVideoFactory(state="waiting")
    PaperVideoFactory(state="waiting")
    PaperVideoFactory(state="approved")
    KeynoteVideoFactory(state="waiting")
    content = curator_client.get("/admin/").content.decode()
    assert f'<a href="{QUEUE}?state__exact=waiting">2 paper videos waiting for review</a>' in (
        content
    )
    assert "1 keynote video waiting for review" in content


def test_the_queue_filters_by_state(curator_client):
    PaperVideoFactory(state="waiting", title="Waiting talk")
    PaperVideoFactory(state="approved", title="Approved talk")
    content = curator_client.get(QUEUE, {"state__exact": "waiting"}).content.decode()
    assert "Waiting talk" in content
    assert "Approved talk" not in content
    assert "YouTube" in content  # the recognised host column


def test_the_approve_action_goes_through_the_service(curator_client, curator):
    video = PaperVideoFactory(state="waiting")
    response = curator_client.post(
        QUEUE, {"action": "approve", "_selected_action": [video.pk]}, follow=True
    )
    assert "1 video(s) approved." in response.content.decode()
    video.refresh_from_db()
    assert (video.state, video.reviewed_by) == ("approved", curator)


def test_the_reject_action_hides_a_keynote_video(curator_client):
    video = KeynoteVideoFactory(state="approved")
    curator_client.post(
        "/admin/reviews/keynotevideo/", {"action": "reject", "_selected_action": [video.pk]}
    )
    assert KeynoteVideo.objects.get().state == "rejected"


def test_contributors_see_the_queue_but_cannot_approve(contributor_client):
    video = PaperVideoFactory(state="waiting")
    assert contributor_client.get(QUEUE).status_code == 200
    contributor_client.post(QUEUE, {"action": "approve", "_selected_action": [video.pk]})
    assert PaperVideo.objects.get().state == "waiting"
    assert "waiting for review" not in contributor_client.get("/admin/").content.decode()
