"""People pages: /authors/ with search, /authors/<slug>/ with papers, affiliations, co-authors,
keynotes and posts; only people of public papers or keynotes."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from papers.models import Paper
from reviews.workflow.editing import save_keynote
from reviews.workflow.publishing import publish_post
from tests.factories import (
    AuthorFactory,
    AuthorshipFactory,
    ConferenceFactory,
    EntryFactory,
    KeynoteFactory,
    PaperFactory,
    PostFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def ada():
    ada = AuthorFactory(name="Ada Lovelace", orcid="0000-0002-1825-0097")
    grace = AuthorFactory(name="Grace Hopper")
    old = PaperFactory(
        title="Old work", listed=True, publication_date=datetime.date(2019, 3, 1),
        outcome="accepted_poster",
    )  # fmt: skip
    new = PaperFactory(title="New work", listed=True, publication_date=datetime.date(2024, 6, 1))
    hidden = PaperFactory(title="Draft-only work", listed=False)
    AuthorshipFactory(paper=old, author=ada, order=0, affiliation="University of London")
    AuthorshipFactory(paper=new, author=ada, order=0, affiliation="Analytical Engines Ltd")
    AuthorshipFactory(paper=new, author=grace, order=1)
    AuthorshipFactory(paper=hidden, author=ada, order=0, affiliation="Secret Lab")
    conference = ConferenceFactory(short_name="EngineConf", year=2024, listed=True)
    KeynoteFactory(speaker="Ada Lovelace", title="Notes on the engine", conference=conference,
                   listed=True)  # fmt: skip
    KeynoteFactory(speaker="Ada Lovelace", title="Unlisted talk", listed=False)
    post = PostFactory(published=True, title="A review with Ada", conference=conference)
    EntryFactory(section=SectionFactory(post=post, order=0), order=0, paper=new)
    return ada


def test_the_person_page_lists_papers_newest_first_affiliations_coauthors_talks_posts(client, ada):
    response = client.get("/authors/ada-lovelace/")
    html = response.content.decode()
    assert [paper.title for paper in response.context["papers"]] == ["New work", "Old work"]
    assert response.context["affiliations"] == [
        ("Analytical Engines Ltd", "2024"),
        ("University of London", "2019"),
    ]
    assert [person.name for person in response.context["coauthors"]] == ["Grace Hopper"]
    assert [k.title for k in response.context["keynotes"]] == ["Notes on the engine"]
    assert [post.title for post in response.context["posts"]] == ["A review with Ada"]
    assert "Accepted (poster)" in html
    assert '<a href="https://orcid.org/0000-0002-1825-0097">ORCID 0000-0002-1825-0097</a>' in html
    assert "Draft-only work" not in html and "Secret Lab" not in html and "Unlisted" not in html


def test_author_names_on_paper_pages_and_cards_link_to_their_page(client, ada):
    paper_page = client.get("/papers/new-work/").content.decode()
    assert '<a href="/authors/ada-lovelace/">Ada Lovelace</a>' in paper_page
    assert '<a href="/authors/grace-hopper/">Grace Hopper</a>' in paper_page
    card = client.get("/papers/").content.decode()
    assert '<a href="/authors/ada-lovelace/">Ada Lovelace</a>' in card


def test_the_list_shows_only_people_of_public_papers_or_keynotes_and_searches(client, ada):
    only_draft = AuthorFactory(name="Nobody Public")
    AuthorshipFactory(paper=PaperFactory(listed=False), author=only_draft)
    speaker = AuthorFactory(name="Speaker Only")
    KeynoteFactory(speaker="Speaker Only", listed=True)
    response = client.get("/authors/")
    assert [a.name for a in response.context["authors"]] == [
        "Ada Lovelace",
        "Grace Hopper",
        "Speaker Only",
    ]
    assert client.get(f"/authors/{only_draft.slug}/").status_code == 404
    assert client.get(f"/authors/{speaker.slug}/").status_code == 200
    searched = client.get("/authors/?q=hopp")
    assert [a.name for a in searched.context["authors"]] == ["Grace Hopper"]
    assert "1 person" in searched.content.decode()


def test_the_list_pages_through_every_public_person_by_name(client):
    paper = PaperFactory(listed=True)
    for i in range(52):
        AuthorshipFactory(paper=paper, author=AuthorFactory(name=f"Person {i:02}"), order=i)
    AuthorshipFactory(paper=PaperFactory(listed=False), author=AuthorFactory(name="Person 99"))

    first, second = client.get("/authors/"), client.get("/authors/?page=2")

    assert [a.name for a in first.context["authors"]] == [f"Person {i:02}" for i in range(50)]
    assert [a.name for a in second.context["authors"]] == ["Person 50", "Person 51"]
    assert '<li><a href="/authors/person-51/">Person 51</a></li>' in second.content.decode()
    assert "52 people" in second.content.decode()
    assert client.get("/authors/?page=3").status_code == 404


def test_the_sitemap_lists_public_people_only(client, ada):
    AuthorshipFactory(paper=PaperFactory(listed=False), author=AuthorFactory(name="Hidden Zed"))
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "/authors/ada-lovelace/</loc>" in sitemap
    assert "/authors/</loc>" in sitemap
    assert "hidden-zed" not in sitemap


@pytest.mark.parametrize("size", [2, 15])
def test_the_person_page_runs_a_fixed_number_of_queries(client, django_assert_num_queries, size):
    author = AuthorFactory(name="Prolific Person")
    for i in range(size):
        paper = PaperFactory(listed=True)
        AuthorshipFactory(paper=paper, author=author, order=0, affiliation=f"Lab {i}")
        AuthorshipFactory(paper=paper, order=1)
        KeynoteFactory(speaker="Prolific Person", listed=True)
    # author, papers (their stored cards), authorships with their authors, keynotes, posts
    with django_assert_num_queries(5):
        response = client.get(author.get_absolute_url())
    assert len(response.context["coauthors"]) == size
    assert len(response.context["keynotes"]) == size


def test_the_person_page_lists_a_keynote_linked_by_hand_but_never_a_draft_only_one(
    client, curator, keynote_in_post
):
    charles = AuthorFactory(name="Charles Babbage")
    _, talk = keynote_in_post(speaker="Ada Lovelace and Charles Babbage", title="Engines")
    _, hidden = keynote_in_post(speaker="Charles Babbage", title="Hidden", published=False)
    for keynote in (talk, hidden):
        save_keynote(
            keynote=keynote, by=curator, expected_version=keynote.version, speakers=[(charles, "")]
        )

    response = client.get(charles.get_absolute_url())

    assert [keynote.title for keynote in response.context["keynotes"]] == ["Engines"]
    assert "Hidden" not in response.content.decode()


def test_a_person_linked_by_hand_only_to_a_draft_only_keynote_has_no_page(
    client, curator, keynote_in_post
):
    charles = AuthorFactory(name="Charles Babbage")
    _, hidden = keynote_in_post(speaker="C. Babbage", title="Hidden", published=False)
    save_keynote(
        keynote=hidden, by=curator, expected_version=hidden.version, speakers=[(charles, "")]
    )

    assert client.get(charles.get_absolute_url()).status_code == 404
    assert client.get(f"/api/v1/authors/{charles.slug}/").status_code == 404


def test_a_person_whose_paper_only_a_scheduled_post_features_appears_when_it_is_due(
    client, curator
):
    due = timezone.now() + datetime.timedelta(days=2)
    paper = PaperFactory(title="Scheduled work", listed=False)
    AuthorshipFactory(paper=paper, author=AuthorFactory(name="Alan Turing"), order=0)
    AuthorshipFactory(paper=paper, author=AuthorFactory(name="Joan Clarke"), order=1)
    post = PostFactory(title="A review to come", conference=ConferenceFactory(listed=True))
    EntryFactory(section=SectionFactory(post=post, order=0), order=0, paper=paper)
    publish_post(post=post, by=curator, at=due)
    listed = PaperFactory(title="Listed work", listed=True)
    AuthorshipFactory(paper=listed, author=AuthorFactory(name="Grace Hopper"), order=0)
    assert client.get("/authors/grace-hopper/").status_code == 200  # every read compiled now

    assert client.get("/authors/alan-turing/").status_code == 404
    with time_machine.travel(due + datetime.timedelta(seconds=1)):
        response = client.get("/authors/alan-turing/")
    assert [paper.title for paper in response.context["papers"]] == ["Scheduled work"]
    assert [person.name for person in response.context["coauthors"]] == ["Joan Clarke"]
    assert [post.title for post in response.context["posts"]] == ["A review to come"]
    assert client.get("/authors/alan-turing/").status_code == 404


def test_staff_preview_a_person_whose_papers_only_a_draft_features(curator_client, ada):
    response = curator_client.get("/authors/ada-lovelace/")
    titles = [paper.title for paper in response.context["papers"]]
    assert titles == ["New work", "Old work", "Draft-only work"]
    assert response.context["affiliations"] == [
        ("Analytical Engines Ltd", "2024"),
        ("Secret Lab", str(Paper.objects.get(title="Draft-only work").conference.year)),
        ("University of London", "2019"),
    ]
    assert [k.title for k in response.context["keynotes"]] == [
        "Notes on the engine",
        "Unlisted talk",
    ]
