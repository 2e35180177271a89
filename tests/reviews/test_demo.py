import io

import pytest
from django.core.management import call_command

from papers.models import Paper
from reviews.models import Entry, GalleryImage, Keynote, Post

pytestmark = pytest.mark.django_db


def test_load_demo_creates_a_published_post_shaped_like_the_example():
    call_command("load_demo", stdout=io.StringIO())
    post = Post.objects.published().get()
    assert post.title == "NeurIPS 2023 Health & Bio Conference Review"
    assert [s.title for s in post.sections.all()] == ["Keynotes", "Selected papers"]
    assert Entry.objects.filter(kind=Entry.Kind.KEYNOTE).count() == 2
    assert Entry.objects.filter(kind=Entry.Kind.PAPER).count() == 12
    assert GalleryImage.objects.count() == 14 * 4
    assert list(post.tags.names()) == ["conference review"]
    assert post.conclusion and post.disclaimer.startswith("DISCLAIMER")


def test_load_demo_is_idempotent():
    call_command("load_demo", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())
    assert Post.objects.count() == 1
    assert Paper.objects.count() == 12
    assert Keynote.objects.count() == 2
    assert Entry.objects.count() == 14
    assert GalleryImage.objects.count() == 56


def test_demo_slides_have_descriptive_alt_text():
    call_command("load_demo", stdout=io.StringIO())
    assert not GalleryImage.objects.filter(alt_text="").exists()
    first = GalleryImage.objects.order_by("entry__section__order", "entry__order", "order")[0]
    assert first.alt_text == (
        "Slide 1 of 4: Delusion of Scaling and Democratization of Generative Models - Björn Ommer"
    )
