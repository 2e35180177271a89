import math
import re

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from core.fields import URLField
from core.line_endings import LineEndingsMixin
from core.models import Autosave
from core.rendering import check_curator_fields
from papers.models import Author, Conference, Paper, Video, unique_slug

WORDS_PER_MINUTE = 200
TAG_RE = re.compile(r"<[^>]+>")


class Keynote(LineEndingsMixin, models.Model):
    conference = models.ForeignKey(Conference, on_delete=models.PROTECT, related_name="keynotes")
    speaker = models.CharField(
        max_length=255,
        help_text="The name the post prints. A new name relinks the speakers below by name, "
        "unless you change them in the same save.",
    )
    affiliation = models.CharField(max_length=255, blank=True)
    title = models.CharField(max_length=500)
    summary = models.TextField(blank=True, help_text="A neutral abstract of the talk.")
    video_url = URLField(max_length=1000, blank=True)
    version = models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text="Bumped by every save; a form loaded at an older version is a conflict.",
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
    speakers_chosen_for = models.CharField(
        max_length=255,
        blank=True,
        editable=False,
        help_text="The speaker text a curator chose the speaker links for (empty: the links "
        "follow `speaker` by name). Kept by reviews.workflow.speakers: while `speaker` still "
        "reads so, an automatic relink leaves the chosen links alone.",
    )
    search_vector = SearchVectorField(
        null=True, editable=False, help_text="Kept current by search.index_reviews."
    )

    class Meta:
        ordering = ["conference", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["conference", "title", "speaker"],
                name="keynote_unique_talk",
                violation_error_message="This conference already has a keynote with this title "
                "and speaker: pick it instead of creating it again.",
            ),
        ]

    def __str__(self):
        return f"{self.title} - {self.speaker}"

    def get_absolute_url(self):
        return reverse("reviews:keynote-detail", kwargs={"pk": self.pk})

    def clean(self):
        check_curator_fields(self, ("summary",))


class KeynoteSpeaker(models.Model):
    """A keynote's speaker as an Author record, in speaking order, with the affiliation given
    for that talk. Written only by reviews.workflow.speakers (and a merge);
    `Keynote.speaker` stays the text the post's Markdown prints."""

    keynote = models.ForeignKey(Keynote, on_delete=models.CASCADE, related_name="speaker_links")
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="keynote_talks")
    order = models.PositiveSmallIntegerField(default=0)
    affiliation = models.CharField(
        max_length=255, blank=True, help_text="The speaker's affiliation at the time of the talk."
    )

    class Meta:
        ordering = ["keynote", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["keynote", "order"],
                name="keynotespeaker_unique_order",
                violation_error_message="Two speakers of this keynote have the same place.",
            ),
            models.UniqueConstraint(
                fields=["keynote", "author"],
                name="keynotespeaker_unique_author",
                violation_error_message="This person is already a speaker of this keynote.",
            ),
        ]

    def __str__(self):
        return f"{self.author_id} at keynote {self.keynote_id}"


class KeynoteVideo(Video):
    """A recording of a keynote suggested by a reader (the curator's own is `video_url`)."""

    keynote = models.ForeignKey(Keynote, on_delete=models.CASCADE, related_name="videos")

    class Meta(Video.Meta):
        verbose_name = "keynote video"
        constraints = [
            models.UniqueConstraint(
                fields=["keynote", "url"],
                name="keynotevideo_unique_url",
                violation_error_message="This video was already suggested for this keynote.",
            ),
        ]
        indexes = [models.Index(fields=["state", "submitted_at"], name="keynotevideo_queue")]

    @property
    def target(self):
        return self.keynote


class TaggedPost(TaggedItemBase):
    content_object = models.ForeignKey(
        "Post", on_delete=models.CASCADE, related_name="tagged_items"
    )

    class Meta:
        verbose_name = "post tag"
        verbose_name_plural = "post tags"


class PublicTopic(models.Model):
    """When a tag becomes public: taggit's Tag has no column of ours, so it lives beside it.

    One row per tag that a published post or a public paper uses (none for the others), kept
    current by reviews.visibility.refresh_public_flags.
    """

    tag = models.OneToOneField(
        "taggit.Tag", on_delete=models.CASCADE, primary_key=True, related_name="public_topic"
    )
    public_from = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = "public topic"

    def __str__(self):
        return f"{self.tag_id} public from {self.public_from:%Y-%m-%d %H:%M}"


def published_condition(path: str = "") -> Q:
    """ "Published and due" on the post at `path` ("section__post__" from an entry): the rule
    `published()` applies, for a join where a subquery would cost more to build than to run."""
    return Q(**{f"{path}status": Post.Status.PUBLISHED, f"{path}published_at__lte": timezone.now()})


class PostQuerySet(models.QuerySet):
    def published(self):
        """Public posts: published and due. Scheduling needs no cron job."""
        return self.filter(published_condition())

    def scheduled(self):
        """Published with a future time: public once `published()` reaches them."""
        return self.filter(status=Post.Status.PUBLISHED, published_at__gt=timezone.now())

    def for_conference(self, conference):
        return self.filter(conference=conference)

    def tagged(self, tag):
        return self.filter(tags=tag)


class Post(LineEndingsMixin, models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        UNPUBLISHED = "unpublished", "Unpublished"

    title = models.CharField(max_length=300)
    subtitle = models.CharField(max_length=300, blank=True)
    slug = models.SlugField(max_length=200, unique=True)
    conference = models.ForeignKey(
        Conference,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="posts",
        help_text="The conference this post reviews.",
    )
    author_name = models.CharField(max_length=255, blank=True, help_text="Shown as the byline.")
    cover_image = models.ImageField(upload_to="covers/%Y/", blank=True)
    cover_image_url = URLField(
        max_length=1000,
        blank=True,
        help_text="An external cover image, used when none is uploaded.",
    )
    cover_renditions = models.JSONField(
        default=dict,
        blank=True,
        editable=False,
        help_text="Resized copies of the uploaded cover; see reviews/renditions.py.",
    )
    social_url = URLField(
        max_length=1000, blank=True, help_text="A post on social media that announces this review."
    )
    reading_time = models.CharField(
        max_length=30,
        blank=True,
        help_text="Leave empty to compute it from the text; or write it out, e.g. “5 min”.",
    )
    tags = TaggableManager(through=TaggedPost, blank=True, related_name="posts")
    intro = models.TextField(blank=True, help_text="Opening paragraphs, before the contents.")
    conclusion = models.TextField(blank=True)
    disclaimer = models.TextField(blank=True)
    comments = models.BooleanField(default=False, help_text="Allow comments under the post.")
    front_matter = models.JSONField(
        default=list,
        blank=True,
        help_text=(
            "Front-matter key order from the imported Markdown: a JSON list of [key, raw YAML] "
            "pairs, raw YAML null for the keys this site models. Keeps unmodelled keys "
            "(date, categories, ...) byte for byte in the export."
        ),
    )
    markdown_toc = models.BooleanField(
        default=True, help_text="Put the table-of-contents line in the Markdown export."
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(
        null=True, blank=True, help_text="A future time schedules the post."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="created_posts",
    )
    version = models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text="Bumped by every save; a form loaded at an older version is a conflict.",
    )
    search_vector = SearchVectorField(
        null=True, editable=False, help_text="Kept current by search.index_reviews."
    )
    working_copy_of = models.OneToOneField(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        editable=False,
        related_name="working_copy",
        help_text=(
            "Set on the draft that holds a curator's unpublished changes to this published "
            "post; see reviews/workflow/drafts.py."
        ),
    )
    body_html = models.TextField(
        blank=True,
        editable=False,
        help_text="The rendered page body, kept current by reviews.rendering.refresh_post_html.",
    )
    card_html = models.TextField(
        blank=True,
        editable=False,
        help_text="The post's item on the list pages, kept current by reviews.cards.",
    )

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-created_at"]
        indexes = [models.Index(fields=["status", "published_at"], name="post_status_published")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="post_published_has_date",
                violation_error_message="A published or unpublished post needs a publication "
                "date: fill in “Published at”, or keep the post a draft.",
            ),
            models.CheckConstraint(
                condition=Q(working_copy_of__isnull=True) | Q(status="draft"),
                name="post_working_copy_is_draft",
                violation_error_message=(
                    "A draft of changes stays a draft: publish it with “Publish changes”."
                ),
            ),
        ]
        permissions = [("publish_post", "Can publish, schedule and unpublish posts")]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Post, self.title or "post")
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("reviews:post-detail", kwargs={"slug": self.slug})

    def clean(self):
        check_curator_fields(self, ("intro", "conclusion", "disclaimer"))

    @property
    def is_public(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    def compute_reading_time(self, entry_summaries=()):
        """Minutes at 200 words a minute over the intro, summaries and conclusion."""
        text = " ".join([self.intro, *entry_summaries, self.conclusion])
        words = len(TAG_RE.sub(" ", text).split())
        return f"{max(1, math.ceil(words / WORDS_PER_MINUTE))} min"


class RemembersParent:
    """Keeps the parent a row was loaded under (`stored_parent_id`), so a save that moves it
    can refresh the page it left as well as the one it joined (reviews.rendering)."""

    parent_field = ""

    @classmethod
    def from_db(cls, db, field_names, values):
        row = super().from_db(db, field_names, values)
        row.stored_parent_id = row.__dict__.get(cls.parent_field)
        return row


class Section(RemembersParent, LineEndingsMixin, models.Model):
    parent_field = "post_id"
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="sections")
    title = models.CharField(max_length=255, help_text="e.g. “Keynotes” or “Selected papers”.")
    order = models.PositiveIntegerField(default=0)
    body = models.TextField(
        blank=True, help_text="Text under the section heading, before its first entry."
    )
    link_url = URLField(max_length=1000, blank=True, help_text="A link for the whole section.")
    link_label = models.CharField(max_length=100, blank=True, help_text="e.g. “[Video link]”.")
    version = models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text="Bumped by every save; a form loaded at an older version is a conflict.",
    )

    class Meta:
        ordering = ["post", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["post", "order"],
                name="section_unique_order",
                violation_error_message="Another section of this post already has this place "
                "in the order; reload the post and try again.",
            ),
        ]

    def __str__(self):
        return self.title


class Entry(RemembersParent, LineEndingsMixin, models.Model):
    parent_field = "section_id"

    class Kind(models.TextChoices):
        KEYNOTE = "keynote", "Keynote"
        PAPER = "paper", "Paper"
        FREE = "free", "Free entry"

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="entries")
    order = models.PositiveIntegerField(default=0)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.PAPER)
    keynote = models.ForeignKey(
        Keynote, on_delete=models.PROTECT, null=True, blank=True, related_name="entries"
    )
    paper = models.ForeignKey(
        Paper,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entries",
        help_text="Papers featured in a post cannot be deleted until the entry is removed.",
    )
    heading = models.CharField(
        max_length=500,
        blank=True,
        help_text="Required for a free entry; for a paper or keynote, overrides its title.",
    )
    summary = models.TextField(blank=True, help_text="The curator's summary for this post.")
    link_url = URLField(max_length=1000, blank=True)
    link_label = models.CharField(max_length=100, blank=True, default="[Paper link]")
    keep_empty_gallery = models.BooleanField(
        default=False,
        help_text="Export an empty gallery block even without images (as imported posts have).",
    )
    heading_blank_line = models.BooleanField(
        "blank line after the heading",
        default=True,
        help_text=(
            "Leave a blank line between the heading and the text under it in the Markdown "
            "export. Off for posts imported with the text on the line right after the heading."
        ),
    )
    version = models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text="Bumped by every save; a form loaded at an older version is a conflict.",
    )
    search_vector = SearchVectorField(
        null=True, editable=False, help_text="Kept current by search.index_reviews."
    )

    class Meta:
        ordering = ["section", "order"]
        verbose_name_plural = "entries"
        constraints = [
            models.UniqueConstraint(
                fields=["section", "order"],
                name="entry_unique_order",
                violation_error_message="Another entry of this section already has this place "
                "in the order; reload the post and try again.",
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind="keynote", keynote__isnull=False, paper__isnull=True)
                    | Q(kind="paper", paper__isnull=False, keynote__isnull=True)
                    | (Q(kind="free", paper__isnull=True, keynote__isnull=True) & ~Q(heading=""))
                ),
                name="entry_exactly_one_target",
                violation_error_message="A keynote entry needs a keynote (and no paper), a paper "
                "entry a paper (and no keynote), and a free entry a heading (and neither).",
            ),
        ]

    def __str__(self):
        return self.display_heading

    def clean(self):
        check_curator_fields(self, ("summary",))

    @property
    def display_heading(self):
        """The heading as published: explicit, else the paper title or "TITLE - SPEAKER"."""
        if self.heading:
            return self.heading
        if self.paper_id:
            return self.paper.title
        if self.keynote_id:
            return f"{self.keynote.title} - {self.keynote.speaker}"
        return ""


class GalleryImage(LineEndingsMixin, models.Model):
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(upload_to="gallery/%Y/%m/", blank=True)
    external_url = URLField(
        max_length=1000,
        blank=True,
        allow_site_relative=True,
        help_text="Use instead of an upload for an image hosted elsewhere (http or https, or a "
        "path on this site such as /img/…).",
    )
    alt_text = models.CharField(
        max_length=300, blank=True, help_text="What the slide shows, for readers who cannot see it."
    )
    caption = models.CharField(max_length=500, blank=True)
    order = models.PositiveIntegerField(default=0)
    renditions = models.JSONField(
        default=dict,
        blank=True,
        editable=False,
        help_text="Source size and resized copies, kept on the row so pages need no extra query.",
    )
    fetched_from = URLField(
        max_length=1000,
        blank=True,
        editable=False,
        help_text="The external address this upload was downloaded from by fetch_images.",
    )

    class Meta:
        ordering = ["entry", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "order"],
                name="galleryimage_unique_order",
                violation_error_message="Another image of this entry already has this place "
                "in the order; reload the page and try again.",
            ),
            models.CheckConstraint(
                condition=(Q(image="") & ~Q(external_url="")) | (~Q(image="") & Q(external_url="")),
                name="galleryimage_one_source",
                violation_error_message="Give each image either an uploaded file or an external "
                "address, not both and not neither.",
            ),
        ]

    def __str__(self):
        return self.alt_text or self.src

    @property
    def src(self):
        return self.image.url if self.image else self.external_url


class PostRevision(models.Model):
    """A snapshot of a post with its sections, entries and images, taken at every save."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="post_revisions",
    )
    snapshot = models.JSONField()
    summary = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["post", "-created_at"], name="postrevision_post_created")]

    def __str__(self):
        return f"{self.post_id} at {self.created_at:%Y-%m-%d %H:%M}"


class PostAutosave(Autosave):
    """A curator's unsaved edits of a post's change form, kept while they type (one per user)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="autosaves")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="post_autosaves"
    )
    post_version = models.PositiveIntegerField(
        help_text="The post's version when the form was loaded; older means saved since."
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["post", "user"],
                name="postautosave_one_per_user",
                violation_error_message="You already have kept edits of this post: restore or "
                "discard them first.",
            ),
        ]

    def __str__(self):
        return f"{self.post_id} by {self.user_id} at {self.saved_at:%Y-%m-%d %H:%M}"


class PartAutosave(Autosave):
    """A curator's unsaved edits of a section's or an entry's own page (one per user and part):
    the part pages' PostAutosave. Exactly one of `section` and `entry` is set."""

    section = models.ForeignKey(
        Section, on_delete=models.CASCADE, null=True, blank=True, related_name="autosaves"
    )
    entry = models.ForeignKey(
        Entry, on_delete=models.CASCADE, null=True, blank=True, related_name="autosaves"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="part_autosaves"
    )
    part_version = models.PositiveIntegerField(
        help_text="The part's version when the form was loaded; older means saved since."
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(section__isnull=False, entry__isnull=True)
                | Q(section__isnull=True, entry__isnull=False),
                name="partautosave_one_part",
                violation_error_message="Kept edits belong to one section or one entry.",
            ),
            models.UniqueConstraint(
                fields=["section", "user"],
                condition=Q(section__isnull=False),
                name="partautosave_one_per_user_and_section",
                violation_error_message="You already have kept edits of this section: restore "
                "or discard them first.",
            ),
            models.UniqueConstraint(
                fields=["entry", "user"],
                condition=Q(entry__isnull=False),
                name="partautosave_one_per_user_and_entry",
                violation_error_message="You already have kept edits of this entry: restore or "
                "discard them first.",
            ),
        ]

    def __str__(self):
        part = f"section {self.section_id}" if self.section_id else f"entry {self.entry_id}"
        return f"{part} by {self.user_id} at {self.saved_at:%Y-%m-%d %H:%M}"
