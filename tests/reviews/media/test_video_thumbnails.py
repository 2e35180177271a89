"""Approving a video fetches its host's still image from a real server on 127.0.0.1 into media
(directly for YouTube, through the host's JSON for Vimeo and Bilibili); pages, JSON-LD and the
API show our copy, only while the video and its page are public; hostile answers are refused
with the reason recorded."""

import json
import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from papers.models import PaperVideo
from papers.video_hosts import recognise
from papers.videos import approve_videos, reject_videos
from reviews.media.fetch import FetchError
from reviews.media.video_thumbnails import _still_address, fetch_video_thumbnail, thumbnail_name
from reviews.models import KeynoteVideo
from reviews.tasks import fetch_video_thumbnail as fetch_task
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
VIMEO = "https://vimeo.com/76979871"
BILIBILI = "https://www.bilibili.com/video/BV1GJ411x7h7/"
WIDE = slide(640, 360, fmt="PNG")


def oembed(video_id):
    return f"/api/oembed.json?url=https%3A%2F%2Fvimeo.com%2F{video_id}"


def answer(data, content_type="application/json", **options):
    body = data if isinstance(data, bytes) else json.dumps(data).encode()
    return (200, content_type, body, options)


def vimeo_says(thumbnail_url):
    return answer({"type": "video", "thumbnail_url": thumbnail_url})


ROUTES = {
    "/vi/dQw4w9WgXcQ/hqdefault.jpg": (200, "image/jpeg", STILL, {}),
    "/vi/aaaaaaaaaaa/hqdefault.jpg": (200, "image/jpeg", STILL, {}),
    "/vi/notanimage1/hqdefault.jpg": (200, "image/jpeg", HTML_AS_PNG, {}),
    oembed(76979871): vimeo_says("https://i.vimeocdn.com/video/452001751-8216e0571c_640"),
    "/video/452001751-8216e0571c_640": (200, "image/png", WIDE, {}),
    "/x/web-interface/view?bvid=BV1GJ411x7h7": answer(
        {
            "code": 0,
            "data": {"bvid": "BV1GJ411x7h7", "pic": "http://i0.hdslb.com/bfs/archive/a.jpg"},
        }
    ),
    "/bfs/archive/a.jpg": (200, "image/jpeg", STILL, {}),
    "/x/web-interface/view?bvid=BV1xx411c7mD": answer({"code": -404, "data": None}),
    oembed(2000001): (302, "text/plain", b"", {"Location": oembed(76979871)}),
    oembed(1000001): answer(b"{}", **{"Content-Length": "10000000"}),
    oembed(1000002): answer(b'{"thumbnail_url": "' + b"x" * 70_000 + b'"}', **{"no-length": 1}),
    oembed(1000003): answer(b"<html>Vimeo</html>", "text/html"),
    oembed(1000004): answer(b"{nope"),
    oembed(1000005): answer([]),
    oembed(1000006): answer({"thumbnail_url": 42}),
    oembed(1000007): vimeo_says("https://127.0.0.1/video/1.jpg"),
    oembed(1000008): vimeo_says("https://10.0.0.1/video/1.jpg"),
    oembed(1000009): vimeo_says("http://i.vimeocdn.com/video/1.jpg"),
    oembed(1000010): vimeo_says("https://i.vimeocdn.com.evil.example/video/1.jpg"),
    oembed(1000011): (302, "text/plain", b"", {"Location": "https://127.0.0.1:9/oembed.json"}),
    oembed(1000012): vimeo_says("https://i.vimeocdn.com/video/moved"),
    "/video/moved": (302, "text/plain", b"", {"Location": "http://i.vimeocdn.com/video/1.jpg"}),
    oembed(1000013): vimeo_says("https://i.vimeocdn.com/video/elsewhere"),
    "/video/elsewhere": (302, "text/plain", b"", {"Location": "https://192.168.1.1/1.jpg"}),
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
    slideslive = KeynoteVideoFactory(
        keynote=keynote, url="https://slideslive.com/38922800/attention", state="waiting"
    )
    approve(slideslive, curator, django_capture_on_commit_callbacks)
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


def test_a_vimeo_video_gets_the_still_its_oembed_names_and_every_page_shows_our_copy(
    client, paper, curator, host, django_capture_on_commit_callbacks
):
    video = PaperVideoFactory(paper=paper, url=VIMEO, title="Spotlight", state="waiting")
    video = approve(video, curator, django_capture_on_commit_callbacks)

    assert host == {oembed(76979871): 1, "/video/452001751-8216e0571c_640": 1}
    with default_storage.open(video.thumbnail.name) as handle:
        expected = thumbnail_name(handle.read(), "PNG")
    assert (video.thumbnail.name, video.thumbnail_width, video.thumbnail_height) == (
        expected,
        640,
        360,
    )
    assert video.thumbnail.name.endswith(".png")
    content = client.get(paper.get_absolute_url()).content.decode()
    assert f'<img class="video-thumbnail" src="/media/{video.thumbnail.name}"' in content
    assert "vimeocdn" not in content
    ours = f"https://reviews.example.org/media/{video.thumbnail.name}"
    assert json_ld(content)["video"][0]["thumbnailUrl"] == ours
    assert client.get(f"/api/v1/papers/{paper.slug}/").json()["videos"][0]["thumbnail_url"] == ours
    assert media(client, video.thumbnail.name)[:2] == (200, "image/png")


def test_a_bilibili_video_gets_data_pic_over_https_on_the_keynote_page(
    client, keynote, curator, host, django_capture_on_commit_callbacks
):
    video = KeynoteVideoFactory(keynote=keynote, url=BILIBILI, title="讲座", state="waiting")
    video = approve(video, curator, django_capture_on_commit_callbacks)
    assert host == {"/x/web-interface/view?bvid=BV1GJ411x7h7": 1, "/bfs/archive/a.jpg": 1}
    content = client.get(keynote.get_absolute_url()).content.decode()
    assert f'src="/media/{video.thumbnail.name}" width="480" height="360"' in content
    assert "hdslb" not in content


def test_the_lookup_asks_for_the_still_over_https_when_bilibili_names_plain_http(settings):
    settings.VIDEO_THUMBNAIL_ORIGIN = ""
    hosted = recognise(BILIBILI)
    assert (
        _still_address("http://i0.hdslb.com/bfs/a.jpg", hosted) == "https://i0.hdslb.com/bfs/a.jpg"
    )
    with pytest.raises(FetchError, match="is not https"):
        _still_address("http://i.vimeocdn.com/video/1.jpg", recognise(VIMEO))


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("https://vimeo.com/1000001", "10000000 bytes is over the 65536 byte limit"),
        ("https://vimeo.com/1000002", "more than 65536 bytes; download stopped"),
        ("https://vimeo.com/1000003", "the server sent text/html, not JSON"),
        (
            "https://vimeo.com/1000004",
            "the Vimeo answer is not valid JSON (Expecting property name enclosed in double "
            "quotes: line 1 column 2 (char 1))",
        ),
        ("https://vimeo.com/1000005", "the Vimeo answer has no thumbnail_url"),
        ("https://vimeo.com/1000006", "the Vimeo answer's thumbnail_url is not an address"),
        (
            "https://vimeo.com/1000007",
            "the Vimeo thumbnail address 'https://127.0.0.1/video/1.jpg' is not on its image "
            "servers",
        ),
        (
            "https://vimeo.com/1000008",
            "the Vimeo thumbnail address 'https://10.0.0.1/video/1.jpg' is not on its image "
            "servers",
        ),
        (
            "https://vimeo.com/1000009",
            "the Vimeo thumbnail address 'http://i.vimeocdn.com/video/1.jpg' is not https",
        ),
        (
            "https://vimeo.com/1000010",
            "the Vimeo thumbnail address 'https://i.vimeocdn.com.evil.example/video/1.jpg' is "
            "not on its image servers",
        ),
        (
            "https://vimeo.com/1000011",
            "redirected to https://127.0.0.1:9/oembed.json, not one of the host's image servers",
        ),
        (
            "https://vimeo.com/1000012",
            "redirected to http://i.vimeocdn.com/video/1.jpg, not one of the host's image servers",
        ),
        (
            "https://vimeo.com/1000013",
            "redirected to https://192.168.1.1/1.jpg, not one of the host's image servers",
        ),
        ("https://vimeo.com/1000014", "HTTP 404 Not Found"),
        ("https://www.bilibili.com/video/BV1xx411c7mD", "the Bilibili answer has no data.pic"),
    ],
)
def test_a_hostile_or_broken_answer_is_refused_with_its_reason_and_the_placeholder_stays(
    client, paper, curator, host, url, reason, caplog
):
    video = PaperVideoFactory(paper=paper, url=url, title="Hostile", state="approved")
    with pytest.raises(FetchError) as refused:
        fetch_video_thumbnail(model="papers.PaperVideo", pk=video.pk, timeout=2)
    assert str(refused.value) == reason
    result = fetch_task.enqueue(model="papers.PaperVideo", pk=video.pk, timeout=2)
    assert result.return_value == {"stored": "", "error": reason}
    assert f"No thumbnail for papers.PaperVideo {video.pk}: {reason}" in caplog.text
    video.refresh_from_db()
    assert video.thumbnail.name == ""
    content = client.get(paper.get_absolute_url()).content.decode()
    assert 'class="video-player"' in content
    assert 'class="video-thumbnail"' not in content


def test_a_rejected_video_releases_its_thumbnail_once_no_other_video_shares_it(
    client, paper, keynote, curator, host, media_root, django_capture_on_commit_callbacks
):
    first = PaperVideoFactory(paper=paper, url=YOUTUBE, state="waiting")
    second = KeynoteVideoFactory(keynote=keynote, url=OTHER_YOUTUBE, state="waiting")
    first = approve(first, curator, django_capture_on_commit_callbacks)
    second = approve(second, curator, django_capture_on_commit_callbacks)
    name = first.thumbnail.name
    assert second.thumbnail.name == name

    with django_capture_on_commit_callbacks(execute=True):
        reject_videos(videos=PaperVideo.objects.all(), by=curator)
    first.refresh_from_db()
    assert (first.thumbnail.name, first.thumbnail_width, first.thumbnail_height) == ("", None, None)
    assert default_storage.exists(name)  # the keynote's video still shows it
    assert media(client, name)[0] == 200

    with django_capture_on_commit_callbacks(execute=True):
        reject_videos(videos=KeynoteVideo.objects.all(), by=curator)
    assert not default_storage.exists(name)
    assert KeynoteVideo.objects.get().thumbnail.name == ""
    content = client.get(keynote.get_absolute_url()).content.decode()
    assert 'class="video-thumbnail"' not in content


def test_a_deleted_video_releases_its_thumbnail_after_the_commit(
    paper, curator, host, media_root, django_capture_on_commit_callbacks
):
    video = PaperVideoFactory(paper=paper, url=VIMEO, state="waiting")
    name = approve(video, curator, django_capture_on_commit_callbacks).thumbnail.name
    assert default_storage.exists(name)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        PaperVideo.objects.filter(pk=video.pk).delete()
    assert len(callbacks) == 1 and default_storage.exists(name)
    callbacks[0]()
    assert not default_storage.exists(name)


def test_a_redirect_within_the_origin_asked_is_followed(paper, curator, host):
    video = PaperVideoFactory(paper=paper, url="https://vimeo.com/2000001", state="approved")
    name = fetch_video_thumbnail(model="papers.PaperVideo", pk=video.pk, timeout=2)
    video.refresh_from_db()
    assert (video.thumbnail.name, video.thumbnail_width) == (name, 640)
    assert name.endswith(".png")
    assert host == {
        oembed(2000001): 1,
        oembed(76979871): 1,
        "/video/452001751-8216e0571c_640": 1,
    }
