"""Video hosts the site recognises: a video's id, its thumbnail and a privacy-friendly embed.

Pure functions of the address, no database and no network. The page shows a local placeholder and
static/js/videos.js inserts the player only when the reader clicks play, so no request goes
to the host before that; `EMBED_ORIGINS` is the matching CSP frame-src (config.settings.base).

Where each host keeps a video's still image (reviews.media.video_thumbnails fetches it):
- YouTube: a fixed address, `thumbnail_url`.
- Vimeo: its oEmbed JSON names it (`thumbnail_lookup`: the JSON's address and key path).
- Bilibili: its web-interface view JSON names it, `data.pic`, often as plain http on its image
  CDN; that address is asked for over https instead (`upgrade_http`).
- SlidesLive: none. It documents no oEmbed or thumbnail endpoint (looked for in December 2026),
  so its videos keep the placeholder without an image.
`image_hosts` are the only servers (and their subdomains) a looked-up still, or a redirect
leaving the origin asked, may point at.
"""

import functools
import re
from dataclasses import dataclass
from urllib.parse import parse_qs, quote, urlsplit


@dataclass(frozen=True)
class ThumbnailLookup:
    """A host's JSON answer naming the still image: fetch `url`, follow the keys in `path`."""

    url: str
    path: tuple[str, ...]
    upgrade_http: bool = False


@dataclass(frozen=True)
class HostedVideo:
    host: str
    label: str
    video_id: str
    embed_url: str
    thumbnail_url: str
    thumbnail_lookup: ThumbnailLookup | None = None
    image_hosts: tuple[str, ...] = ()

    @property
    def has_thumbnail(self) -> bool:
        return bool(self.thumbnail_url or self.thumbnail_lookup)


YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
VIMEO_ID = re.compile(r"^\d{4,12}$")
SLIDESLIVE_ID = re.compile(r"^\d{5,12}$")
BILIBILI_ID = re.compile(r"^BV[A-Za-z0-9]{10}$")

EMBED_ORIGINS = (
    "https://www.youtube-nocookie.com",
    "https://player.vimeo.com",
    "https://slideslive.com",
    "https://player.bilibili.com",
)


def _youtube(host, parts, query):
    if host == "youtu.be":
        candidate = parts[0] if parts else ""
    elif parts[:1] == ["watch"]:
        candidate = query.get("v", [""])[0]
    elif len(parts) >= 2 and parts[0] in ("embed", "shorts", "live", "v"):
        candidate = parts[1]
    else:
        return None
    if not YOUTUBE_ID.match(candidate):
        return None
    return HostedVideo(
        host="youtube",
        label="YouTube",
        video_id=candidate,
        embed_url=f"https://www.youtube-nocookie.com/embed/{candidate}?autoplay=1",
        thumbnail_url=f"https://i.ytimg.com/vi/{candidate}/hqdefault.jpg",
        image_hosts=("ytimg.com",),
    )


def _vimeo(host, parts, query):
    candidate = parts[1] if host == "player.vimeo.com" and parts[:1] == ["video"] else ""
    candidate = candidate or (parts[-1] if parts else "")
    if not VIMEO_ID.match(candidate):
        return None
    return HostedVideo(
        host="vimeo",
        label="Vimeo",
        video_id=candidate,
        embed_url=f"https://player.vimeo.com/video/{candidate}?dnt=1&autoplay=1",
        thumbnail_url="",
        thumbnail_lookup=ThumbnailLookup(
            url="https://vimeo.com/api/oembed.json?url="
            + quote(f"https://vimeo.com/{candidate}", safe=""),
            path=("thumbnail_url",),
        ),
        image_hosts=("vimeocdn.com",),
    )


def _slideslive(host, parts, query):
    candidate = parts[-1] if parts[:2] == ["embed", "presentation"] else (parts or [""])[0]
    if not SLIDESLIVE_ID.match(candidate):
        return None
    return HostedVideo(
        host="slideslive",
        label="SlidesLive",
        video_id=candidate,
        embed_url=f"https://slideslive.com/embed/presentation/{candidate}",
        thumbnail_url="",
    )


def _bilibili(host, parts, query):
    candidate = parts[1] if parts[:1] == ["video"] and len(parts) > 1 else ""
    if not BILIBILI_ID.match(candidate):
        return None
    return HostedVideo(
        host="bilibili",
        label="Bilibili",
        video_id=candidate,
        embed_url=f"https://player.bilibili.com/player.html?bvid={candidate}&autoplay=1",
        thumbnail_url="",
        thumbnail_lookup=ThumbnailLookup(
            url=f"https://api.bilibili.com/x/web-interface/view?bvid={candidate}",
            path=("data", "pic"),
            upgrade_http=True,
        ),
        image_hosts=("hdslb.com",),
    )


HOSTS = {
    "youtube.com": _youtube,
    "www.youtube.com": _youtube,
    "m.youtube.com": _youtube,
    "youtu.be": _youtube,
    "www.youtube-nocookie.com": _youtube,
    "vimeo.com": _vimeo,
    "www.vimeo.com": _vimeo,
    "player.vimeo.com": _vimeo,
    "slideslive.com": _slideslive,
    "www.slideslive.com": _slideslive,
    "bilibili.com": _bilibili,
    "www.bilibili.com": _bilibili,
    "m.bilibili.com": _bilibili,
}


@functools.lru_cache(maxsize=4096)
def recognise(url: str) -> HostedVideo | None:
    """The hosted video at `url` (https only), or None for any other page (shown as a link)."""
    try:
        parsed = urlsplit(url or "")
    except ValueError:
        return None
    if parsed.scheme != "https" or parsed.port not in (None, 443) or parsed.username:
        return None
    parse = HOSTS.get((parsed.hostname or "").lower())
    if parse is None:
        return None
    parts = [part for part in parsed.path.split("/") if part]
    return parse(parsed.hostname.lower(), parts, parse_qs(parsed.query))
