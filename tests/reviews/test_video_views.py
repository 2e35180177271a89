"""Readers suggest videos on a page of their own; approved ones play on paper and keynote pages."""

import json
import re

import pytest

from papers.models import PaperVideo
from reviews.models import Entry, KeynoteVideo
from tests.factories import (
    EntryFactory,
    KeynoteFactory,
    KeynoteVideoFactory,
    PaperVideoFactory,
)

pytestmark = pytest.mark.django_db

YOUTUBE = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"


@pytest.fixture
def paper(post_builder):
    post = post_builder(entries=1)
    return post.sections.get().entries.get().paper


@pytest.fixture
def keynote(keynote_in_post):
    return keynote_in_post()[1]


def suggest_url(paper):
    return f"/papers/{paper.slug}/videos/new/"


def form_data(**overrides):
    return {"url": YOUTUBE, "title": "Oral at NeurIPS", "suggested_by": "", "website": ""} | (
        overrides
    )


def test_an_empty_paper_page_invites_a_video_and_stays_cacheable(client, paper):
    response = client.get(paper.get_absolute_url())
    content = response.content.decode()
    assert not response.cookies  # no CSRF cookie: core.page_cache may store the page
    assert "csrfmiddlewaretoken" not in content
    assert (
        "No videos yet. Explain this paper in a talk, walkthrough, or lecture? "
        f'<a class="video-suggest-link" href="{suggest_url(paper)}">Add one</a>.'
    ) in content


def test_the_form_page_has_csrf_a_honeypot_and_is_never_cached(client, paper):
    response = client.get(suggest_url(paper))
    content = response.content.decode()
    assert response.status_code == 200
    assert 'name="csrfmiddlewaretoken"' in content
    assert '<p class="honeypot" aria-hidden="true">' in content
    assert 'name="website"' in content
    assert "no-cache" in response["Cache-Control"]
    assert f'<a href="{paper.get_absolute_url()}">{paper.title}</a>' in content


def test_a_suggestion_thanks_the_reader_and_waits_for_a_curator(client, paper):
    response = client.post(suggest_url(paper), form_data(suggested_by="Ada"))
    assert response.status_code == 302
    assert response["Location"] == f"{suggest_url(paper)}?sent=1"
    thanks = client.get(response["Location"]).content.decode()
    assert "Thanks, a curator will review it." in thanks
    video = PaperVideo.objects.get()
    assert (video.paper, video.state, video.suggested_by) == (paper, "waiting", "Ada")
    assert "Oral at NeurIPS" not in client.get(paper.get_absolute_url()).content.decode()


def test_the_form_refuses_csrf_less_posts(paper):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(suggest_url(paper), form_data())
    assert response.status_code == 403
    assert PaperVideo.objects.count() == 0


def test_a_filled_honeypot_looks_like_success_and_stores_nothing(client, paper):
    response = client.post(suggest_url(paper), form_data(website="https://spam.example"))
    assert response["Location"] == f"{suggest_url(paper)}?sent=1"
    assert PaperVideo.objects.count() == 0


def test_a_plain_http_address_is_refused_with_its_reason(client, paper):
    response = client.post(suggest_url(paper), form_data(url="http://www.youtube.com/watch?v=x"))
    assert response.status_code == 400
    assert "Only https addresses are allowed" in response.content.decode()
    assert PaperVideo.objects.count() == 0


def test_a_duplicate_is_refused_on_the_url_field(client, paper):
    PaperVideoFactory(paper=paper, url=YOUTUBE, state="rejected")
    response = client.post(suggest_url(paper), form_data())
    assert response.status_code == 400
    assert "This video has already been suggested for this page." in response.content.decode()


def test_too_many_suggestions_answer_429_with_the_reason(client, paper, settings):
    settings.VIDEO_SUGGESTIONS_PER_HOUR = 1
    client.post(suggest_url(paper), form_data())
    response = client.post(suggest_url(paper), form_data(url="https://youtu.be/aaaaaaaaaaa"))
    assert response.status_code == 429
    assert "Too many suggestions from your address" in response.content.decode()
    assert PaperVideo.objects.count() == 1


def test_no_suggestions_for_a_paper_only_a_draft_features(client, hidden_posts):
    paper = hidden_posts[0].sections.get().entries.get().paper
    assert client.get(suggest_url(paper)).status_code == 404
    assert client.post(suggest_url(paper), form_data()).status_code == 404
    assert PaperVideo.objects.count() == 0


def test_an_approved_hosted_video_is_a_click_to_play_placeholder_with_no_third_party_request(
    client, paper
):
    PaperVideoFactory(paper=paper, url=YOUTUBE, title="Oral at NeurIPS", suggested_by="Ada")
    PaperVideoFactory(paper=paper, url="https://neurips.cc/virtual/2023/poster/1", title="Poster")
    content = client.get(paper.get_absolute_url()).content.decode()
    assert (
        '<div class="video-player" data-embed-url="'
        'https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1" data-title="Oral at NeurIPS">'
    ) in content
    assert "suggested by Ada" in content
    assert '<a href="https://neurips.cc/virtual/2023/poster/1" rel="nofollow ugc noopener">' in (
        content
    )
    assert content.count('class="video-player"') == 1  # the other page is a link only
    assert '<script src="/static/js/videos.js" defer></script>' in content
    assert not re.search(r'<(iframe|img)[^>]+src="https?://(?!reviews\.example\.org)', content)


def test_the_paper_json_ld_lists_approved_videos_as_video_objects(client, paper):
    PaperVideoFactory(paper=paper, url=YOUTUBE, title="Oral at NeurIPS")
    PaperVideoFactory(paper=paper, title="Waiting", state="waiting")
    content = client.get(paper.get_absolute_url()).content.decode()
    data = json.loads(re.search(r'ld\+json">(.*?)</script>', content, re.S)[1])
    assert data["video"] == [
        {
            "@type": "VideoObject",
            "name": "Oral at NeurIPS",
            "url": YOUTUBE,
            "embedUrl": "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1",
            "thumbnailUrl": "https://i.ytimg.com/vi/dQw4w9WgXcQ/hqdefault.jpg",
        }
    ]


def test_the_csp_lets_only_the_known_players_be_framed(client, paper):
    response = client.get(paper.get_absolute_url())
    policy = response["Content-Security-Policy"]
    assert (
        "frame-src https://www.youtube-nocookie.com https://player.vimeo.com "
        "https://slideslive.com https://player.bilibili.com"
    ) in policy
    assert "script-src 'self'" in policy


def test_the_keynote_page_has_its_talk_videos_and_suggestions(client, keynote):
    KeynoteVideoFactory(keynote=keynote, url="https://vimeo.com/76979871", title="Recording")
    KeynoteVideoFactory(keynote=keynote, title="Not yet", state="waiting")
    response = client.get(keynote.get_absolute_url())
    content = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Scaling laws</h1>" in content
    assert 'data-embed-url="https://player.vimeo.com/video/76979871?dnt=1&amp;autoplay=1"' in (
        content
    )
    assert "Not yet" not in content
    assert (
        f'<a class="video-suggest-link" href="/keynotes/{keynote.pk}/videos/new/">'
        "Suggest another video</a>"
    ) in content
    data = json.loads(re.search(r'ld\+json">(.*?)</script>', content, re.S)[1])
    assert [video["name"] for video in data["recordedIn"]] == ["Recording"]


def test_a_keynote_suggestion_waits_for_a_curator(client, keynote):
    response = client.post(f"/keynotes/{keynote.pk}/videos/new/", form_data())
    assert response.status_code == 302
    assert KeynoteVideo.objects.get().state == "waiting"
    assert "Oral at NeurIPS" not in client.get(keynote.get_absolute_url()).content.decode()


def test_a_keynote_only_a_draft_features_has_no_page(client, hidden_posts):
    talk = KeynoteFactory(listed=False)
    draft_section = hidden_posts[0].sections.get()
    EntryFactory(section=draft_section, order=5, kind=Entry.Kind.KEYNOTE, paper=None, keynote=talk)
    assert client.get(talk.get_absolute_url()).status_code == 404
    assert client.get(f"/keynotes/{talk.pk}/videos/new/").status_code == 404


@pytest.mark.parametrize("count", [1, 20])
def test_paper_and_keynote_page_queries_do_not_grow_with_videos(
    client, paper, keynote, django_assert_num_queries, count
):
    for n in range(count):
        PaperVideoFactory(paper=paper, url=f"https://youtu.be/{n:011d}")
        PaperVideoFactory(paper=paper, state="waiting")
        KeynoteVideoFactory(keynote=keynote)
    with django_assert_num_queries(2):  # the stored page holds the approved videos
        content = client.get(paper.get_absolute_url()).content.decode()
    assert content.count('class="video-player"') == count
    with django_assert_num_queries(5):
        content = client.get(keynote.get_absolute_url()).content.decode()
    assert content.count('class="video-player"') == count
