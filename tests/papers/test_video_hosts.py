"""Known video hosts give an embed and where their still image is (an address, or a JSON that
names it); everything else is a link."""

import pytest

from papers.video_hosts import EMBED_ORIGINS, ThumbnailLookup, recognise


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


def test_each_host_says_where_its_still_image_is():
    youtube = recognise("https://youtu.be/dQw4w9WgXcQ")
    assert (youtube.thumbnail_url, youtube.thumbnail_lookup, youtube.image_hosts) == (
        "https://i.ytimg.com/vi/dQw4w9WgXcQ/hqdefault.jpg",
        None,
        ("ytimg.com",),
    )
    vimeo = recognise("https://player.vimeo.com/video/76979871")
    assert (vimeo.thumbnail_url, vimeo.thumbnail_lookup, vimeo.image_hosts) == (
        "",
        ThumbnailLookup(
            url="https://vimeo.com/api/oembed.json?url=https%3A%2F%2Fvimeo.com%2F76979871",
            path=("thumbnail_url",),
        ),
        ("vimeocdn.com",),
    )
    bilibili = recognise("https://www.bilibili.com/video/BV1GJ411x7h7/")
    assert (bilibili.thumbnail_lookup, bilibili.image_hosts) == (
        ThumbnailLookup(
            url="https://api.bilibili.com/x/web-interface/view?bvid=BV1GJ411x7h7",
            path=("data", "pic"),
            upgrade_http=True,
        ),
        ("hdslb.com",),
    )
    assert all(hosted.has_thumbnail for hosted in (youtube, vimeo, bilibili))
    slideslive = recognise("https://slideslive.com/38922800/attention-is-all-you-need")
    assert (slideslive.thumbnail_url, slideslive.thumbnail_lookup) == ("", None)
    assert not slideslive.has_thumbnail


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
