"""Model rows to the API's plain data; absolute URLs from settings.SITE_URL. No queries here:
callers pass rows with the prefetches of the selectors in reviews/ and papers/."""

from django.conf import settings
from django.core.files.storage import default_storage
from django.urls import reverse

from papers.selectors import approved_videos, review_summary


def absolute(url: str) -> str:
    return f"{settings.SITE_URL}{url}" if url.startswith("/") else url


def site_url(name: str, **kwargs) -> str:
    return absolute(reverse(name, kwargs=kwargs))


def conference_ref(conference) -> dict | None:
    if conference is None:
        return None
    return {
        "slug": conference.slug,
        "short_name": conference.short_name,
        "year": conference.year,
        "url": site_url("papers:conference-detail", slug=conference.slug),
    }


def conference(conf) -> dict:
    return {
        **conference_ref(conf),
        "full_name": conf.full_name,
        "location": conf.location,
        "start_date": conf.start_date,
        "end_date": conf.end_date,
        "website": conf.website,
        "bibtex_url": site_url("papers:conference-bibtex", slug=conf.slug),
    }


def keynote(talk) -> dict:
    return {
        "id": talk.pk,
        "title": talk.title,
        "speaker": talk.speaker,
        "affiliation": talk.affiliation,
        "speakers": [speaker(link) for link in talk.speakers],
        "summary": talk.summary,
        "video_url": talk.video_url,
        "videos": [video(v) for v in approved_videos(talk)],
        "conference": conference_ref(talk.conference),
        "url": site_url("reviews:keynote-detail", pk=talk.pk),
    }


def speaker(link) -> dict:
    """A keynote's speaker link (`reviews.selectors.speaker_links`): the author, as at the talk."""
    return {**author_summary(link.author), "affiliation": link.affiliation}


def video(row) -> dict:
    """An approved video; callers pass only `approved_videos` (papers.selectors)."""
    hosted = row.hosted
    return {
        "url": row.url,
        "title": row.title,
        "host": hosted.host if hosted else "",
        "embed_url": hosted.embed_url if hosted else "",
        "thumbnail_url": thumbnail_url(row),
        "suggested_by": row.suggested_by,
    }


def thumbnail_url(row) -> str:
    """Our copy of the host's still image once fetched, else the host's own, else ""."""
    if row.thumbnail:
        return absolute(row.thumbnail.url)
    hosted = row.hosted
    return hosted.thumbnail_url if hosted else ""


def tag(row) -> dict:
    return {
        "slug": row.slug,
        "name": row.name,
        "post_count": row.post_count,
        "paper_count": row.paper_count,
        "url": site_url("reviews:tag-detail", slug=row.slug),
    }


def image(src: str, record: dict, *, alt_text: str = "", caption: str = "") -> dict:
    """An image with its renditions from the row's JSON (reviews/media/renditions.py)."""
    record = record or {}
    files = sorted(record.get("files") or (), key=lambda f: f["width"])
    return {
        "url": absolute(src),
        "alt_text": alt_text,
        "caption": caption,
        "width": record.get("width") if files else None,
        "height": record.get("height") if files else None,
        "renditions": [
            {
                "url": absolute(default_storage.url(f["name"])),
                "width": f["width"],
                "type": f["type"],
            }
            for f in files
        ],
    }


def post_summary(post) -> dict:
    return {
        "slug": post.slug,
        "title": post.title,
        "subtitle": post.subtitle,
        "author_name": post.author_name,
        "published_at": post.published_at,
        "updated_at": post.updated_at,
        "conference": conference_ref(post.conference),
        "tags": sorted(t.slug for t in post.tags.all()),
        "url": site_url("reviews:post-detail", slug=post.slug),
        "markdown_url": site_url("reviews:post-markdown", slug=post.slug),
        "bibtex_url": site_url("reviews:post-bibtex", slug=post.slug),
    }


def _entry(entry) -> dict:
    paper, talk = entry.paper, entry.keynote
    return {
        "kind": entry.kind,
        "heading": entry.display_heading,
        "summary": entry.summary,
        "link_url": entry.link_url,
        "link_label": entry.link_label,
        "paper": paper
        and {
            "slug": paper.slug,
            "title": paper.title,
            "url": site_url("papers:paper-detail", slug=paper.slug),
        },
        "keynote": talk and {"id": talk.pk, "title": talk.title, "speaker": talk.speaker},
        "images": [
            image(i.src, i.renditions, alt_text=i.alt_text, caption=i.caption)
            for i in entry.images.all()
        ],
    }


def post_detail(post) -> dict:
    """A public post: every paper and keynote it features is public through it."""
    cover = None
    if post.cover_image or post.cover_image_url:
        src = post.cover_image.url if post.cover_image else post.cover_image_url
        cover = image(src, post.cover_renditions, alt_text=post.title)
    return {
        **post_summary(post),
        "intro": post.intro,
        "conclusion": post.conclusion,
        "disclaimer": post.disclaimer,
        "cover_image": cover,
        "sections": [
            {
                "title": s.title,
                "body": s.body,
                "link_url": s.link_url,
                "link_label": s.link_label,
                "entries": [_entry(e) for e in s.entries.all()],
            }
            for s in post.sections.all()
        ],
    }


def paper_summary(paper) -> dict:
    return {
        "slug": paper.slug,
        "title": paper.title,
        "conference": conference_ref(paper.conference),
        "authors": [
            {"name": a.author.name, "slug": a.author.slug, "affiliation": a.affiliation}
            for a in sorted(paper.authorships.all(), key=lambda a: a.order)
        ],
        "topics": sorted(t.slug for t in paper.topics.all()),
        "tldr": paper.tldr,
        "outcome": paper.outcome,
        "decision": paper.decision,
        "venue": paper.venue,
        "publication_date": paper.publication_date,
        "url": site_url("papers:paper-detail", slug=paper.slug),
        "bibtex_url": site_url("papers:paper-bibtex", slug=paper.slug),
        "ris_url": site_url("papers:paper-ris", slug=paper.slug),
        "csl_json_url": site_url("papers:paper-csl-json", slug=paper.slug),
    }


def _link(link) -> dict:
    return {"kind": link.kind, "url": link.url, "title": link.title}


def _excerpt(featured) -> dict:
    e = featured.excerpt
    return {
        "attribution": featured.attribution,
        "source_kind": e.source_kind,
        "reviewer_label": e.reviewer_label,
        "rating": e.rating,
        "rating_scale": e.rating_scale,
        "rating_label": e.rating_label,
        "confidence": e.confidence,
        "confidence_label": e.confidence_label,
        "field": e.field,
        "text": e.text,
        "source_url": e.source_url,
    }


def _card(card) -> dict:
    return {
        "kind": card.kind,
        "label": card.label,
        "rating": card.rating,
        "rating_label": card.rating_words,
        "confidence_label": card.first.confidence_label,
        "scores": [{"name": name, "value": value} for name, value in card.scores],
        "fields": [
            {"field": f.excerpt.field, "label": f.label, "text": f.excerpt.text}
            for f in card.fields
        ],
        "source_url": card.first.source_url,
    }


def paper_detail(paper) -> dict:
    summary = review_summary(paper)
    findings = paper.findings if isinstance(paper.findings, list) else []
    return {
        **paper_summary(paper),
        "abstract": paper.abstract,
        "contribution": paper.contribution,
        "findings": [str(f) for f in findings],
        "doi": paper.doi,
        "arxiv_id": paper.arxiv_id,
        "openreview_id": paper.openreview_id,
        "links": [_link(link) for link in paper.links.all()],
        "videos": [video(v) for v in approved_videos(paper)],
        "reviews": {
            "review_count": summary.review_count,
            "mean_rating": summary.mean_rating,
            "min_rating": summary.min_rating,
            "max_rating": summary.max_rating,
            "rating_scale": summary.rating_scale,
            "excerpts": [_excerpt(f) for f in summary.featured],
            "decisions": [_card(c) for c in summary.decisions],
            "meta_reviews": [_card(c) for c in summary.meta_reviews],
            "official_reviews": [_card(c) for c in summary.reviews],
            "comments": [_card(c) for c in summary.comments],
        },
    }


def author_summary(author) -> dict:
    return {
        "name": author.name,
        "slug": author.slug,
        "openreview_id": author.openreview_id,
        "orcid": author.orcid,
        "url": site_url("papers:author-detail", slug=author.slug),
    }


def author_detail(author, profile) -> dict:
    return {
        **author_summary(author),
        "affiliations": [{"name": name, "years": years} for name, years in profile.affiliations],
        "papers": [paper_summary(p) for p in profile.papers],
        "keynotes": [keynote(k) for k in profile.keynotes],
        "coauthors": [author_summary(a) for a in profile.coauthors],
        "posts": [post_summary(p) for p in profile.posts],
    }
