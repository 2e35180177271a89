import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from reviews.models import Entry, GalleryImage, Post
from tests.factories import (
    EntryFactory,
    GalleryImageFactory,
    KeynoteFactory,
    PaperFactory,
    PostFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db


def test_published_excludes_drafts_and_scheduled_posts():
    live = PostFactory(published=True)
    PostFactory()
    PostFactory(
        status=Post.Status.PUBLISHED, published_at=timezone.now() + datetime.timedelta(days=1)
    )
    assert list(Post.objects.published()) == [live]


def test_publishing_without_a_date_stamps_now():
    post = PostFactory(status=Post.Status.PUBLISHED)
    assert post.published_at is not None
    assert post.is_public


def test_a_published_post_must_have_a_date_in_the_database():
    post = PostFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Post.objects.filter(pk=post.pk).update(status=Post.Status.PUBLISHED, published_at=None)


def test_post_slug_is_unique():
    PostFactory(slug="neurips-2023")
    with pytest.raises(IntegrityError), transaction.atomic():
        PostFactory(slug="neurips-2023")


def test_post_slug_defaults_from_title():
    post = Post.objects.create(title="NeurIPS 2023 Health & Bio Conference Review")
    assert post.slug == "neurips-2023-health-bio-conference-review"
    assert post.get_absolute_url() == "/posts/neurips-2023-health-bio-conference-review/"


def test_tags_are_case_insensitive():
    first = PostFactory()
    first.tags.add("Conference Review")
    second = PostFactory()
    second.tags.add("conference review")
    assert first.tags.get().pk == second.tags.get().pk


def test_reading_time_is_computed_from_the_words():
    post = PostFactory(intro="word " * 450, conclusion="")
    assert post.compute_reading_time(["more " * 50]) == "3 min"
    assert PostFactory(intro="").compute_reading_time() == "1 min"


def test_section_order_is_unique_within_a_post():
    section = SectionFactory(order=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        SectionFactory(post=section.post, order=0)


def test_entry_points_to_exactly_one_target():
    section = SectionFactory()
    paper = PaperFactory()
    keynote = KeynoteFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Entry.objects.create(
            section=section, kind=Entry.Kind.PAPER, paper=paper, keynote=keynote, order=1
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Entry.objects.create(section=section, kind=Entry.Kind.KEYNOTE, order=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        Entry.objects.create(section=section, kind=Entry.Kind.FREE, heading="", order=3)
    free = Entry.objects.create(section=section, kind=Entry.Kind.FREE, heading="Panel", order=4)
    assert str(free) == "Panel"


def test_entry_heading_falls_back_to_its_target():
    keynote = KeynoteFactory(title="Delusion of Scaling", speaker="Björn Ommer")
    keynote_entry = EntryFactory(kind=Entry.Kind.KEYNOTE, keynote=keynote, paper=None)
    paper_entry = EntryFactory(paper__title="HyenaDNA")
    assert keynote_entry.display_heading == "Delusion of Scaling - Björn Ommer"
    assert paper_entry.display_heading == "HyenaDNA"
    paper_entry.heading = "HyenaDNA (oral)"
    assert paper_entry.display_heading == "HyenaDNA (oral)"


def test_entry_order_is_unique_within_a_section():
    entry = EntryFactory(order=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        EntryFactory(section=entry.section, order=0)


def test_gallery_image_needs_exactly_one_source():
    entry = EntryFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        GalleryImage.objects.create(entry=entry, order=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        GalleryImage.objects.create(
            entry=entry, order=1, image="gallery/x.png", external_url="https://x.org/a.png"
        )
    image = GalleryImageFactory(entry=entry, external_url="https://x.org/a.png", order=2)
    assert image.src == "https://x.org/a.png"


def test_deleting_a_post_deletes_its_sections_entries_and_images():
    image = GalleryImageFactory()
    post = image.entry.section.post
    paper = image.entry.paper
    post.delete()
    assert not GalleryImage.objects.exists()
    assert not Entry.objects.exists()
    paper.refresh_from_db()
