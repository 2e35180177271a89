"""Reusable reads for paper pages and exports, each in a fixed number of queries."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch

from papers.models import Authorship, Paper, PaperLink, PeerReviewExcerpt


def papers_for_citation(queryset=None):
    """Papers with what BibTeX, meta tags and JSON-LD read: conference, authors, links."""
    queryset = queryset if queryset is not None else Paper.objects.all()
    return queryset.select_related("conference").prefetch_related(
        Prefetch(
            "authorships", queryset=Authorship.objects.select_related("author").order_by("order")
        ),
        Prefetch("links", queryset=PaperLink.objects.order_by("order")),
    )


def paper_with_reviews(queryset=None):
    """`papers_for_citation` plus topics and review excerpts in their curated order."""
    return papers_for_citation(queryset).prefetch_related(
        "topics", Prefetch("review_excerpts", queryset=PeerReviewExcerpt.objects.order_by("order"))
    )


@dataclass
class FeaturedExcerpt:
    excerpt: PeerReviewExcerpt
    attribution: str


@dataclass
class ReviewSummary:
    review_count: int = 0
    mean_rating: Decimal | None = None
    rating_scale: int = 10
    featured: list[FeaturedExcerpt] = field(default_factory=list)


def review_summary(paper: Paper) -> ReviewSummary:
    """Counts, mean rating and featured excerpts from the prefetched excerpts: no extra query.

    A review is quoted field by field, so excerpts are grouped back into reviews by their
    OpenReview note (or, for excerpts typed by hand, by reviewer label) before counting.
    """
    summary = ReviewSummary()
    ratings = {}
    for excerpt in paper.review_excerpts.all():
        if excerpt.source_kind == PeerReviewExcerpt.SourceKind.OFFICIAL_REVIEW:
            key = excerpt.note_id or excerpt.reviewer_label or excerpt.pk
            if key not in ratings or ratings[key][0] is None:
                ratings[key] = (excerpt.rating, excerpt.rating_scale)
        if excerpt.featured:
            summary.featured.append(FeaturedExcerpt(excerpt, attribution(excerpt)))
    summary.review_count = len(ratings)
    rated = [(rating, scale) for rating, scale in ratings.values() if rating is not None]
    if rated:
        mean = sum(rating for rating, _ in rated) / len(rated)
        summary.mean_rating = Decimal(mean).quantize(Decimal("0.1"))
        summary.rating_scale = rated[0][1]
    return summary


def attribution(excerpt: PeerReviewExcerpt) -> str:
    """“Reviewer ab3X, rating 6/10”; meta-reviews and decisions say what they are."""
    label = excerpt.reviewer_label or excerpt.get_source_kind_display()
    if excerpt.source_kind == PeerReviewExcerpt.SourceKind.OFFICIAL_REVIEW:
        if excerpt.rating is not None:
            return f"{label}, rating {format_number(excerpt.rating)}/{excerpt.rating_scale}"
        return label
    if excerpt.reviewer_label:
        return f"{label}, {excerpt.get_source_kind_display().lower()}"
    return label


def format_number(value) -> str:
    """6 for 6.0, 6.5 for 6.5."""
    return f"{Decimal(value).normalize():f}"
