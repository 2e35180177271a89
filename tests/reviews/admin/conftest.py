import pytest

from tests.factories import EntryFactory, GalleryImageFactory, PostFactory, SectionFactory


def build_big_post(*, sections=3, entries=30, images=200, published=False, **post_fields):
    """A post of `entries` entries over `sections` sections, `images` slides in all: the size
    issue 14 asked to save (real posts have 39-90 images). A draft by default: a published
    post's editor is its working copy, the same page for a draft (reviews.workflow.drafts)."""
    post = PostFactory(published=published, **post_fields)
    parts = [SectionFactory(post=post, order=n, title=f"Section {n + 1}") for n in range(sections)]
    made = [
        EntryFactory(section=parts[n % sections], order=n, heading=f"Entry {n + 1}")
        for n in range(entries)
    ]
    for n in range(images):
        GalleryImageFactory(entry=made[n % entries], order=n)
    return post


@pytest.fixture
def big_post(db):
    return build_big_post()
