"""Deterministic factories: sequences, no fuzzy values."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.text import slugify

from papers.models import (
    Author,
    Authorship,
    Conference,
    Paper,
    PaperLink,
    PaperVideo,
    PeerReviewExcerpt,
)
from reviews.models import Entry, GalleryImage, Keynote, KeynoteVideo, Post, Section
from reviews.workflow.speakers import link_keynote_speakers

FIXED_NOW = datetime.datetime(2024, 1, 15, 12, 0, tzinfo=datetime.UTC)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct horse battery")


def staff_member(username, group_name):
    """A staff user in one of the editorial groups (Curators, Contributors)."""
    from django.contrib.auth.models import Group

    user = UserFactory(username=username, is_staff=True)
    user.groups.add(Group.objects.get(name=group_name))
    return user


class ConferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Conference

    short_name = factory.Sequence(lambda n: f"Conf{n}")
    year = 2023
    slug = factory.LazyAttribute(lambda c: slugify(f"{c.short_name}-{c.year}"))
    full_name = factory.LazyAttribute(lambda c: f"{c.short_name} Annual Meeting")
    # Listed, so a record made on its own is public; tests of the visibility rule pass False.
    listed = True


class AuthorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Author

    name = factory.Sequence(lambda n: f"Author Number{n}")


class PaperFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Paper

    conference = factory.SubFactory(ConferenceFactory)
    title = factory.Sequence(lambda n: f"A Study of Topic {n}")
    abstract = "We study a topic and report what we found."
    tldr = "A topic, studied."
    listed = True


class AuthorshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Authorship

    paper = factory.SubFactory(PaperFactory)
    author = factory.SubFactory(AuthorFactory)
    order = factory.Sequence(int)
    affiliation = "Example University"


class PaperLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PaperLink

    paper = factory.SubFactory(PaperFactory)
    url = factory.Sequence(lambda n: f"https://arxiv.org/abs/2401.{n:05d}")
    order = factory.Sequence(int)


class PeerReviewExcerptFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PeerReviewExcerpt

    paper = factory.SubFactory(PaperFactory)
    reviewer_label = factory.Sequence(lambda n: f"Reviewer R{n:03d}")
    rating = 6
    text = "The method is sound and the experiments are convincing."
    order = factory.Sequence(int)


class KeynoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Keynote
        skip_postgeneration_save = True

    conference = factory.SubFactory(ConferenceFactory)
    speaker = factory.Sequence(lambda n: f"Speaker {n}")
    title = factory.Sequence(lambda n: f"Keynote Talk {n}")
    listed = True

    @factory.post_generation
    def speaker_links(keynote, create, extracted, **kwargs):
        """Linked to the speaker's Author record as every creation path does (the service)."""
        if create:
            link_keynote_speakers(keynote=keynote)


class PaperVideoFactory(factory.django.DjangoModelFactory):
    """An approved video; pass `state=PaperVideo.State.WAITING` for a suggestion."""

    class Meta:
        model = PaperVideo

    paper = factory.SubFactory(PaperFactory)
    url = factory.Sequence(lambda n: f"https://www.youtube.com/watch?v=video{n:06d}")
    title = factory.Sequence(lambda n: f"Talk {n}")
    state = PaperVideo.State.APPROVED


class KeynoteVideoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KeynoteVideo

    keynote = factory.SubFactory(KeynoteFactory)
    url = factory.Sequence(lambda n: f"https://vimeo.com/{100000 + n}")
    title = factory.Sequence(lambda n: f"Recording {n}")
    state = KeynoteVideo.State.APPROVED


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post

    title = factory.Sequence(lambda n: f"Conference Review {n}")
    slug = factory.Sequence(lambda n: f"conference-review-{n}")
    conference = factory.SubFactory(ConferenceFactory)
    author_name = "Ada Curator"
    intro = "What happened at the conference."
    status = Post.Status.DRAFT

    class Params:
        published = factory.Trait(
            status=Post.Status.PUBLISHED,
            published_at=factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1)),
        )


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    post = factory.SubFactory(PostFactory)
    title = "Selected papers"
    order = factory.Sequence(int)


class EntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Entry

    section = factory.SubFactory(SectionFactory)
    order = factory.Sequence(int)
    kind = Entry.Kind.PAPER
    paper = factory.SubFactory(PaperFactory)
    summary = "The authors show something interesting."
    link_url = "https://arxiv.org/abs/2306.15794"


class GalleryImageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GalleryImage

    entry = factory.SubFactory(EntryFactory)
    external_url = factory.Sequence(lambda n: f"https://img.example.org/slide{n}.png")
    alt_text = factory.Sequence(lambda n: f"Slide {n}")
    order = factory.Sequence(int)
