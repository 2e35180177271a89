"""What a reader may see: the one rule, as querysets every public entry point starts from.

A reader sees the published, due posts (`Post.objects.published()`) and what they feature: an
entry's paper or keynote, the post's conference, and the conference of any paper or keynote that
is itself visible. A curator may also list a paper, keynote or conference (`listed`) to show it
with no post. Everything else, including what only a draft or a scheduled post uses, is hidden.

Each rule is an `Exists` subquery over `published()`, so a page filtered by it runs the same
number of queries at any size, and a scheduled post's records appear when it is due, with no save.
Staff preview drafts, so the detail pages use the `visible_*(user)` variants.
"""

import json

from django.db.models import Exists, OuterRef, Q, QuerySet, TextField
from django.db.models.functions import Cast
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


def public_papers(queryset=None) -> QuerySet[Paper]:
    queryset = queryset if queryset is not None else Paper.objects.all()
    featured = public_entries().filter(paper=OuterRef("pk"))
    return queryset.filter(Q(listed=True) | Exists(featured))


def public_keynotes(queryset=None) -> QuerySet[Keynote]:
    queryset = queryset if queryset is not None else Keynote.objects.all()
    featured = public_entries().filter(keynote=OuterRef("pk"))
    return queryset.filter(Q(listed=True) | Exists(featured))


def public_conferences(queryset=None) -> QuerySet[Conference]:
    queryset = queryset if queryset is not None else Conference.objects.all()
    return queryset.filter(
        Q(listed=True)
        | Exists(public_posts().filter(conference=OuterRef("pk")))
        | Exists(public_papers().filter(conference=OuterRef("pk")))
        | Exists(public_keynotes().filter(conference=OuterRef("pk")))
    )


def public_authors(queryset=None) -> QuerySet[Author]:
    """Authors of a public paper, and speakers of a public keynote."""
    queryset = queryset if queryset is not None else Author.objects.all()
    papers = Authorship.objects.filter(author=OuterRef("pk"), paper__in=public_papers())
    keynotes = KeynoteSpeaker.objects.filter(author=OuterRef("pk"), keynote__in=public_keynotes())
    return queryset.filter(Exists(papers) | Exists(keynotes))


def public_excerpts() -> QuerySet[PeerReviewExcerpt]:
    """Excerpts shown on a public paper's page: all of them, less what a curator hid."""
    return PeerReviewExcerpt.objects.shown().filter(paper__in=public_papers())


def public_topics() -> QuerySet[Tag]:
    """Tags of a public post or of a public paper."""
    posts = TaggedPost.objects.filter(published_condition("content_object__"), tag=OuterRef("pk"))
    papers = TaggedPaper.objects.filter(tag=OuterRef("pk"), content_object__in=public_papers())
    return Tag.objects.filter(Exists(posts) | Exists(papers))


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
