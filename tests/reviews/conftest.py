import pytest

from reviews.models import Entry
from tests.factories import EntryFactory, KeynoteFactory, PostFactory, SectionFactory


@pytest.fixture
def keynote_in_post(db):
    """make(speaker=..., title=..., published=...) -> (post, keynote): an unlisted keynote that
    only that post's one entry features, so it is public exactly while the post is."""

    def make(*, speaker="Ada Speaker", title="Scaling laws", published=True):
        post = PostFactory(published=published)
        talk = KeynoteFactory(
            conference=post.conference, listed=False, speaker=speaker, title=title
        )
        section = SectionFactory(post=post, order=0)
        EntryFactory(section=section, order=0, kind=Entry.Kind.KEYNOTE, paper=None, keynote=talk)
        return post, talk

    return make
