"""What a reader may see: the one rule, as querysets every public entry point starts from.

A reader sees the published, due posts (`Post.objects.published()`) and what they feature: an
entry's paper or keynote, the post's conference, and the conference of any paper or keynote that
is itself visible; the authors of a visible paper and speakers of a visible keynote; the tags of
a visible post or paper. A curator may also list a paper, keynote or conference (`listed`) to
show it with no post. Everything else, including what only a draft or a scheduled post uses, is
hidden.

"Featured by a published post" is stored rather than asked per request: `public_from` on
papers, keynotes, conferences and authors (and `PublicTopic` for tags) is the earliest
`published_at` among the published posts that make the record public, NULL when none does.
`refresh_public_flags()` recomputes it from the rows (signals in reviews.rendering run it on
every write that could move it, once per `batched()` block), so a page filters on one indexed
column, and `public_from <= now` lets a scheduled post's records appear when it is due, with no
save and no job. Staff preview drafts, so the detail pages use the `visible_*(user)` variants.
"""

import json
from datetime import UTC, datetime

from django.apps import apps as installed_apps
from django.db import transaction
from django.db.models import (
    Case,
    DateTimeField,
    F,
    Min,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast
from django.utils import timezone
from taggit.models import Tag

from papers.models import (
    THUMBNAILS_DIR,
    Author,
    Conference,
    Paper,
    PaperVideo,
    PeerReviewExcerpt,
)
from reviews.models import (
    Entry,
    GalleryImage,
    Keynote,
    KeynoteVideo,
    Post,
    published_condition,
)
from reviews.workflow.rules import can_edit_post

CHANGE_POST_PERMISSION = "reviews.change_post"


def public_posts() -> QuerySet[Post]:
    return Post.objects.published()


def public_entries() -> QuerySet[Entry]:
    # A join on the post, not `IN (published posts)`: the same rule, a third cheaper to build.
    return Entry.objects.filter(published_condition("section__post__"))


def _public_now(path: str = "") -> Q:
    """The stored flag's half of the rule: public since a time that has come."""
    return Q(**{f"{path}public_from__lte": timezone.now()})


def public_condition(path: str = "") -> Q:
    """A listed or due paper, keynote or conference at `path` ("papers__" from a tag): the
    rule `public_papers()` applies, for a join or a filtered count."""
    return Q(**{f"{path}listed": True}) | _public_now(path)


def public_papers(queryset=None) -> QuerySet[Paper]:
    queryset = queryset if queryset is not None else Paper.objects.all()
    return queryset.filter(public_condition())


def public_keynotes(queryset=None) -> QuerySet[Keynote]:
    queryset = queryset if queryset is not None else Keynote.objects.all()
    return queryset.filter(public_condition())


def public_conferences(queryset=None) -> QuerySet[Conference]:
    queryset = queryset if queryset is not None else Conference.objects.all()
    return queryset.filter(public_condition())


def public_authors(queryset=None) -> QuerySet[Author]:
    """Authors of a public paper, and speakers of a public keynote."""
    queryset = queryset if queryset is not None else Author.objects.all()
    return queryset.filter(_public_now())


def public_excerpts() -> QuerySet[PeerReviewExcerpt]:
    """Excerpts shown on a public paper's page: all of them, less what a curator hid."""
    return PeerReviewExcerpt.objects.shown().filter(Q(paper__listed=True) | _public_now("paper__"))


def public_topics() -> QuerySet[Tag]:
    """Tags of a public post or of a public paper."""
    return Tag.objects.filter(_public_now("public_topic__"))


# What a listed record lends to the records it makes public: public since always.
ALWAYS = datetime(1970, 1, 1, tzinfo=UTC)
PUBLISHED = "published"
CHUNK = 500


def _earliest(queryset, key: str, expression) -> dict:
    """{key value: MIN(expression)} over `queryset`, one grouped query."""
    rows = queryset.order_by().values(key).annotate(earliest=Min(expression))
    return {row[key]: row["earliest"] for row in rows if row[key] is not None}


def _lent(path: str = "") -> Case:
    """When a paper or keynote at `path` is public: ALWAYS if listed, else its flag."""
    return Case(
        When(**{f"{path}listed": True}, then=Value(ALWAYS, output_field=DateTimeField())),
        default=F(f"{path}public_from"),
        output_field=DateTimeField(),
    )


def _lends(path: str = "") -> Q:
    """A paper or keynote at `path` that is public now or will be (listed or flagged)."""
    return Q(**{f"{path}listed": True}) | Q(**{f"{path}public_from__isnull": False})


def public_since(queryset: QuerySet) -> QuerySet:
    """The posts, papers, conferences, authors or tags of `queryset` that are public now or
    will be, annotated `public_since`: public while it is <= now. For a store that keeps the
    time and applies that test itself (search's suggestions), so a scheduled post needs no job."""
    model = queryset.model
    if model is Post:
        since = F("published_at")
        queryset = queryset.filter(status=Post.Status.PUBLISHED, published_at__isnull=False)
    elif model is Tag:
        since = F("public_topic__public_from")
        queryset = queryset.filter(public_topic__isnull=False)
    elif model is Author:
        since = F("public_from")
        queryset = queryset.filter(public_from__isnull=False)
    else:
        since = _lent()
        queryset = queryset.filter(_lends())
    return queryset.annotate(public_since=since)


def _merged(*sources: dict) -> dict:
    """The earliest time per key across `sources`."""
    merged: dict = {}
    for source in sources:
        for key, value in source.items():
            if value is not None and (key not in merged or value < merged[key]):
                merged[key] = value
    return merged


def _store(model, values: dict) -> list:
    """Write `values` ({pk: datetime}; absent pks become NULL); returns the pks changed."""
    manager = model._default_manager
    stored = dict(
        manager.filter(public_from__isnull=False).order_by().values_list("pk", "public_from")
    )
    by_value: dict = {}
    for pk in stored.keys() | values.keys():
        if stored.get(pk) != values.get(pk):
            by_value.setdefault(values.get(pk), []).append(pk)
    for value, pks in by_value.items():
        for start in range(0, len(pks), CHUNK):
            manager.filter(pk__in=pks[start : start + CHUNK]).update(public_from=value)
    return sorted(pk for pks in by_value.values() for pk in pks)


def compute_public_flags(*, apps=installed_apps) -> dict[str, dict]:
    """What the paper and keynote flags should be, from the posts: {label: {pk: datetime}}.

    Rows absent from a mapping are public through no post. Every query starts from the
    published posts (grouped, no per-row subquery), so a refresh costs what is public, not the
    size of the catalogue. `apps` lets the data migration run this on its historical models.
    """
    entries = apps.get_model("reviews", "Entry")._default_manager.filter(
        section__post__status=PUBLISHED
    )
    published_at = F("section__post__published_at")
    return {
        "papers.Paper": _earliest(entries, "paper", published_at),
        "reviews.Keynote": _earliest(entries, "keynote", published_at),
    }


def compute_derived_flags(*, apps=installed_apps) -> dict[str, dict]:
    """Conferences, authors and tags, from the posts and the stored paper and keynote flags
    (so `refresh_public_flags` stores those first)."""

    def rows(label):
        return apps.get_model(label)._default_manager.all()

    posts = rows("reviews.Post").filter(status=PUBLISHED)
    papers = rows("papers.Paper").filter(_lends())
    keynotes = rows("reviews.Keynote").filter(_lends())
    return {
        "papers.Conference": _merged(
            _earliest(posts, "conference", "published_at"),
            _earliest(papers, "conference", _lent()),
            _earliest(keynotes, "conference", _lent()),
        ),
        "papers.Author": _merged(
            _earliest(
                rows("papers.Authorship").filter(_lends("paper__")), "author", _lent("paper__")
            ),
            _earliest(
                rows("reviews.KeynoteSpeaker").filter(_lends("keynote__")),
                "author",
                _lent("keynote__"),
            ),
        ),
        "taggit.Tag": _merged(
            _earliest(
                rows("reviews.TaggedPost").filter(content_object__status=PUBLISHED),
                "tag",
                "content_object__published_at",
            ),
            _earliest(
                rows("papers.TaggedPaper").filter(_lends("content_object__")),
                "tag",
                _lent("content_object__"),
            ),
        ),
    }


def _store_topics(topic_model, values: dict) -> list:
    manager = topic_model._default_manager
    stored = dict(manager.values_list("tag_id", "public_from"))
    gone = [pk for pk in stored if pk not in values]
    for start in range(0, len(gone), CHUNK):
        manager.filter(tag_id__in=gone[start : start + CHUNK]).delete()
    new = [
        topic_model(tag_id=pk, public_from=value)
        for pk, value in values.items()
        if pk not in stored
    ]
    manager.bulk_create(new, batch_size=CHUNK)
    moved = [pk for pk, value in values.items() if pk in stored and stored[pk] != value]
    for pk in moved:
        manager.filter(tag_id=pk).update(public_from=values[pk])
    return sorted([*gone, *(row.tag_id for row in new), *moved])


def refresh_public_flags(*, apps=installed_apps) -> dict[str, list]:
    """Store every public flag as the rows say; returns the changed pks per model label.

    Idempotent and whole-site (a few grouped queries, writes only what moved), so no writer
    has to know which records an edit touched: a moved entry, a merged author or a restored
    backup all come out right.
    """
    changed = {}
    for stage in (compute_public_flags, compute_derived_flags):
        for label, values in stage(apps=apps).items():
            if label == "taggit.Tag":
                changed[label] = _store_topics(apps.get_model("reviews", "PublicTopic"), values)
            else:
                changed[label] = _store(apps.get_model(label), values)
    return changed


def public_flag_drift() -> dict[str, list]:
    """Records whose stored flag differs from the rows: {model label: [pk, ...]}.

    The refresh runs in a savepoint that is rolled back, so a drifted paper also shows the
    conference, authors and tags it would move, and nothing is written.
    """
    with transaction.atomic():
        changed = refresh_public_flags()
        transaction.set_rollback(True)
    return {label: pks for label, pks in changed.items() if pks}


def is_previewer(user) -> bool:
    """Staff see drafts and what only drafts feature, on pages that are never cached."""
    return user.is_staff


def visible_posts(user) -> QuerySet[Post]:
    return Post.objects.all() if is_previewer(user) else public_posts()


def visible_papers(user) -> QuerySet[Paper]:
    return Paper.objects.all() if is_previewer(user) else public_papers()


def visible_keynotes(user) -> QuerySet[Keynote]:
    return Keynote.objects.all() if is_previewer(user) else public_keynotes()


def visible_authors(user) -> QuerySet[Author]:
    return Author.objects.all() if is_previewer(user) else public_authors()


def visible_conferences(user) -> QuerySet[Conference]:
    return Conference.objects.all() if is_previewer(user) else public_conferences()


def posts_using_upload(name: str) -> QuerySet[Post]:
    """Posts whose cover or gallery uses the stored file `name`, as source or as a rendition.

    Renditions are named only inside the rows' JSON, so the JSON is searched as text for the
    quoted name (both escapings: SQLite stores ASCII escapes, PostgreSQL's jsonb does not).
    """
    needles = {json.dumps(name), json.dumps(name, ensure_ascii=False)}

    def in_json(field):
        condition = Q()
        for needle in needles:
            condition |= Q(**{f"{field}_text__contains": needle})
        return condition

    gallery = (
        GalleryImage.objects.annotate(renditions_text=Cast("renditions", TextField()))
        .filter(Q(image=name) | in_json("renditions"))
        .values("entry__section__post")
    )
    return Post.objects.annotate(
        cover_renditions_text=Cast("cover_renditions", TextField())
    ).filter(Q(cover_image=name) | in_json("cover_renditions") | Q(pk__in=gallery))


def public_upload(name: str) -> bool:
    """True when a public post uses the stored file `name`, or it is a public video's
    thumbnail: anyone may fetch it."""
    if name.startswith(f"{THUMBNAILS_DIR}/"):
        return public_thumbnail(name)
    return public_posts().filter(pk__in=posts_using_upload(name).values("pk")).exists()


def public_thumbnail(name: str) -> bool:
    """A video thumbnail is public while an approved video of a public paper or keynote has it;
    a waiting or rejected suggestion's stays hidden."""
    papers = PaperVideo.objects.approved().filter(thumbnail=name, paper__in=public_papers())
    keynotes = KeynoteVideo.objects.approved().filter(thumbnail=name, keynote__in=public_keynotes())
    return papers.exists() or keynotes.exists()


def may_view_upload(user, name: str) -> bool:
    """Readers get the uploads of public posts; editors of a post also get its drafts' uploads.

    A file no post uses (an orphan awaiting cleanup, anything else under MEDIA_ROOT) is served
    to no one: the rule fails closed.
    """
    return public_upload(name) or may_preview_upload(user, name)


def may_preview_upload(user, name: str) -> bool:
    """Staff who may change a post using `name` (can_edit_post) get it, draft or not; staff
    previewing a paper or keynote page get its videos' thumbnails."""
    if name.startswith(f"{THUMBNAILS_DIR}/"):
        return is_previewer(user) and (
            PaperVideo.objects.filter(thumbnail=name).exists()
            or KeynoteVideo.objects.filter(thumbnail=name).exists()
        )
    if not (user.is_authenticated and user.has_perm(CHANGE_POST_PERMISSION)):
        return False
    using = posts_using_upload(name).only("pk", "status", "created_by")
    return any(can_edit_post(user, post) for post in using)
