from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Avg, Count, Exists, Max, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.text import slugify
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from core.fields import URLField
from core.line_endings import LineEndingsMixin, normalise_line_endings
from core.models import Autosave
from papers.review_text import excerpt_html
from papers.video_hosts import HostedVideo, recognise


class Conference(LineEndingsMixin, models.Model):
    short_name = models.CharField(max_length=50, help_text="As readers say it, e.g. “NeurIPS”.")
    year = models.PositiveSmallIntegerField()
    slug = models.SlugField(max_length=80, unique=True, help_text="e.g. “neurips-2023”.")
    full_name = models.CharField(
        max_length=255,
        blank=True,
        help_text="e.g. “Conference on Neural Information Processing Systems”.",
    )
    location = models.CharField(max_length=255, blank=True)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    website = URLField(blank=True)
    listed = models.BooleanField(
        "Listed on the site",
        default=False,
        help_text="Show this record on the site even when no published post features it.",
    )
    public_from = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        db_index=True,
        help_text="When a published post first makes this public (NULL: none does). "
        "Kept current by reviews.visibility.refresh_public_flags.",
    )

    class Meta:
        ordering = ["-year", "short_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["short_name", "year"],
                name="conference_unique_name_year",
                violation_error_message="A conference with this short name and year already "
                "exists: pick it instead of creating it again.",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="conference_ends_after_start",
                violation_error_message="The conference cannot end before it starts: check the "
                "start and end dates.",
            ),
        ]

    def __str__(self):
        return f"{self.short_name} {self.year}"

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(f"{self.short_name} {self.year}")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("papers:conference-detail", kwargs={"slug": self.slug})


class Author(LineEndingsMixin, models.Model):
    name = models.CharField(max_length=255, help_text="Full name as printed on papers.")
    slug = models.SlugField(max_length=255, unique=True)
    openreview_id = models.CharField(
        max_length=255, blank=True, help_text="OpenReview profile id, e.g. “~Ada_Lovelace1”."
    )
    orcid = models.CharField(
        "ORCID", max_length=19, blank=True, help_text="e.g. “0000-0002-1825-0097”."
    )
    public_from = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        db_index=True,
        help_text="When a published post first makes this public (NULL: none does). "
        "Kept current by reviews.visibility.refresh_public_flags.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Author, self.name or "author")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("papers:author-detail", kwargs={"slug": self.slug})


class AuthorRedirect(models.Model):
    """The address of an author merged into another: /authors/<old_slug>/ answers 301 to it."""

    old_slug = models.SlugField(max_length=255, unique=True)
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="redirects")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["old_slug"]

    def __str__(self):
        return f"/authors/{self.old_slug}/ → {self.author}"


class TaggedPaper(TaggedItemBase):
    """Topics of a paper share the tag vocabulary of posts, so tag pages list both."""

    content_object = models.ForeignKey(
        "Paper", on_delete=models.CASCADE, related_name="tagged_items"
    )

    class Meta:
        verbose_name = "paper topic"
        verbose_name_plural = "paper topics"


class PaperQuerySet(models.QuerySet):
    def for_conference(self, conference):
        return self.filter(conference=conference)

    def with_listing_data(self):
        return (
            self.with_review_stats()
            .select_related("conference")
            .prefetch_related("authorships__author", "topics")
        )

    def with_review_stats(self):
        """`review_count`, `mean_rating` and `rating_scale` of the shown official reviews, as
        subqueries (no extra query, and sortable)."""
        heads = (
            PeerReviewExcerpt.objects.review_heads()
            .filter(paper=OuterRef("pk"))
            .order_by()
            .values("paper")
        )
        return self.annotate(
            review_count=Coalesce(Subquery(heads.annotate(n=Count("pk")).values("n")), Value(0)),
            mean_rating=Subquery(heads.annotate(mean=Avg("rating")).values("mean")),
            rating_scale=Subquery(heads.annotate(top=Max("rating_scale")).values("top")),
        )


class Paper(LineEndingsMixin, models.Model):
    class Outcome(models.TextChoices):
        ACCEPTED_ORAL = "accepted_oral", "Accepted (oral)"
        ACCEPTED_SPOTLIGHT = "accepted_spotlight", "Accepted (spotlight)"
        ACCEPTED_POSTER = "accepted_poster", "Accepted (poster)"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"
        WITHDRAWN = "withdrawn", "Withdrawn"
        DESK_REJECTED = "desk_rejected", "Desk rejected"
        UNDER_REVIEW = "under_review", "Under review"
        UNKNOWN = "unknown", "Unknown"

        @classmethod
        def accepted(cls) -> list[str]:
            return [cls.ACCEPTED_ORAL, cls.ACCEPTED_SPOTLIGHT, cls.ACCEPTED_POSTER, cls.ACCEPTED]

    conference = models.ForeignKey(
        Conference,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="papers",
        help_text="Where the paper was presented; empty for a preprint.",
    )
    title = models.CharField(max_length=500)
    slug = models.SlugField(max_length=255, unique=True)
    abstract = models.TextField(blank=True)
    tldr = models.TextField("TL;DR", blank=True, help_text="One or two sentences.")
    contribution = models.TextField(blank=True, help_text="What the paper adds to the field.")
    findings = models.JSONField(
        default=list,
        blank=True,
        help_text="Key findings, in order: a JSON list of sentences.",
    )
    decision = models.CharField(
        max_length=255,
        blank=True,
        help_text="As the venue states it, e.g. “ICLR 2024 Conference Withdrawn Submission”.",
    )
    topics = TaggableManager(through=TaggedPaper, blank=True, related_name="papers")
    outcome = models.CharField(
        max_length=20,
        choices=Outcome.choices,
        default=Outcome.UNKNOWN,
        help_text="Read from the venue id, venue and decision on import; accepted papers are "
        "cited as proceedings. The venue's own words stay in “decision”.",
    )
    venue = models.CharField(
        max_length=255, blank=True, help_text="As the venue displays it, e.g. “ICLR 2024 poster”."
    )
    primary_area = models.CharField(max_length=255, blank=True)
    openreview_id = models.CharField(
        "OpenReview forum id", max_length=100, blank=True, help_text="e.g. “0BqyZSWfzo”."
    )
    arxiv_id = models.CharField(
        "arXiv id", max_length=50, blank=True, help_text="Without version, e.g. “2306.15794”."
    )
    arxiv_version = models.CharField(
        max_length=10, blank=True, help_text="arXiv version, e.g. “v2”."
    )
    primary_category = models.CharField(
        max_length=50, blank=True, help_text="arXiv primary category, e.g. “cs.LG”."
    )
    doi = models.CharField("DOI", max_length=255, blank=True)
    comment = models.TextField(blank=True, help_text="The authors’ arXiv comment.")
    publication_date = models.DateField(
        null=True, blank=True, help_text="First public version; gives the year of citations."
    )
    bibtex = models.TextField(
        "BibTeX from the source",
        blank=True,
        help_text="As the venue provides it; kept for reference.",
    )
    provenance = models.JSONField(
        default=dict,
        blank=True,
        editable=False,
        help_text="Field name -> {source, value} as last imported. A field whose value differs "
        "from its imported value was edited by a curator and is kept on re-import.",
    )
    listed = models.BooleanField(
        "Listed on the site",
        default=False,
        help_text="Show this record on the site even when no published post features it.",
    )
    public_from = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        db_index=True,
        help_text="When a published post first makes this public (NULL: none does). "
        "Kept current by reviews.visibility.refresh_public_flags.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text="Bumped by every save; a form loaded at an older version is a conflict.",
    )
    card_html = models.TextField(
        blank=True,
        editable=False,
        help_text="The paper's item on list pages; kept current by papers.cards.",
    )
    page_html = models.TextField(
        blank=True,
        editable=False,
        help_text="The paper page's head tags and body; kept current by papers.pages.",
    )
    search_vector = SearchVectorField(
        null=True, editable=False, help_text="Kept current by search.index_papers."
    )
    title_vector = SearchVectorField(
        null=True,
        editable=False,
        help_text="Title and author names only: small enough to rank a broad match cheaply. "
        "Kept current by search.index_papers.",
    )

    objects = PaperQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        indexes = [models.Index(fields=["conference", "title"], name="paper_conference_title")]
        constraints = [
            models.UniqueConstraint(
                fields=["openreview_id"],
                condition=~Q(openreview_id=""),
                name="paper_unique_openreview_id",
                violation_error_message="Another paper already has this OpenReview id: open that "
                "paper instead, or correct the id.",
            ),
            models.UniqueConstraint(
                fields=["arxiv_id"],
                condition=~Q(arxiv_id=""),
                name="paper_unique_arxiv_id",
                violation_error_message="Another paper already has this arXiv id: open that paper "
                "instead, or correct the id.",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Paper, self.title or "paper")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("papers:paper-detail", kwargs={"slug": self.slug})

    @property
    def is_accepted(self) -> bool:
        return self.outcome in self.Outcome.accepted()

    @property
    def has_known_outcome(self) -> bool:
        return self.outcome not in ("", self.Outcome.UNKNOWN)


class Authorship(models.Model):
    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="authorships")
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="authorships")
    order = models.PositiveIntegerField(default=0)
    affiliation = models.CharField(
        max_length=255, blank=True, help_text="At the time of this paper."
    )

    class Meta:
        ordering = ["paper", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["paper", "order"],
                name="authorship_unique_order",
                violation_error_message="Two authors of this paper have the same place in the "
                "order: give each author a different number.",
            ),
            models.UniqueConstraint(
                fields=["paper", "author"],
                name="authorship_unique_author",
                violation_error_message="This author is listed twice on the paper: keep one row.",
            ),
        ]

    def __str__(self):
        return f"{self.author} on {self.paper}"


class PaperLink(LineEndingsMixin, models.Model):
    class Kind(models.TextChoices):
        PAPER = "paper", "Paper"
        PDF = "pdf", "PDF"
        OPENREVIEW = "openreview", "OpenReview"
        ARXIV = "arxiv", "arXiv"
        CODE = "code", "Code"
        DATA = "data", "Data"
        PROJECT = "project", "Project page"
        SLIDES = "slides", "Slides"

    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="links")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PAPER)
    url = URLField(max_length=1000)
    title = models.CharField(max_length=255, blank=True, help_text="Optional, e.g. a talk's title.")
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["paper", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["paper", "order"],
                name="paperlink_unique_order",
                violation_error_message="Two links of this paper have the same place in the "
                "order: give each link a different number.",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.url}"


THUMBNAILS_DIR = "video-thumbnails"


class VideoQuerySet(models.QuerySet):
    def approved(self):
        """What a public page may show: only what a curator approved."""
        return self.filter(state=Video.State.APPROVED)

    def waiting(self):
        return self.filter(state=Video.State.WAITING)


class Video(models.Model):
    """A recorded talk, walkthrough or lecture; readers suggest them, curators approve them.

    Abstract: papers have `PaperVideo`, keynotes `reviews.KeynoteVideo`, both with a foreign key
    to what they explain and the same queue, services (papers.videos) and templates.
    """

    class State(models.TextChoices):
        WAITING = "waiting", "Waiting for review"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    url = URLField(
        "Video URL", max_length=1000, https_only=True, help_text="An https address of the video."
    )
    title = models.CharField(max_length=255)
    suggested_by = models.CharField(
        max_length=100, blank=True, help_text="The name the reader gave, if any; shown publicly."
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.WAITING)
    submitted_at = models.DateTimeField(auto_now_add=True)
    reviewed_at = models.DateTimeField(null=True, blank=True, editable=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    # Our copy of the host's still image (reviews.media.video_thumbnails), content-addressed:
    # pages show it in the click-to-play placeholder, so the host sees no request before play.
    thumbnail = models.FileField(
        upload_to=THUMBNAILS_DIR, max_length=200, blank=True, editable=False
    )
    thumbnail_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    thumbnail_height = models.PositiveIntegerField(null=True, blank=True, editable=False)

    objects = VideoQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["submitted_at", "pk"]

    def __str__(self):
        return self.title

    @property
    def hosted(self) -> HostedVideo | None:
        """The recognised host (embed, thumbnail), or None: then the video is shown as a link."""
        return recognise(self.url)


class PaperVideo(Video):
    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="videos")

    class Meta(Video.Meta):
        verbose_name = "paper video"
        constraints = [
            models.UniqueConstraint(
                fields=["paper", "url"],
                name="papervideo_unique_url",
                violation_error_message="This video was already suggested for this paper.",
            ),
        ]
        indexes = [models.Index(fields=["state", "submitted_at"], name="papervideo_queue")]

    @property
    def target(self):
        return self.paper


class PeerReviewExcerptQuerySet(models.QuerySet):
    def shown(self):
        """What a paper's public page may quote: everything a curator has not hidden."""
        return self.filter(hidden=False)

    def review_heads(self):
        """One shown excerpt per official review (its first field), for counting reviews and
        averaging ratings in SQL: excerpts are grouped as `papers.selectors.review_summary`
        groups them, by note id, else by reviewer label."""
        official = PeerReviewExcerpt.SourceKind.OFFICIAL_REVIEW
        earlier = PeerReviewExcerpt.objects.filter(
            hidden=False,
            source_kind=official,
            paper=OuterRef("paper"),
            order__lt=OuterRef("order"),
        )
        same_note = earlier.filter(note_id=OuterRef("note_id")).exclude(note_id="")
        same_label = earlier.filter(note_id="", reviewer_label=OuterRef("reviewer_label"))
        return (
            self.shown()
            .filter(source_kind=official)
            .exclude(Exists(same_note))
            .exclude(Q(note_id="") & ~Q(reviewer_label="") & Exists(same_label))
        )


class PeerReviewExcerpt(LineEndingsMixin, models.Model):
    class SourceKind(models.TextChoices):
        OFFICIAL_REVIEW = "official_review", "Official review"
        META_REVIEW = "meta_review", "Meta-review"
        DECISION = "decision", "Decision"
        COMMENT = "comment", "Comment"

    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="review_excerpts")
    source_kind = models.CharField(
        max_length=20, choices=SourceKind.choices, default=SourceKind.OFFICIAL_REVIEW
    )
    reviewer_label = models.CharField(
        max_length=100,
        blank=True,
        help_text="Anonymous label such as “Reviewer ab3X”; never a real name.",
    )
    rating = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    rating_scale = models.PositiveSmallIntegerField(
        default=10, help_text="The top of the rating scale, e.g. 10 for “6/10”."
    )
    rating_label = models.CharField(
        max_length=255,
        blank=True,
        help_text="The rating as the form words it, e.g. “6: marginally above”.",
    )
    confidence = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    confidence_label = models.CharField(max_length=255, blank=True)
    note_id = models.CharField(
        max_length=100, blank=True, help_text="The OpenReview note this excerpt was imported from."
    )
    field = models.CharField(
        max_length=50, blank=True, help_text="The review field quoted, e.g. “strengths”."
    )
    scores = models.JSONField(
        default=dict,
        blank=True,
        help_text='Other scores of the review, e.g. {"soundness": {"value": 3, "label": "3 good"}}.',
    )
    extra = models.JSONField(
        default=dict,
        blank=True,
        help_text="Review fields this site does not know (venues differ), kept as imported.",
    )
    text = models.TextField()
    text_html = models.TextField(
        blank=True,
        editable=False,
        help_text="The text as the paper page shows it (paragraphs, “Show more” fold); "
        "rendered from the text on every save.",
    )
    source_url = URLField(max_length=1000, blank=True)
    featured = models.BooleanField(
        "Pinned",
        default=False,
        help_text="Pinned excerpts are quoted on top of the paper's reviews, in this order.",
    )
    hidden = models.BooleanField(
        default=False,
        help_text="Hidden excerpts are never shown on the site. Hide every field of a review "
        "to hide the review.",
    )
    order = models.PositiveIntegerField(default=0)
    search_vector = SearchVectorField(
        null=True, editable=False, help_text="Kept current by search.index_papers."
    )

    objects = PeerReviewExcerptQuerySet.as_manager()

    class Meta:
        ordering = ["paper", "order"]
        verbose_name = "peer-review excerpt"
        constraints = [
            models.UniqueConstraint(
                fields=["paper", "order"],
                name="excerpt_unique_order",
                violation_error_message="Another excerpt of this paper already has this place in "
                "the order; reload the paper and move it again.",
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=0),
                name="excerpt_rating_positive",
                violation_error_message="A rating cannot be negative: leave it empty or give a "
                "number of 0 or more.",
            ),
            models.UniqueConstraint(
                fields=["paper", "note_id", "field"],
                condition=~Q(note_id=""),
                name="excerpt_unique_note_field",
                violation_error_message="This paper already quotes this field of the same "
                "OpenReview note: edit that excerpt instead.",
            ),
        ]

    def __str__(self):
        label = self.reviewer_label or self.get_source_kind_display()
        return f"{label} on {self.paper}"

    def save(self, *args, **kwargs):
        """Render `text_html` from the text whenever the text may have changed."""
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "text" in update_fields:
            self.text_html = excerpt_html(normalise_line_endings(self.text))
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "text_html"}
        super().save(*args, **kwargs)


def unique_slug(model, text, *, max_length=200):
    """A slug for `text` not yet used by `model`, suffixed -2, -3, ... on collision."""
    base = slugify(text)[:max_length].strip("-") or model._meta.model_name
    slug, n = base, 1
    while model._default_manager.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


class VenueImport(models.Model):
    """The checkpoint of a whole-venue import: a run that stops halfway (a crash, a timeout)
    is continued by the next run, which skips the forums already saved."""

    source = models.CharField(
        max_length=300,
        unique=True,
        help_text="The OpenReview venue id (“NeurIPS.cc/2023/Conference”), or “file:” and the "
        "checksum of a saved file of a venue's notes.",
    )
    position = models.PositiveIntegerField(
        default=0,
        help_text="Submissions of the venue handled so far in this pass, in the source's order.",
    )
    started_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(
        null=True, blank=True, help_text="Empty while a pass is under way or was interrupted."
    )

    class Meta:
        ordering = ["-updated_at"]

    def __str__(self):
        return self.source


class PaperAutosave(Autosave):
    """A curator's unsaved edits of a paper's change form, kept while they type (one per user)."""

    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="autosaves")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="paper_autosaves"
    )
    paper_version = models.PositiveIntegerField(
        help_text="The paper's version when the form was loaded; older means saved since."
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["paper", "user"],
                name="paperautosave_one_per_user",
                violation_error_message="You already have kept edits of this paper: restore or "
                "discard them first.",
            ),
        ]

    def __str__(self):
        return f"{self.paper_id} by {self.user_id} at {self.saved_at:%Y-%m-%d %H:%M}"
