"""Fixtures for reviews tests: roles, uploads, posts of a chosen size, drafts that must not leak."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

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


@pytest.fixture
def contributor(db):
    return staff_member("contributor", CONTRIBUTORS)


@pytest.fixture
def contributor_client(client, contributor):
    client.force_login(contributor)
    return client


def png_upload(name="slide.png", color=(200, 30, 30)):
    """A real PNG, small enough to keep the tests fast."""
    buffer = io.BytesIO()
    Image.new("RGB", (8, 6), color).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


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
