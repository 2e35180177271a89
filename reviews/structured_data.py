"""JSON-LD (schema.org) for posts and papers; every URL absolute, from SITE_URL."""

from django.conf import settings

from core.fields import is_safe_url
from papers.structured_data import video_object


def absolute_url(path: str) -> str:
    if path.startswith(("http://", "https://")):
        return path
    return f"{settings.SITE_URL}{path}"


def cover_url(post) -> str:
    if post.cover_image:
        return absolute_url(post.cover_image.url)
    return post.cover_image_url if is_safe_url(post.cover_image_url) else ""


def blog_posting(post) -> dict:
    """A schema.org BlogPosting; expects the post's conference and tags to be loaded."""
    data = {
        "@context": "https://schema.org",
        "@type": "BlogPosting",
        "headline": post.title,
        "url": absolute_url(post.get_absolute_url()),
        "mainEntityOfPage": absolute_url(post.get_absolute_url()),
        "dateModified": post.updated_at.isoformat(),
        "keywords": [tag.name for tag in post.tags.all()],
    }
    if post.subtitle:
        data["description"] = post.subtitle
    if post.published_at:
        data["datePublished"] = post.published_at.isoformat()
    if post.author_name:
        data["author"] = {"@type": "Person", "name": post.author_name}
    if cover_url(post):
        data["image"] = cover_url(post)
    if post.conference:
        data["about"] = {"@type": "Event", "name": str(post.conference)}
    return data


def keynote_event(keynote, videos) -> dict:
    """A schema.org Event for a talk, its approved recordings as `recordedIn` VideoObjects."""
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": keynote.title,
        "url": absolute_url(keynote.get_absolute_url()),
        "performer": {"@type": "Person", "name": keynote.speaker},
        "superEvent": {
            "@type": "Event",
            "name": keynote.conference.full_name or str(keynote.conference),
        },
    }
    if keynote.summary:
        data["description"] = keynote.summary
    recordings = [video_object(v) for v in videos if is_safe_url(v.url, allow_site_relative=False)]
    if is_safe_url(keynote.video_url, allow_site_relative=False):
        recordings.insert(
            0, {"@type": "VideoObject", "name": keynote.title, "url": keynote.video_url}
        )
    if recordings:
        data["recordedIn"] = recordings
    return data
