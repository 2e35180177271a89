"""Suggesting, approving and rejecting videos (papers.videos), for papers and keynotes alike."""

import socket

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.models import ContentVersion
from papers import videos
from papers.models import PaperVideo
from reviews.models import KeynoteVideo
from tests.factories import KeynoteFactory, PaperFactory, PaperVideoFactory, UserFactory

pytestmark = pytest.mark.django_db

YOUTUBE = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"


def suggest(target, url=YOUTUBE, title="Oral presentation", address="198.51.100.7", **kwargs):
    return videos.suggest_video(target=target, url=url, title=title, address=address, **kwargs)


def content_version():
    return ContentVersion.objects.filter(pk=1).values_list("number", flat=True).first()


def test_a_suggestion_is_stored_waiting_with_the_readers_name():
    paper = PaperFactory()
    video = suggest(paper, suggested_by="  Ada  ")
    assert (video.paper, video.state, video.suggested_by) == (paper, "waiting", "Ada")
    assert list(PaperVideo.objects.approved()) == []


def test_a_keynote_takes_suggestions_through_the_same_service():
    keynote = KeynoteFactory()
    video = suggest(keynote, url="https://vimeo.com/76979871")
    assert isinstance(video, KeynoteVideo)
    assert (video.keynote, video.state, video.hosted.host) == (keynote, "waiting", "vimeo")


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://www.youtube.com/watch?v=dQw4w9WgXcQ", "Only https addresses are allowed"),
        ("javascript:alert(1)", "Only http and https addresses are allowed"),
        ("not a url", "Enter a valid URL."),
    ],
)
def test_only_https_addresses_are_accepted(url, message):
    with pytest.raises(ValidationError) as caught:
        suggest(PaperFactory(), url=url)
    assert message in caught.value.message_dict["url"][0]
    assert PaperVideo.objects.count() == 0


def test_a_title_is_required():
    with pytest.raises(ValidationError) as caught:
        suggest(PaperFactory(), title="  ")
    assert caught.value.message_dict == {"title": ["This field cannot be blank."]}


def test_the_same_video_twice_for_one_paper_is_refused_by_name():
    paper = PaperFactory()
    suggest(paper)
    with pytest.raises(ValidationError) as caught:
        suggest(paper, address="203.0.113.9")
    assert caught.value.message_dict == {"url": [videos.DUPLICATE]}
    suggest(PaperFactory())  # another paper may have it


def test_an_address_is_limited_per_hour(settings):
    settings.VIDEO_SUGGESTIONS_PER_HOUR = 2
    paper = PaperFactory()
    suggest(paper, url="https://youtu.be/aaaaaaaaaaa")
    suggest(paper, url="https://youtu.be/bbbbbbbbbbb")
    with pytest.raises(videos.SuggestionRefused, match="Too many suggestions"):
        suggest(paper, url="https://youtu.be/ccccccccccc")
    suggest(paper, url="https://youtu.be/ccccccccccc", address="203.0.113.9")
    assert paper.videos.count() == 3


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_the_rate_limit_degrades_to_no_limit_when_the_cache_is_down(settings, caplog):
    settings.VIDEO_SUGGESTIONS_PER_HOUR = 1
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    paper = PaperFactory()
    suggest(paper, url="https://youtu.be/aaaaaaaaaaa")
    suggest(paper, url="https://youtu.be/bbbbbbbbbbb")
    assert paper.videos.waiting().count() == 2
    assert "rate limit skipped, cache unreachable" in caplog.text


def test_a_suggestion_leaves_cached_pages_valid_and_an_approval_invalidates_them():
    paper = PaperFactory()
    before = content_version()
    video = suggest(paper)
    assert content_version() == before
    curator = UserFactory(is_superuser=True)
    videos.approve_videos(videos=PaperVideo.objects.filter(pk=video.pk), by=curator)
    assert content_version() != before


def test_approving_and_rejecting_record_who_and_when_and_count_only_changes():
    curator = UserFactory(is_superuser=True)
    waiting = [PaperVideoFactory(state="waiting"), PaperVideoFactory(state="waiting")]
    already = PaperVideoFactory(state="approved")
    every = PaperVideo.objects.all()

    assert videos.approve_videos(videos=every, by=curator) == 2
    assert videos.approve_videos(videos=every, by=curator) == 0
    waiting[0].refresh_from_db()
    assert (waiting[0].state, waiting[0].reviewed_by) == ("approved", curator)
    assert waiting[0].reviewed_at is not None

    assert videos.reject_videos(videos=PaperVideo.objects.filter(pk=already.pk), by=curator) == 1
    assert list(PaperVideo.objects.approved().order_by("pk")) == waiting


def test_only_curators_may_approve():
    video = PaperVideoFactory(state="waiting")
    reader = UserFactory(is_staff=True)
    with pytest.raises(PermissionDenied, match="Only curators"):
        videos.approve_videos(videos=PaperVideo.objects.all(), by=reader)
    video.refresh_from_db()
    assert video.state == "waiting"


def test_the_curators_group_may_review_both_queues(curator):
    assert curator.has_perm("papers.change_papervideo")
    assert curator.has_perm("reviews.change_keynotevideo")
    video = PaperVideoFactory(state="waiting")
    assert videos.approve_videos(videos=PaperVideo.objects.all(), by=curator) == 1
    video.refresh_from_db()
    assert video.state == "approved"
