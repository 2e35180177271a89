import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from papers.models import Author, Conference, Paper
from tests.factories import (
    AuthorshipFactory,
    ConferenceFactory,
    EntryFactory,
    PaperFactory,
    PeerReviewExcerptFactory,
)

pytestmark = pytest.mark.django_db


def test_conference_slug_defaults_to_name_and_year():
    conference = Conference.objects.create(short_name="NeurIPS", year=2023)
    assert conference.slug == "neurips-2023"
    assert str(conference) == "NeurIPS 2023"
    assert conference.get_absolute_url() == "/conferences/neurips-2023/"


def test_conference_name_and_year_are_unique():
    Conference.objects.create(short_name="ICML", year=2024)
    with pytest.raises(IntegrityError), transaction.atomic():
        Conference.objects.create(short_name="ICML", year=2024, slug="icml-2024-b")


def test_conference_cannot_end_before_it_starts():
    import datetime

    with pytest.raises(IntegrityError), transaction.atomic():
        Conference.objects.create(
            short_name="ICLR",
            year=2024,
            start_date=datetime.date(2024, 5, 7),
            end_date=datetime.date(2024, 5, 1),
        )


def test_paper_slugs_are_unique_and_derived_from_the_title():
    first = PaperFactory(title="HyenaDNA: Long-Range Genomic Sequence Modeling")
    second = PaperFactory(title="HyenaDNA: Long-Range Genomic Sequence Modeling")
    assert first.slug == "hyenadna-long-range-genomic-sequence-modeling"
    assert second.slug == "hyenadna-long-range-genomic-sequence-modeling-2"
    assert first.get_absolute_url() == f"/papers/{first.slug}/"


def test_authorship_order_is_unique_within_a_paper():
    authorship = AuthorshipFactory(order=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        AuthorshipFactory(paper=authorship.paper, order=0)


def test_authors_keep_their_order_and_affiliation():
    paper = PaperFactory()
    AuthorshipFactory(paper=paper, order=1, author__name="Second", affiliation="DTU")
    AuthorshipFactory(paper=paper, order=0, author__name="First", affiliation="Chalmers")
    assert [(a.author.name, a.affiliation) for a in paper.authorships.all()] == [
        ("First", "Chalmers"),
        ("Second", "DTU"),
    ]


def test_author_slug_is_unique_for_namesakes():
    assert Author.objects.create(name="J Gong").slug == "j-gong"
    assert Author.objects.create(name="J Gong").slug == "j-gong-2"


def test_review_excerpt_order_is_unique_within_a_paper():
    excerpt = PeerReviewExcerptFactory(order=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        PeerReviewExcerptFactory(paper=excerpt.paper, order=3)


def test_findings_keep_their_order():
    paper = PaperFactory(findings=["first", "second", "third"])
    paper.refresh_from_db()
    assert paper.findings == ["first", "second", "third"]


def test_deleting_a_paper_featured_in_a_post_is_refused():
    entry = EntryFactory()
    with pytest.raises(ProtectedError):
        entry.paper.delete()
    assert Paper.objects.filter(pk=entry.paper.pk).exists()


def test_deleting_a_conference_with_papers_is_refused():
    paper = PaperFactory()
    with pytest.raises(ProtectedError):
        paper.conference.delete()


def test_paper_topics_match_case_insensitively():
    paper = PaperFactory()
    paper.topics.add("Protein Design")
    other = PaperFactory(conference=ConferenceFactory())
    other.topics.add("protein design")
    assert list(Paper.objects.filter(topics__name__iexact="protein design").order_by("pk")) == [
        paper,
        other,
    ]
    assert paper.topics.get().pk == other.topics.get().pk
