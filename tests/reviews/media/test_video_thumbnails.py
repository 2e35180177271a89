"""Approving a video fetches its host's still image from a real server on 127.0.0.1 into media;
pages, JSON-LD and the API show our copy, and only while the video and its page are public."""

import json
import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from papers.models import PaperVideo
from papers.videos import approve_videos, reject_videos
from reviews.media.fetch import FetchError
from reviews.media.video_thumbnails import fetch_video_thumbnail, thumbnail_name
from reviews.models import KeynoteVideo
from tests.factories import (
    KeynoteVideoFactory,
    PaperVideoFactory,
)
from tests.image_server import serving
from tests.imagefiles import HTML_AS_PNG, slide

pytestmark = pytest.mark.django_db

YOUTUBE = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
OTHER_YOUTUBE = "https://youtu.be/aaaaaaaaaaa"
STILL = slide(480, 360, fmt="JPEG")
ROUTES = {
    "/vi/dQw4w9WgXcQ/hqdefault.jpg": (200, "image/jpeg", STILL, {}),
    "/vi/aaaaaaaaaaa/hqdefault.jpg": (200, "image/jpeg", STILL, {}),
    "/vi/notanimage1/hqdefault.jpg": (200, "image/jpeg", HTML_AS_PNG, {}),
}


@pytest.fixture
def host(settings, media_root):
    """A stand-in for i.ytimg.com on 127.0.0.1, with thumbnails switched on."""
    with serving(ROUTES) as (base, hits):
        settings.VIDEO_THUMBNAILS = True
        settings.VIDEO_THUMBNAIL_ORIGIN = base
        yield hits


@pytest.fixture
def paper(post_builder):
    return post_builder(entries=1).sections.get().entries.get().paper


@pytest.fixture
def keynote(keynote_in_post):
    return keynote_in_post()[1]


def approve(video, curator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        approve_videos(videos=type(video).objects.filter(pk=video.pk), by=curator)
    video.refresh_from_db()
    return video


def media(client, name):
    """GET /media/<name>: the status, content type and bytes (read to the end, which closes
    the file; closing the response would end the test's connection as a finished request)."""
    response = client.get(f"/media/{name}")
    body = b""
    if response.streaming:
        body = b"".join(response.streaming_content)
    return response.status_code, response["Content-Type"], body


def json_ld(content):
    return json.loads(re.search(r'ld\+json">(.*?)</script>', content, re.S)[1])


def test_approving_a_youtube_video_stores_its_thumbnail_and_every_page_shows_our_copy(
    client, paper, curator, host, django_capture_on_commit_callbacks
):
    video = PaperVideoFactory(paper=paper, url=YOUTUBE, title="Oral", state="waiting")
    video = approve(video, curator, django_capture_on_commit_callbacks)

    with default_storage.open(video.thumbnail.name) as handle:
        expected = thumbnail_name(handle.read(), "JPEG")
    assert (video.thumbnail.name, video.thumbnail_width, video.thumbnail_height) == (
        expected,
        480,
        360,
    )
    assert re.fullmatch(r"video-thumbnails/[0-9a-f]{2}/[0-9a-f]{32}\.jpg", expected)
    assert host == {"/vi/dQw4w9WgXcQ/hqdefault.jpg": 1}
    content = client.get(paper.get_absolute_url()).content.decode()
    assert (
        f'<img class="video-thumbnail" src="/media/{expected}" width="480" height="360" '
        'alt="Thumbnail of “Oral”" loading="lazy">'
    ) in content
    assert not re.search(r'<(iframe|img)[^>]+src="https?://', content)
    ours = f"https://reviews.example.org/media/{expected}"
    assert json_ld(content)["video"][0]["thumbnailUrl"] == ours
    api = client.get(f"/api/v1/papers/{paper.slug}/").json()
    assert api["videos"][0]["thumbnail_url"] == ours
    status, content_type, body = media(client, expected)
    assert (status, content_type, body[:2]) == (200, "image/jpeg", b"\xff\xd8")


def test_a_keynote_video_gets_its_thumbnail_on_the_keynote_page(
    client, keynote, curator, host, django_capture_on_commit_callbacks
):
    video = KeynoteVideoFactory(keynote=keynote, url=YOUTUBE, title="Talk", state="waiting")
    video = approve(video, curator, django_capture_on_commit_callbacks)
    content = client.get(keynote.get_absolute_url()).content.decode()
    assert f'src="/media/{video.thumbnail.name}" width="480" height="360"' in content
    assert 'alt="Thumbnail of “Talk”"' in content
    assert media(client, video.thumbnail.name)[0] == 200


def test_two_videos_with_the_same_still_share_one_content_addressed_file(
    paper, curator, host, media_root, django_capture_on_commit_callbacks
):
    first = PaperVideoFactory(paper=paper, url=YOUTUBE, state="waiting")
    second = PaperVideoFactory(paper=paper, url=OTHER_YOUTUBE, state="waiting")
    with django_capture_on_commit_callbacks(execute=True):
        approve_videos(videos=PaperVideo.objects.all(), by=curator)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.thumbnail.name == second.thumbnail.name
    stored = [p for p in (media_root / "video-thumbnails").rglob("*") if p.is_file()]
    assert [p.relative_to(media_root).as_posix() for p in stored] == [first.thumbnail.name]


def test_a_failed_fetch_keeps_the_placeholder_without_an_image(
    client, paper, curator, host, django_capture_on_commit_callbacks
):
    missing = PaperVideoFactory(
        paper=paper, url="https://youtu.be/bbbbbbbbbbb", title="Gone", state="waiting"
    )
    fake = PaperVideoFactory(
        paper=paper, url="https://youtu.be/notanimage1", title="Fake", state="waiting"
    )
    with django_capture_on_commit_callbacks(execute=True):
        approve_videos(videos=PaperVideo.objects.all(), by=curator)
    missing.refresh_from_db()
    fake.refresh_from_db()
    assert (missing.thumbnail.name, fake.thumbnail.name) == ("", "")
    assert host == {"/vi/bbbbbbbbbbb/hqdefault.jpg": 1, "/vi/notanimage1/hqdefault.jpg": 1}
    content = client.get(paper.get_absolute_url()).content.decode()
    assert content.count('class="video-player"') == 2
    assert 'class="video-thumbnail"' not in content


def test_the_fetch_names_the_problem(paper, host):
    video = PaperVideoFactory(paper=paper, url="https://youtu.be/bbbbbbbbbbb")
    with pytest.raises(FetchError) as missing:
        fetch_video_thumbnail(model="papers.PaperVideo", pk=video.pk, timeout=2)
    with pytest.raises(FetchError) as unknown:
        fetch_video_thumbnail(model="auth.User", pk=1)
    assert (str(missing.value), str(unknown.value)) == (
        "HTTP 404 Not Found",
        "auth.User is not a video model",
    )


def test_a_host_without_stills_and_thumbnails_switched_off_fetch_nothing(
    paper, keynote, curator, host, settings, django_capture_on_commit_callbacks
):
    vimeo = KeynoteVideoFactory(keynote=keynote, url="https://vimeo.com/76979871", state="waiting")
    approve(vimeo, curator, django_capture_on_commit_callbacks)
    settings.VIDEO_THUMBNAILS = False
    youtube = PaperVideoFactory(paper=paper, url=YOUTUBE, state="waiting")
    youtube = approve(youtube, curator, django_capture_on_commit_callbacks)
    assert (KeynoteVideo.objects.get().thumbnail.name, youtube.thumbnail.name) == ("", "")
    assert host == {}


def _with_thumbnail(video):
    name = thumbnail_name(STILL, "JPEG")
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(STILL))
    type(video).objects.filter(pk=video.pk).update(thumbnail=name)
    return name


def test_a_waiting_or_rejected_suggestions_thumbnail_is_404(
    client, paper, curator, media_root, django_capture_on_commit_callbacks
):
    waiting = PaperVideoFactory(paper=paper, url=YOUTUBE, state="waiting")
    name = _with_thumbnail(waiting)
    assert media(client, name)[0] == 404

    approve(waiting, curator, django_capture_on_commit_callbacks)
    assert media(client, name)[0] == 200
    reject_videos(videos=PaperVideo.objects.all(), by=curator)
    assert media(client, name)[0] == 404


def test_the_thumbnail_of_a_paper_only_a_draft_features_is_404_for_readers_not_for_staff(
    client, post_builder, curator, media_root
):
    paper = post_builder(entries=1, published=False).sections.get().entries.get().paper
    name = _with_thumbnail(PaperVideoFactory(paper=paper, url=YOUTUBE))
    assert media(client, name)[0] == 404
    client.force_login(curator)
    status, content_type, body = media(client, name)
    assert (status, content_type, body[:2]) == (200, "image/jpeg", b"\xff\xd8")
