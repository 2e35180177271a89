"""Small constructors that keep the demo's content modules short and uniform."""

OFFICIAL = "official_review"
META = "meta_review"


def review(label, text, *, rating=None, confidence=None, field="", kind=OFFICIAL, scale=10):
    """A peer-review excerpt, featured so the paper page quotes it."""
    return {
        "source_kind": kind,
        "reviewer_label": label,
        "rating": rating,
        "rating_scale": scale,
        "confidence": confidence,
        "field": field,
        "text": text,
        "featured": True,
    }


def paper(
    title,
    *,
    authors,
    summary,
    link,
    topics,
    tldr,
    contribution,
    findings,
    abstract,
    decision,
    outcome="accepted",
    venue="",
    links=(),
    videos=(),
    reviews=(),
    slides=4,
):
    """A paper entry: the paper record, the curator's summary and the slide count."""
    return {
        "title": title,
        "authors": authors,
        "summary": summary,
        "link": link,
        "topics": topics,
        "tldr": tldr,
        "contribution": contribution,
        "findings": findings,
        "abstract": abstract,
        "decision": decision,
        "outcome": outcome,
        "venue": venue,
        "links": [("paper", link, ""), *links],
        "videos": list(videos),
        "reviews": list(reviews),
        "slides": slides,
    }
