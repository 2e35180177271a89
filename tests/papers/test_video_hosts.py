"""Known video hosts give an embed and (YouTube) a thumbnail; everything else is a link."""

import pytest

from papers.video_hosts import EMBED_ORIGINS, recognise


@pytest.mark.parametrize(
    ("url", "host", "video_id", "embed"),
    [
        (
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42",
            "youtube",
            "dQw4w9WgXcQ",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1",
        ),
        (
            "https://youtu.be/dQw4w9WgXcQ",
            "youtube",
            "dQw4w9WgXcQ",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1",
        ),
        (
            "https://m.youtube.com/shorts/dQw4w9WgXcQ",
            "youtube",
            "dQw4w9WgXcQ",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1",
        ),
        (
            "https://vimeo.com/76979871",
            "vimeo",
            "76979871",
            "https://player.vimeo.com/video/76979871?dnt=1&autoplay=1",
        ),
        (
            "https://player.vimeo.com/video/76979871",
            "vimeo",
            "76979871",
            "https://player.vimeo.com/video/76979871?dnt=1&autoplay=1",
        ),
        (
            "https://slideslive.com/38922800/attention-is-all-you-need",
            "slideslive",
            "38922800",
            "https://slideslive.com/embed/presentation/38922800",
        ),
        (
            "https://www.bilibili.com/video/BV1GJ411x7h7/",
            "bilibili",
            "BV1GJ411x7h7",
            "https://player.bilibili.com/player.html?bvid=BV1GJ411x7h7&autoplay=1",
        ),
    ],
)
def test_known_hosts_are_recognised_with_a_privacy_friendly_embed(url, host, video_id, embed):
    hosted = recognise(url)
    assert (hosted.host, hosted.video_id, hosted.embed_url) == (host, video_id, embed)


def test_youtube_has_a_thumbnail_and_the_others_none():
    assert recognise("https://youtu.be/dQw4w9WgXcQ").thumbnail_url == (
        "https://i.ytimg.com/vi/dQw4w9WgXcQ/hqdefault.jpg"
    )
    assert recognise("https://vimeo.com/76979871").thumbnail_url == ""


@pytest.mark.parametrize(
    "url",
    [
        "https://neurips.cc/virtual/2023/poster/71000",  # another page: a link
        "http://www.youtube.com/watch?v=dQw4w9WgXcQ",  # not https
        "https://www.youtube.com/watch?v=short",  # not a video id
        "https://www.youtube.com/@channel",
        "https://evil.example/www.youtube.com/watch?v=dQw4w9WgXcQ",
        "https://www.youtube.com.evil.example/watch?v=dQw4w9WgXcQ",
        "https://user@www.youtube.com/watch?v=dQw4w9WgXcQ",
        "https://vimeo.com/channels/staffpicks",
        "https://www.bilibili.com/read/cv123",
        "javascript:alert(1)",
        "",
    ],
)
def test_other_addresses_are_not_embedded(url):
    assert recognise(url) is None


def test_every_embed_origin_is_in_the_csp_frame_src_and_nothing_else(settings):
    assert settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["frame-src"] == list(EMBED_ORIGINS)
    for url in ("https://youtu.be/dQw4w9WgXcQ", "https://vimeo.com/76979871"):
        assert recognise(url).embed_url.startswith(EMBED_ORIGINS)
