import datetime
import os

import pytest
from django.utils import timezone

from core.side_effects import batched
from reviews.models import Post
from reviews.workflow.roles import CONTRIBUTORS
from tests.factories import (
    AuthorshipFactory,
    ConferenceFactory,
    EntryFactory,
    GalleryImageFactory,
    PaperFactory,
    PostFactory,
    SectionFactory,
    staff_member,
)
from tests.fixtures import POSTS

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

REFERENCE_POST = POSTS / "jekyll-post-example.md"


def pytest_collection_modifyitems(config, items):
    """Tests of one database's own machinery (marked `postgres` or `sqlite`) are deselected on
    the other (CI runs both), never reported as skipped."""
    from django.conf import settings

    other = (
        "sqlite" if settings.DATABASES["default"]["ENGINE"].endswith("postgresql") else "postgres"
    )
    kept = [item for item in items if item.get_closest_marker(other) is None]
    if len(kept) != len(items):
        config.hook.pytest_deselected(items=[i for i in items if i not in kept])
        items[:] = kept


@pytest.fixture
def example_post_path():
    """The reference Jekyll post: the blog's exact format and quirks, in the project's words."""
    return REFERENCE_POST


@pytest.fixture
def curator(db):
    from reviews.workflow.roles import CURATORS
    from tests.factories import staff_member

    return staff_member("curator", CURATORS)


@pytest.fixture
def curator_client(client, curator):
    client.force_login(curator)
    return client


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache, as a fresh server would."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _search_tables_flushed_too(request):
    """A transactional test's flush empties the model tables only: SQLite's FTS5 tables are
    emptied with them, so no later test ranks against rows a flushed test left (bm25's idf
    counts every row of a table)."""
    if not {"transactional_db", "live_server"} & set(request.fixturenames):
        yield
        return
    request.getfixturevalue("transactional_db")
    yield
    from search import fts

    fts.clear()


@pytest.fixture
def media_root(settings, tmp_path):
    """A MEDIA_ROOT of the test's own, so file assertions see only this test's files."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


# Roles, uploads, posts of a chosen size, drafts that must not leak.
@pytest.fixture
def contributor(db):
    return staff_member("contributor", CONTRIBUTORS)


@pytest.fixture
def contributor_client(client, contributor):
    client.force_login(contributor)
    return client


def build_post(*, entries, conference=None, published=True, tags=("conference review",), **kwargs):
    """A post with one section of `entries` paper entries, each with authors, topics and slides.

    Its own conference and papers are unlisted: they are public only while the post is.
    Built in one batched() block, as the importer writes, so the body is rendered once.
    """
    with batched():
        return _build_post(
            entries=entries, conference=conference, published=published, tags=tags, **kwargs
        )


def _build_post(*, entries, conference, published, tags, **kwargs):
    conference = conference or ConferenceFactory(listed=False)
    post = PostFactory(conference=conference, published=published, **kwargs)
    post.tags.set(list(tags))
    section = SectionFactory(post=post, order=0)
    for n in range(entries):
        paper = PaperFactory(conference=conference, listed=False)
        AuthorshipFactory(paper=paper, order=0)
        AuthorshipFactory(paper=paper, order=1)
        paper.topics.set(["genomics", f"topic {n % 5}"])
        entry = EntryFactory(section=section, order=n, paper=paper)
        GalleryImageFactory(entry=entry, order=0)
        GalleryImageFactory(entry=entry, order=1)
    return post


@pytest.fixture
def post_builder(db):
    return build_post


@pytest.fixture
def hidden_posts(db):
    """A draft and a scheduled post, each with a tag, conference and paper of its own."""
    conference = ConferenceFactory(short_name="Hiddenconf", listed=False)
    draft = build_post(
        entries=1,
        conference=conference,
        published=False,
        title="Zebra draft review",
        slug="zebra-draft-review",
        subtitle="Zebra subtitle",
        tags=("zebra-draft-tag", "conference review"),
    )
    scheduled = build_post(
        entries=1,
        conference=conference,
        published=False,
        title="Zebra scheduled review",
        slug="zebra-scheduled-review",
        tags=("zebra-scheduled-tag",),
    )
    scheduled.status = Post.Status.PUBLISHED
    scheduled.published_at = timezone.now() + datetime.timedelta(days=3)
    scheduled.save()
    return [draft, scheduled]


def with_unpublished_changes(post):
    """Open a working copy of published `post` and fill it with zebra text, tag and entry."""
    from reviews.workflow.drafts import open_working_copy
    from reviews.workflow.roles import CURATORS
    from tests.factories import staff_member

    copy = open_working_copy(post=post, by=staff_member("copy-editor", CURATORS))
    Post.objects.filter(pk=copy.pk).update(
        title="Zebra unpublished title", intro="Zebra unpublished intro", version=2
    )
    assert copy.slug == f"{post.slug}-changes"
    copy.tags.add("zebra-copy-tag")
    EntryFactory(
        section=copy.sections.first(),
        order=500,
        kind="free",
        paper=None,
        heading="Zebra copy entry",
        summary="Zebra copy summary",
    )
    return copy


# Object storage: a real S3-compatible server (moto) on 127.0.0.1 for the session.
@pytest.fixture(scope="session")
def s3_endpoint():
    from tests import s3

    with s3.running_server() as endpoint:
        yield endpoint


@pytest.fixture
def s3_media(settings, s3_endpoint):
    """This test's media in a bucket of its own: every read and write goes to the S3 server."""
    from tests import s3

    bucket = s3.Bucket(s3_endpoint, s3.new_bucket(s3_endpoint))
    settings.STORAGES = s3.storages_for(s3_endpoint, bucket.name)
    return bucket


@pytest.fixture
def staging_root(settings, tmp_path):
    """The staging storage (core.staging) in a folder of this test's own."""
    root = tmp_path / "staging"
    settings.STORAGES = {
        **settings.STORAGES,
        "staging": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root)},
        },
    }
    return root
