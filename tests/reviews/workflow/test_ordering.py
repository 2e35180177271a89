"""Reordering from the outline: any permutation under the unique order constraints, one revision."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.ordering import moved
from reviews.workflow.ordering import (
    next_order,
    reorder_entries,
    reorder_images,
    reorder_sections,
)
from tests.factories import EntryFactory, GalleryImageFactory, PostFactory, SectionFactory

pytestmark = pytest.mark.django_db


def test_a_reversed_order_is_written_without_breaking_the_unique_orders(curator):
    post = PostFactory()
    sections = [SectionFactory(post=post, order=n * 3, title=str(n)) for n in range(4)]

    reorder_sections(post=post, ids=[s.pk for s in reversed(sections)], by=curator)

    assert list(post.sections.values_list("title", "order")) == [
        ("3", 0),
        ("2", 1),
        ("1", 2),
        ("0", 3),
    ]
    assert post.revisions.get().summary == "Reordered sections"


def test_images_are_reordered_within_their_entry_and_bump_the_post(curator):
    entry = EntryFactory()
    images = [GalleryImageFactory(entry=entry, order=n, alt_text=str(n)) for n in range(3)]
    post = entry.section.post
    before = post.version

    reorder_images(entry=entry, ids=[images[2].pk, images[0].pk, images[1].pk], by=curator)

    assert list(entry.images.order_by("order").values_list("alt_text", flat=True)) == [
        "2",
        "0",
        "1",
    ]
    post.refresh_from_db()
    assert post.version == before + 1


def test_an_order_that_leaves_out_an_entry_is_refused_with_nothing_changed(curator):
    section = SectionFactory()
    entries = [EntryFactory(section=section, order=n, heading=str(n)) for n in range(3)]

    with pytest.raises(ValidationError):
        reorder_entries(section=section, ids=[entries[0].pk, entries[0].pk], by=curator)

    assert list(section.entries.values_list("heading", flat=True)) == ["0", "1", "2"]
    assert not section.post.revisions.exists()


def test_a_contributor_may_not_reorder_someone_elses_post(contributor):
    post = PostFactory()
    sections = [SectionFactory(post=post, order=n) for n in range(2)]

    with pytest.raises(PermissionDenied):
        reorder_sections(post=post, ids=[sections[1].pk, sections[0].pk], by=contributor)


def test_moved_stops_at_either_end_and_next_order_appends():
    assert moved([1, 2, 3], 2, -1) == [2, 1, 3]
    assert moved([1, 2, 3], 1, -1) == [1, 2, 3]
    assert moved([1, 2, 3], 3, 1) == [1, 2, 3]
    with pytest.raises(ValidationError):
        moved([1, 2], 9, 1)


def test_next_order_follows_the_highest_sibling():
    section = SectionFactory(order=7)
    EntryFactory(section=section, order=4)
    assert next_order(SectionFactory.build(post=section.post)) == 8
    assert next_order(EntryFactory.build(section=section)) == 5
    assert next_order(EntryFactory.build(section=SectionFactory(order=0))) == 0
