"""The visibility rule: what a published, due post features, plus what a curator listed."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from reviews.models import Entry, Post
from reviews.visibility import (
    public_conferences,
    public_keynotes,
    public_papers,
    public_topics,
)
from tests.factories import (
    FIXED_NOW,
    ConferenceFactory,
    EntryFactory,
    KeynoteFactory,
    PaperFactory,
    PostFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db


def featuring(paper=None, keynote=None, **post_fields):
    """A post whose only entry is on `paper` or `keynote`."""
    post = PostFactory(conference=ConferenceFactory(listed=False), **post_fields)
    section = SectionFactory(post=post)
    if keynote:
        EntryFactory(section=section, kind=Entry.Kind.KEYNOTE, paper=None, keynote=keynote)
    else:
        EntryFactory(section=section, paper=paper)
    return post


def test_a_listed_paper_with_no_post_is_public_with_its_conference(client):
    conference = ConferenceFactory(listed=False)
    paper = PaperFactory(conference=conference, listed=True)
    response = client.get(paper.get_absolute_url())
    assert response.status_code == 200
    assert response.context["paper"] == paper
    assert list(public_conferences()) == [conference]
    assert client.get(conference.get_absolute_url()).context["papers"][0].pk == paper.pk


def test_an_unlisted_paper_with_no_post_is_hidden(client):
    paper = PaperFactory(listed=False, conference=ConferenceFactory(listed=False))
    assert client.get(paper.get_absolute_url()).status_code == 404
    assert (list(public_papers()), list(public_conferences())) == ([], [])


def test_a_paper_featured_by_a_published_post_and_a_draft_is_public(client):
    paper = PaperFactory(listed=False, conference=ConferenceFactory(listed=False))
    featuring(paper)
    published = featuring(paper, published=True)
    assert list(public_papers()) == [paper]
    assert set(public_conferences()) == {paper.conference, published.conference}
    response = client.get(paper.get_absolute_url())
    assert [post.slug for post in response.context["featured_in"]] == [published.slug]


def test_an_unpublished_post_features_nothing():
    paper = PaperFactory(listed=False, conference=ConferenceFactory(listed=False))
    post = featuring(paper, published=True)
    post.status = Post.Status.UNPUBLISHED
    post.save()
    assert list(public_papers()) == []


def test_a_keynote_is_public_when_listed_or_featured_and_shows_its_conference():
    hidden = KeynoteFactory(listed=False, conference=ConferenceFactory(listed=False))
    listed = KeynoteFactory(listed=True, conference=ConferenceFactory(listed=False))
    featured = KeynoteFactory(listed=False, conference=ConferenceFactory(listed=False))
    featuring(keynote=featured, published=True)
    assert set(public_keynotes()) == {listed, featured}
    assert hidden.conference not in public_conferences()
    assert {listed.conference, featured.conference} <= set(public_conferences())


def test_a_topic_of_a_hidden_paper_is_no_public_tag(client):
    PaperFactory(listed=False, conference=ConferenceFactory(listed=False)).topics.set(["okapi"])
    PaperFactory(listed=True).topics.set(["ibex"])
    assert [tag.name for tag in public_topics()] == ["ibex"]
    assert client.get("/tags/okapi/").status_code == 404
    assert client.get("/tags/ibex/").status_code == 200
    assert [tag.name for tag in client.get("/papers/").context["topics"]] == ["ibex"]


def test_a_scheduled_posts_paper_appears_when_the_post_is_due_without_a_save(client):
    with time_machine.travel(FIXED_NOW, tick=False) as traveller:
        paper = PaperFactory(listed=False, conference=ConferenceFactory(listed=False))
        featuring(
            paper,
            status=Post.Status.PUBLISHED,
            published_at=timezone.now() + datetime.timedelta(hours=2),
        )
        assert client.get(paper.get_absolute_url()).status_code == 404
        assert paper.slug.encode() not in client.get("/sitemap.xml").content
        traveller.shift(datetime.timedelta(hours=3))
        assert client.get(paper.get_absolute_url()).status_code == 200
        assert paper.slug.encode() in client.get("/sitemap.xml").content
        assert [p.pk for p in client.get("/papers/").context["papers"]] == [paper.pk]


@pytest.mark.parametrize("papers", [1, 20])
def test_the_selectors_run_one_query_at_any_size(django_assert_num_queries, papers):
    for _ in range(papers):
        featuring(PaperFactory(listed=False), published=True)
    with django_assert_num_queries(1):
        assert len(public_conferences()) == 2 * papers
    with django_assert_num_queries(1):
        assert len(public_papers()) == papers


def test_staff_preview_a_draft_only_paper_and_conference_uncached(curator_client):
    paper = PaperFactory(listed=False, conference=ConferenceFactory(listed=False))
    featuring(paper)
    for url in (paper.get_absolute_url(), paper.conference.get_absolute_url()):
        response = curator_client.get(url)
        assert response.status_code == 200, url
        assert "no-cache" in response["Cache-Control"], url
    listed = PaperFactory(listed=True)
    assert not curator_client.get(listed.get_absolute_url()).has_header("Cache-Control")
