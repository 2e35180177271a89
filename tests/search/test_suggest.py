"""Search-as-you-type suggestions on both databases: sources, prefixes, drafts, the endpoint."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from search.suggest import suggest
from tests.factories import (
    AuthorFactory,
    AuthorshipFactory,
    ConferenceFactory,
    EntryFactory,
    PaperFactory,
    PostFactory,
)

pytestmark = pytest.mark.django_db


def labels(found):
    return [(s.kind, s.label) for s in found]


def test_a_prefix_suggests_papers_authors_tags_conferences_and_posts():
    neurips = ConferenceFactory(short_name="Hyenacon", year=2023, slug="hyenacon-2023")
    paper = PaperFactory(title="HyenaDNA: Long-Range Genomic Models", conference=neurips)
    paper.topics.set(["hyena genomics"])
    AuthorshipFactory(paper=paper, author=AuthorFactory(name="Eric Hyenason", slug="eric-h"))
    PostFactory(published=True, title="Hyena notes from the meeting", conference=neurips)
    assert labels(suggest(query="hyen")) == [
        ("paper", "HyenaDNA: Long-Range Genomic Models"),
        ("author", "Eric Hyenason"),
        ("tag", "hyena genomics"),
        ("conference", "Hyenacon 2023"),
        ("post", "Hyena notes from the meeting"),
    ]


def test_every_word_must_start_a_word_of_the_suggestion():
    PaperFactory(title="Protein language models at scale")
    PaperFactory(title="Protein folding with diffusion")
    assert labels(suggest(query="protein lang")) == [("paper", "Protein language models at scale")]
    assert labels(suggest(query="rotein")) == []


def test_suggestions_link_to_public_pages():
    paper = PaperFactory(title="Okapi sequence models")
    author = AuthorFactory(name="Olga Okapian", slug="olga-okapian")
    AuthorshipFactory(paper=paper, author=author)
    found = {s.kind: s for s in suggest(query="okap")}
    assert found["paper"].url == paper.get_absolute_url()
    assert found["paper"].detail == str(paper.conference)
    assert found["author"].url == "/authors/olga-okapian/"


def test_drafts_and_what_only_drafts_feature_are_never_suggested():
    draft = PostFactory(title="Quagga draft review")
    hidden = PaperFactory(title="Quagga hidden paper", listed=False)
    EntryFactory(section__post=draft, paper=hidden)
    AuthorshipFactory(paper=hidden, author=AuthorFactory(name="Quentin Quagga"))
    hidden.topics.set(["quagga studies"])
    assert suggest(query="quag") == []


def test_short_or_empty_input_suggests_nothing_without_querying(django_assert_num_queries):
    PaperFactory(title="A paper")
    with django_assert_num_queries(0):
        assert suggest(query="") == []
        assert suggest(query="a") == []
        assert suggest(query="!!") == []
        assert suggest(query=None) == []


def test_the_endpoint_answers_json_that_may_be_cached_briefly(client):
    PaperFactory(title="Tapir <b>bold</b> models")
    response = client.get("/search/suggest", {"q": "tapir"})
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "public, max-age=60"
    body = response.json()
    assert body["query"] == "tapir"
    assert [(s["kind"], s["label"]) for s in body["suggestions"]] == [
        ("paper", "Tapir <b>bold</b> models")
    ]


@pytest.mark.parametrize("query", ["x" * 10_000, "'; DROP TABLE papers_paper; --", '"', "-or"])
def test_the_endpoint_takes_any_input_without_an_error(client, query):
    response = client.get("/search/suggest", {"q": query})
    assert response.status_code == 200
    assert response.json()["suggestions"] == []


def test_the_endpoint_refuses_other_methods(client):
    assert client.post("/search/suggest", {"q": "tapir"}).status_code == 405


@pytest.mark.parametrize("count", [3, 12])
def test_suggestions_are_one_query_at_any_size(count):
    conference = ConferenceFactory(short_name="Zorilla", slug="zorilla-2023")
    for n in range(count):
        paper = PaperFactory(title=f"Zorilla study {n}", conference=conference)
        paper.topics.add(f"zorilla {n}")
        AuthorshipFactory(paper=paper, author=AuthorFactory(name=f"Zora Zorilla{n}"))
        PostFactory(published=True, title=f"Zorilla review {n}", conference=conference)
    with CaptureQueriesContext(connection) as first:
        found = suggest(query="zoril")
    with CaptureQueriesContext(connection) as again:
        again_found = suggest(query="zorilla rev")
    shown = min(count, 4)
    kinds = ["paper"] * shown + ["author"] * shown + ["tag"] * shown + ["conference"]
    assert [s.kind for s in found] == [*kinds, *["post"] * shown][:10]
    assert [s.kind for s in again_found] == ["post"] * shown
    assert (len(first), len(again)) == (1, 1)


def test_a_word_that_starts_the_label_ranks_first_then_the_shorter_label():
    PaperFactory(title="Learning to rank with a long title about otters")
    PaperFactory(title="Otters in rivers and in the sea")
    PaperFactory(title="Otters at play")
    AuthorshipFactory(paper=PaperFactory(title="Seals"), author=AuthorFactory(name="Ann Otter"))
    assert labels(suggest(query="otter"))[:4] == [
        ("paper", "Otters at play"),
        ("paper", "Otters in rivers and in the sea"),
        ("paper", "Learning to rank with a long title about otters"),
        ("paper", "Seals"),
    ]


def test_a_prefix_shared_by_many_words_of_one_title_suggests_it_once():
    PaperFactory(title="Pangolin pangenomes: pan-species panels")
    assert labels(suggest(query="pa")) == [("paper", "Pangolin pangenomes: pan-species panels")]


def test_a_change_to_the_content_shows_in_the_next_suggestions():
    PaperFactory(title="Oryx habitats")
    assert labels(suggest(query="oryx")) == [("paper", "Oryx habitats")]
    PostFactory(published=True, title="Oryx meeting notes")
    assert labels(suggest(query="oryx")) == [
        ("paper", "Oryx habitats"),
        ("post", "Oryx meeting notes"),
    ]


def test_a_scheduled_post_is_suggested_once_it_is_due(time_machine):
    time_machine.move_to("2026-06-01 12:00Z", tick=False)
    PostFactory(
        published=True,
        title="Serval field report",
        published_at=datetime.datetime(2026, 6, 2, 9, 0, tzinfo=datetime.UTC),
    )
    assert suggest(query="serval") == []
    time_machine.move_to("2026-06-02 09:01Z", tick=False)
    assert labels(suggest(query="serval")) == [("post", "Serval field report")]
