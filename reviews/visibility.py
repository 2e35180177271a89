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
every write that could move it, once per `batched()` block, scoped to the records the writes
touched and the ones they left), so a page filters on one indexed column, and
`public_from <= now` lets a scheduled post's records appear when it is due, with no save and
no job. Staff preview drafts, so the detail pages use the `visible_*(user)` variants.
"""

import functools
import json
from datetime import UTC, datetime

from django.apps import apps as installed_apps
from django.db import transaction
from django.db.models import (
    Case,
    DateTimeField,
    F,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
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
    Authorship,
    Conference,
    Paper,
    PaperVideo,
    PeerReviewExcerpt,
    TaggedPaper,
)
from reviews.models import (
    Entry,
    GalleryImage,
    Keynote,
    KeynoteSpeaker,
    KeynoteVideo,
    Post,
    PublicTopic,
    TaggedPost,
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


def refresh_public_flags(
    *,
    papers=None,
    keynotes=None,
    conferences=None,
    authors=None,
    tags=None,
    posts=None,
    sections=None,
    apps=installed_apps,
) -> dict[str, list]:
    """Store the public flags as the rows say; returns the changed pks per model label.

    With no scope, whole-site and idempotent (a few grouped queries, writes only what moved):
    `refresh_public_flags --check`, a restored backup and the data migration use it. With a
    scope (pks of what a write touched: its papers, keynotes, conferences, authors and tags;
    posts and sections stand for their entries' papers and keynotes, their conference and
    tags), only those records and the ones their flags lend to are recomputed, by the same
    rule, in one query per model. A scope must name what a write left as well as what it
    joined (an entry's former paper, a post's former conference): reviews.rendering's
    signals do.
    """
    scope = (papers, keynotes, conferences, authors, tags, posts, sections)
    if any(part is not None for part in scope):
        return _refresh_scoped(*(_pks(part) for part in scope))
    changed = {}
    for stage in (compute_public_flags, compute_derived_flags):
        for label, values in stage(apps=apps).items():
            if label == "taggit.Tag":
                changed[label] = _store_topics(apps.get_model("reviews", "PublicTopic"), values)
            else:
                changed[label] = _store(apps.get_model(label), values)
    return changed


def _pks(values) -> list:
    return sorted({pk for pk in values or () if pk is not None})


def _among(model, pks, *subqueries) -> Q | None:
    """`pk IN` the pks and each subquery's one column, as one IN of a UNION ALL: an OR of INs
    would keep PostgreSQL from the index (a filter on every row). None when all are empty."""
    parts = [query.order_by() for query in subqueries if query is not None]
    if not parts:
        return Q(pk__in=pks) if pks else None
    if pks:
        parts.append(model.objects.filter(pk__in=pks).order_by().values("pk"))
    return Q(pk__in=parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0])


def _min_of(queryset, key: str, expression) -> Subquery:
    """MIN(expression) over `queryset`'s rows whose `key` is the outer row."""
    rows = queryset.filter(**{key: OuterRef("pk")}).order_by().values(key)
    return Subquery(rows.annotate(earliest=Min(expression)).values("earliest")[:1])


def _write(model, rows) -> list:
    """Store `rows` ((pk, stored, right) triples); returns the pks changed."""
    by_value: dict = {}
    for pk, stored, right in rows:
        if stored != right:
            by_value.setdefault(right, []).append(pk)
    for value, pks in by_value.items():
        for start in range(0, len(pks), CHUNK):
            model.objects.filter(pk__in=pks[start : start + CHUNK]).update(public_from=value)
    return sorted(pk for pks in by_value.values() for pk in pks)


def _earliest_of(*values):
    return min((value for value in values if value is not None), default=None)


@functools.cache
def _scoped_rules() -> dict:
    """The rule, per model, as annotated querysets a scoped refresh filters: (pk, stored flag,
    then the earliest time of each source). Built once: building them costs more CPU than
    running them."""
    published = Entry.objects.filter(section__post__status=PUBLISHED)
    at = F("section__post__published_at")
    lends = {
        "papers": Paper.objects.filter(_lends()),
        "keynotes": Keynote.objects.filter(_lends()),
        "authorships": Authorship.objects.filter(_lends("paper__")),
        "speakers": KeynoteSpeaker.objects.filter(_lends("keynote__")),
        "tagged papers": TaggedPaper.objects.filter(_lends("content_object__")),
    }
    posts = Post.objects.filter(status=PUBLISHED)
    tagged_posts = TaggedPost.objects.filter(content_object__status=PUBLISHED)
    rules = {
        Paper: Paper.objects.annotate(by_posts=_min_of(published, "paper", at)),
        Keynote: Keynote.objects.annotate(by_posts=_min_of(published, "keynote", at)),
        Conference: Conference.objects.annotate(
            by_posts=_min_of(posts, "conference", "published_at"),
            by_papers=_min_of(lends["papers"], "conference", _lent()),
            by_keynotes=_min_of(lends["keynotes"], "conference", _lent()),
        ),
        Author: Author.objects.annotate(
            by_papers=_min_of(lends["authorships"], "author", _lent("paper__")),
            by_keynotes=_min_of(lends["speakers"], "author", _lent("keynote__")),
        ),
        Tag: Tag.objects.annotate(
            stored=F("public_topic__public_from"),
            by_posts=_min_of(tagged_posts, "tag", "content_object__published_at"),
            by_papers=_min_of(lends["tagged papers"], "tag", _lent("content_object__")),
        ),
    }
    sources = {model: [*queryset.query.annotations] for model, queryset in rules.items()}
    return {
        model: queryset.order_by().values_list(
            "pk",
            "stored" if model is Tag else "public_from",
            *(name for name in sources[model] if name != "stored"),
            *(["conference_id"] if model in (Paper, Keynote) else []),
        )
        for model, queryset in rules.items()
    }


def _refresh_scoped(papers, keynotes, conferences, authors, tags, posts, sections) -> dict:
    rules = _scoped_rules()
    featured = None
    if posts or sections:
        featured = Entry.objects.filter(
            Q(section__post__in=posts) | Q(section__in=sections)
        ).order_by()
    changed: dict[str, list] = {}
    featured_by = {}
    for model, key in ((Paper, "paper"), (Keynote, "keynote")):
        condition = _among(
            model,
            papers if model is Paper else keynotes,
            featured.values(key) if featured is not None else None,
        )
        rows = list(rules[model].filter(condition)) if condition is not None else []
        changed[model._meta.label] = _write(model, [row[:3] for row in rows])
        featured_by[key] = rows
    paper_pks = [row[0] for row in featured_by["paper"]]
    keynote_pks = [row[0] for row in featured_by["keynote"]]
    lent_conferences = {row[3] for rows in featured_by.values() for row in rows}
    conditions = {
        Conference: _among(
            Conference,
            [*conferences, *lent_conferences],
            Post.objects.filter(pk__in=posts).values("conference") if posts else None,
        ),
        Author: _among(
            Author,
            authors,
            Authorship.objects.filter(paper__in=paper_pks).values("author") if paper_pks else None,
            KeynoteSpeaker.objects.filter(keynote__in=keynote_pks).values("author")
            if keynote_pks
            else None,
        ),
        Tag: _among(
            Tag,
            tags,
            TaggedPaper.objects.filter(content_object__in=paper_pks).values("tag")
            if paper_pks
            else None,
            TaggedPost.objects.filter(content_object__in=posts).values("tag") if posts else None,
        ),
    }
    for model, condition in conditions.items():
        rows = []
        if condition is not None:
            rows = [
                (pk, stored, _earliest_of(*lent))
                for pk, stored, *lent in rules[model].filter(condition)
            ]
        if model is Tag:
            changed["taggit.Tag"] = _store_scoped_topics(rows)
        else:
            changed[model._meta.label] = _write(model, rows)
    return changed


def _store_scoped_topics(rows) -> list:
    gone = [pk for pk, stored, right in rows if stored is not None and right is None]
    new = [
        PublicTopic(tag_id=pk, public_from=right)
        for pk, stored, right in rows
        if stored is None and right is not None
    ]
    moved = [
        (pk, right)
        for pk, stored, right in rows
        if stored is not None and right is not None and stored != right
    ]
    if gone:
        PublicTopic.objects.filter(tag_id__in=gone).delete()
    PublicTopic.objects.bulk_create(new, batch_size=CHUNK)
    for pk, right in moved:
        PublicTopic.objects.filter(tag_id=pk).update(public_from=right)
    return sorted([*gone, *(topic.tag_id for topic in new), *(pk for pk, _ in moved)])


def lends_nothing(post: Post) -> bool:
    """A post that is not published makes nothing public (whatever its time): writes to its
    own rows alone cannot move a flag."""
    return post.status != PUBLISHED


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
