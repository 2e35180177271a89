"""The records an import names: a conference's papers are matched by normalized title from
plain rows, and only a paper the post names becomes a model instance."""

import pytest
from django.db.models.signals import post_init

from papers.models import Paper
from reviews.markdown.references import known_records, normalized_title
from tests.factories import ConferenceFactory, PaperFactory

pytestmark = pytest.mark.django_db


def test_a_known_paper_is_found_by_its_normalized_title(django_assert_num_queries):
    conference = ConferenceFactory()
    paper = PaperFactory(conference=conference, title="A  Study of   Proteins")
    PaperFactory(title="A Study of Proteins")  # another conference's
    with django_assert_num_queries(1):
        papers = known_records(conference)["papers"]
        found = papers.get(normalized_title("a study of proteins"))
    assert (found.pk, found.title, found.slug) == (paper.pk, paper.title, paper.slug)
    assert papers.get(normalized_title("A Study of Genomes")) is None


def test_only_the_papers_a_post_names_become_instances():
    conference = ConferenceFactory()
    named = PaperFactory.create_batch(20, conference=conference)[0]
    made = []

    def count(sender, instance, **kwargs):
        made.append(instance.pk)

    post_init.connect(count, sender=Paper)
    try:
        papers = known_records(conference)["papers"]
        assert papers.get(normalized_title(named.title)) == named
    finally:
        post_init.disconnect(count, sender=Paper)
    assert made == [named.pk]


def test_a_new_conference_costs_no_query(django_assert_num_queries):
    conference = ConferenceFactory()
    PaperFactory(conference=conference)
    with django_assert_num_queries(0):
        papers = known_records(conference, new=True)["papers"]
        assert papers.get("anything") is None
