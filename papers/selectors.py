"""Reusable reads for paper pages and exports, each in a fixed number of queries."""

import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch
from django.utils.safestring import mark_safe

from papers.models import Authorship, Paper, PaperLink, PaperVideo, PeerReviewExcerpt
from papers.review_text import fields_html


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
    """`papers_for_citation` plus topics, the shown review excerpts in their curated order and
    the approved videos (`approved_videos`). The search vectors and the excerpts' unknown
    fields stay in the database: no page shows them, and twenty reviews' worth is most of
    the rows' bytes."""
    queryset = queryset if queryset is not None else Paper.objects.all()
    excerpts = PeerReviewExcerpt.objects.shown().defer("search_vector", "extra").order_by("order")
    return papers_for_citation(queryset.defer("search_vector", "title_vector")).prefetch_related(
        "topics",
        Prefetch("review_excerpts", queryset=excerpts),
        Prefetch("videos", queryset=PaperVideo.objects.approved(), to_attr="approved_videos"),
    )


def paper_topics(paper) -> list:
    """The paper's topics by name (from the prefetch when there is one): the order every page,
    citation and stored fragment lists them in, whatever order the rows come back in."""
    return sorted(paper.topics.all(), key=lambda tag: (tag.name, tag.pk))


def approved_videos(target) -> list:
    """A paper's or keynote's approved videos: prefetched (`approved_videos`) or one query.

    Never `target.videos.all()`: that holds the suggestions no curator has approved yet.
    """
    if hasattr(target, "approved_videos"):
        return target.approved_videos
    return list(target.videos.approved())


FIELD_LABELS = {
    "summary": "Summary",
    "strengths": "Strengths",
    "weaknesses": "Weaknesses",
    "questions": "Questions",
    "review": "Review",
    "metareview": "Meta-review",
    "meta_review": "Meta-review",
    "comment": "Comment",
    "decision": "Decision",
}
SCORE_LABELS = {"soundness": "Soundness", "presentation": "Presentation"}
NUMBER_PREFIX_RE = re.compile(r"^\s*-?\d+(?:\.\d+)?\s*[:.)-]?\s*")


@dataclass
class FeaturedExcerpt:
    excerpt: PeerReviewExcerpt
    attribution: str


@dataclass
class ReviewField:
    excerpt: PeerReviewExcerpt
    label: str
    html: str  # the excerpt's stored `text_html`, marked safe: our template of escaped text


@dataclass
class ReviewCard:
    """One OpenReview note (a review, a meta-review, a decision) rebuilt from its excerpts.

    The scores are worded once, by `review_summary`, from the note's rated excerpt (`first`).
    """

    kind: str
    label: str
    first: PeerReviewExcerpt
    fields: list[ReviewField] = field(default_factory=list)
    fields_html: str = ""  # the fields as the page shows them (a decision's own line aside)
    rating: str = ""  # “6/10”
    rating_words: str = ""  # “marginally above the acceptance threshold”: the number is shown
    confidence: str = ""  # the form's words, else the number
    scores: list[tuple[str, str]] = field(default_factory=list)  # soundness, presentation, ...


@dataclass
class ReviewSummary:
    review_count: int = 0
    mean_rating: Decimal | None = None
    min_rating: Decimal | None = None
    max_rating: Decimal | None = None
    rating_scale: int = 10
    featured: list[FeaturedExcerpt] = field(default_factory=list)
    decisions: list[ReviewCard] = field(default_factory=list)
    meta_reviews: list[ReviewCard] = field(default_factory=list)
    reviews: list[ReviewCard] = field(default_factory=list)
    comments: list[ReviewCard] = field(default_factory=list)

    @property
    def rating_spread(self) -> str:
        """“5–8”: the lowest and highest rating, or "" when all ratings agree."""  # noqa: RUF002
        if self.min_rating is None or self.min_rating == self.max_rating:
            return ""
        return f"{format_number(self.min_rating)}–{format_number(self.max_rating)}"


def review_summary(paper: Paper) -> ReviewSummary:
    """The paper's reviews from its prefetched, shown excerpts: no extra query.

    A review is quoted field by field, so excerpts are grouped back into notes by their
    OpenReview note id (or, for excerpts typed by hand, by reviewer label) in curated order.
    A review whose every field a curator hid is not shown and not counted. Worked out once per
    paper object: the page, its JSON-LD and the API read the same summary.
    """
    if getattr(paper, "_review_summary", None) is None:
        paper._review_summary = _summarise(paper)
    return paper._review_summary


def _summarise(paper: Paper) -> ReviewSummary:
    summary = ReviewSummary()
    cards: dict[tuple, ReviewCard] = {}
    for excerpt in paper.review_excerpts.all():
        if excerpt.hidden:  # prefetched with shown(); a caller's own queryset may not be
            continue
        key = (excerpt.source_kind, excerpt.note_id or excerpt.reviewer_label or excerpt.pk)
        card = cards.get(key)
        if card is None:
            card = cards[key] = ReviewCard(
                kind=excerpt.source_kind,
                label=excerpt.reviewer_label or excerpt.get_source_kind_display(),
                first=excerpt,
            )
        elif card.first.rating is None and excerpt.rating is not None:
            card.first = excerpt
        card.fields.append(_review_field(excerpt))
        if excerpt.featured:
            summary.featured.append(FeaturedExcerpt(excerpt, attribution(excerpt)))
    kinds = PeerReviewExcerpt.SourceKind
    groups = {
        kinds.DECISION: summary.decisions,
        kinds.META_REVIEW: summary.meta_reviews,
        kinds.OFFICIAL_REVIEW: summary.reviews,
        kinds.COMMENT: summary.comments,
    }
    wording = _ScoreWording()
    for card in cards.values():
        wording.word(card)
        card.fields_html = fields_html(
            (item.label, item.html)
            for item in card.fields
            # The decision's own words are the paper's decision line, shown above its card.
            if card.kind != kinds.DECISION or item.excerpt.field != "decision"
        )
        groups.get(card.kind, summary.comments).append(card)
    summary.review_count = len(summary.reviews)
    rated = [card.first for card in summary.reviews if card.first.rating is not None]
    if rated:
        ratings = [Decimal(excerpt.rating) for excerpt in rated]
        summary.mean_rating = (sum(ratings) / len(ratings)).quantize(Decimal("0.1"))
        summary.min_rating, summary.max_rating = min(ratings), max(ratings)
        summary.rating_scale = rated[0].rating_scale
    return summary


class _ScoreWording:
    """Words for ratings and sub-scores, each distinct one worked out once per paper: a
    venue's twenty reviews share a handful of “6: marginally above ...” labels."""

    def __init__(self):
        self.rating_words: dict[str, str] = {}
        self.numbers: dict[object, str] = {}

    def word(self, card: ReviewCard) -> None:
        first = card.first
        if first.rating is not None:
            card.rating = f"{self.number(first.rating)}/{first.rating_scale}"
        label = first.rating_label
        if label not in self.rating_words:
            self.rating_words[label] = NUMBER_PREFIX_RE.sub("", label)
        card.rating_words = self.rating_words[label]
        if first.confidence_label:
            card.confidence = first.confidence_label
        elif first.confidence is not None:
            card.confidence = self.number(first.confidence)
        card.scores = [
            (SCORE_LABELS.get(name) or name.replace("_", " ").capitalize(), text)
            for name, score in (first.scores or {}).items()
            if isinstance(score, dict) and (text := self.score_text(score))
        ]

    def number(self, value) -> str:
        if value not in self.numbers:
            self.numbers[value] = format_number(value)
        return self.numbers[value]

    def score_text(self, score: dict) -> str:
        if score.get("label"):
            return str(score["label"])
        return "" if score.get("value") is None else self.number(score["value"])


def _review_field(excerpt: PeerReviewExcerpt) -> ReviewField:
    label = FIELD_LABELS.get(excerpt.field) or excerpt.field.replace("_", " ").capitalize()
    label = label or excerpt.get_source_kind_display()  # typed by hand, with no field named
    return ReviewField(excerpt=excerpt, label=label, html=mark_safe(excerpt.text_html))


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
