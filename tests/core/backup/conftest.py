"""The small site the backup tests export and restore."""

import pytest

from tests.factories import EntryFactory, GalleryImageFactory, PostFactory
from tests.imagefiles import slide, upload


@pytest.fixture
def site(settings, tmp_path):
    """A published post with a cover and a slide (each with its renditions) and a draft."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    post = PostFactory(
        published=True, slug="kept", cover_image=upload("cover.png", slide(1200, 675))
    )
    entry = EntryFactory(section__post=post)
    GalleryImageFactory(
        entry=entry, image=upload("slide.png", slide(900, 500, color=(90, 10, 10))), external_url=""
    )
    PostFactory(slug="a-draft")
    post.refresh_from_db()
    return post
