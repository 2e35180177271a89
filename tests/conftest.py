import datetime
import os

import pytest
from django.utils import timezone

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
    """PostgreSQL-only tests are deselected on SQLite (CI runs both), never reported as skipped."""
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        return
    kept = [item for item in items if item.get_closest_marker("postgres") is None]
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
    """
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


@pytest.fixture(scope="session")
def s3_server():
    """A real S3-compatible server (moto's server mode) on 127.0.0.1, for the whole session."""
    import logging

    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per S3 request otherwise
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3_media(settings, s3_server, tmp_path):
    """Media in a fresh bucket of the S3 server, configured as production would be."""
    import uuid

    import boto3

    bucket = f"media-{uuid.uuid4().hex[:12]}"
    options = {
        "bucket_name": bucket,
        "endpoint_url": s3_server,
        "region_name": "us-east-1",
        "access_key": "testing",
        "secret_key": "testing",
        "default_acl": None,
        "file_overwrite": False,
        "querystring_auth": True,
        "signature_version": "s3v4",
    }
    client = boto3.client(
        "s3",
        endpoint_url=s3_server,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    client.create_bucket(Bucket=bucket)
    settings.MEDIA_ROOT = tmp_path / "local-media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "reviews.media.storage.MediaStorage", "OPTIONS": options},
    }

    def keys():
        listed = client.list_objects_v2(Bucket=bucket).get("Contents", [])
        return sorted(item["Key"] for item in listed)

    return keys
