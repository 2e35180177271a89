"""Machine-readable descriptions of a paper: JSON-LD for search engines and Scholar meta tags."""

from django.conf import settings

from core.fields import is_safe_url
from papers.selectors import approved_videos, paper_topics, review_summary


def paper_jsonld(paper) -> dict:
    """A schema.org ScholarlyArticle; reads only prefetched relations (see paper_with_reviews)."""
    data = {
        "@context": "https://schema.org",
        "@type": "ScholarlyArticle",
        "name": paper.title,
        "headline": paper.title[:110],
        "url": settings.SITE_URL + paper.get_absolute_url(),
        "author": [
            {"@type": "Person", "name": authorship.author.name}
            | (
                {"affiliation": {"@type": "Organization", "name": authorship.affiliation}}
                if authorship.affiliation
                else {}
            )
            for authorship in paper.authorships.all()
        ],
    }
    if paper.abstract:
        data["abstract"] = paper.abstract
    if date := citation_date(paper):
        data["datePublished"] = date.replace("/", "-")
    keywords = [tag.name for tag in paper_topics(paper)]
    if keywords:
        data["keywords"] = keywords
    if paper.doi:
        data["identifier"] = {"@type": "PropertyValue", "propertyID": "DOI", "value": paper.doi}
    same_as = [
        link.url
        for link in paper.links.all()
        if link.kind in {"openreview", "arxiv"} and _web(link.url)
    ]
    if same_as:
        data["sameAs"] = same_as
    if paper.conference_id:
        data["publication"] = _publication_event(paper.conference)
    reviews = [_review(item.excerpt) for item in review_summary(paper).featured]
    if reviews:
        data["review"] = reviews
    if videos := [video_object(v) for v in approved_videos(paper) if _web(v.url)]:
        data["video"] = videos
    return data


def video_object(video) -> dict:
    """A schema.org VideoObject for an approved video (never a waiting suggestion)."""
    data = {"@type": "VideoObject", "name": video.title, "url": video.url}
    if hosted := video.hosted:
        data["embedUrl"] = hosted.embed_url
        if video.thumbnail:
            data["thumbnailUrl"] = settings.SITE_URL + video.thumbnail.url
        elif hosted.thumbnail_url:
            data["thumbnailUrl"] = hosted.thumbnail_url
    return data


def _publication_event(conference) -> dict:
    event = {"@type": "PublicationEvent", "name": conference.full_name or str(conference)}
    if conference.start_date:
        event["startDate"] = conference.start_date.isoformat()
    if conference.end_date:
        event["endDate"] = conference.end_date.isoformat()
    if conference.location:
        event["location"] = {"@type": "Place", "name": conference.location}
    if _web(conference.website):
        event["url"] = conference.website
    return event


def _review(excerpt) -> dict:
    review = {
        "@type": "Review",
        "author": {"@type": "Person", "name": excerpt.reviewer_label or "Anonymous reviewer"},
        "reviewBody": excerpt.text,
    }
    if excerpt.rating is not None:
        review["reviewRating"] = {
            "@type": "Rating",
            "ratingValue": json_number(excerpt.rating),
            "bestRating": excerpt.rating_scale,
            "worstRating": 1,
        }
    if _web(excerpt.source_url):
        review["url"] = excerpt.source_url
    return review


def _web(url: str) -> bool:
    """Only absolute http(s) addresses leave the site, whatever a row holds."""
    return bool(url) and is_safe_url(url, allow_site_relative=False)


def json_number(value):
    """6 for Decimal("6.0"), 6.5 for Decimal("6.5")."""
    return int(value) if value == int(value) else float(value)


def citation_date(paper) -> str:
    """Scholar's YYYY/MM/DD, or the conference year alone."""
    if paper.publication_date:
        return paper.publication_date.strftime("%Y/%m/%d")
    if paper.conference_id:
        return str(paper.conference.year)
    return ""


def citation_meta(paper) -> list[tuple[str, str]]:
    """Google Scholar's citation_* meta tags, in the order its inclusion guidelines list them."""
    tags = [("citation_title", paper.title)]
    tags += [("citation_author", a.author.name) for a in paper.authorships.all()]
    if date := citation_date(paper):
        tags.append(("citation_publication_date", date))
    if paper.conference_id and paper.is_accepted:
        tags.append(
            ("citation_conference_title", paper.conference.full_name or str(paper.conference))
        )
    if paper.doi:
        tags.append(("citation_doi", paper.doi))
    if paper.arxiv_id:
        tags.append(("citation_arxiv_id", paper.arxiv_id))
    if pdf := next(
        (link.url for link in paper.links.all() if link.kind == "pdf" and _web(link.url)), ""
    ):
        tags.append(("citation_pdf_url", pdf))
    if paper.abstract:
        tags.append(("citation_abstract", paper.abstract))
    tags.append(("citation_abstract_html_url", settings.SITE_URL + paper.get_absolute_url()))
    return tags
