"""Site search on both databases: drafts, filters, facets, pages, bad queries, query counts."""

import datetime
import io
import re

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from papers.models import Paper
from reviews.workflow.publishing import publish_post, unpublish_post
from search.query import RANK_LIMIT, search
from tests.factories import (
    AuthorFactory,
    AuthorshipFactory,
    ConferenceFactory,
    EntryFactory,
    KeynoteFactory,
    PaperFactory,
    PeerReviewExcerptFactory,
    PostFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db


def urls(results):
    return [r.url for r in results.results]


def longest_word(text):
    return max(re.findall(r"[A-Za-z]{4,}", text), key=len)


def test_search_finds_each_demo_paper_by_a_title_word_a_tldr_word_and_an_author():
    call_command("load_demo", stdout=io.StringIO())
    papers = Paper.objects.prefetch_related("authorships__author")
    assert len(papers) == 18
    for paper in papers:
        author = paper.authorships.all()[0].author.name.split()[-1]
        for query in (longest_word(paper.title), longest_word(paper.tldr), author):
            found = search(query=query, kind="paper", per_page=50)
            assert paper.get_absolute_url() in urls(found), (paper.title, query)


def test_drafts_and_scheduled_posts_never_appear_in_results_or_counts():
    draft = PostFactory(title="Zanzibarian draft", intro="Zanzibarian notes")
    SectionFactory(post=draft)
    EntryFactory(section__post=draft, summary="A Zanzibarian summary", heading="Zanzibarian")
    PostFactory(
        title="Zanzibarian scheduled",
        status="published",
        published_at=timezone.now() + datetime.timedelta(days=1),
    )
    results = search(query="Zanzibarian")
    assert results.results == []
    assert results.total_all == 0
    assert {f.key: f.count for f in results.facets} == {
        "paper": 0,
        "post": 0,
        "keynote": 0,
        "entry": 0,
        "review": 0,
    }


def counts(results):
    return {f.key: f.count for f in results.facets if f.count}


def test_a_paper_only_a_draft_features_is_found_once_published_and_gone_once_unpublished(
    curator,
):
    paper = PaperFactory(title="Okapi habitats", listed=False)
    PeerReviewExcerptFactory(paper=paper, text="The okapi survey is thorough.")
    post = PostFactory(title="Notes from a forest")
    EntryFactory(section__post=post, paper=paper, heading="", summary="Why it matters.")
    assert counts(search(query="okapi")) == {}

    publish_post(post=post, by=curator)
    assert counts(search(query="okapi")) == {"paper": 1, "entry": 1, "review": 1}

    unpublish_post(post=post, by=curator)
    found = search(query="okapi")
    assert (counts(found), found.results) == ({}, [])


def test_a_scheduled_posts_paper_is_found_when_the_post_is_due(curator):
    with time_machine.travel(datetime.datetime(2026, 3, 1, 9, tzinfo=datetime.UTC), tick=False):
        paper = PaperFactory(title="Tapir trails", listed=False)
        post = PostFactory(title="Notes from a forest")
        EntryFactory(section__post=post, paper=paper, heading="", summary="Why it matters.")
        publish_post(post=post, by=curator, at=timezone.now() + datetime.timedelta(hours=2))
        assert counts(search(query="tapir")) == {}
    with time_machine.travel(datetime.datetime(2026, 3, 1, 12, tzinfo=datetime.UTC), tick=False):
        assert counts(search(query="tapir")) == {"paper": 1, "entry": 1}


def test_the_conference_filter_lists_a_scheduled_posts_conference_once_it_is_due(client, curator):
    ConferenceFactory(short_name="Listed", year=2024, listed=True)
    ConferenceFactory(short_name="Hidden", year=2025, listed=False)
    scheduled = ConferenceFactory(short_name="Tapirconf", year=2026, listed=False)

    def options():
        html = client.get("/search/", {"q": "tapir"}).content.decode()
        select = html[html.index('<select id="search-conference"') :]
        return re.findall(
            r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select.split("</select>")[0]
        )

    with time_machine.travel(datetime.datetime(2026, 3, 1, 9, tzinfo=datetime.UTC), tick=False):
        post = PostFactory(title="Notes from a forest", conference=scheduled)
        publish_post(post=post, by=curator, at=timezone.now() + datetime.timedelta(hours=2))
        before = options()
    with time_machine.travel(datetime.datetime(2026, 3, 1, 12, tzinfo=datetime.UTC), tick=False):
        due = options()
    with time_machine.travel(datetime.datetime(2026, 3, 1, 10, tzinfo=datetime.UTC), tick=False):
        again = options()
    assert before == again == [("", "Any conference"), ("listed-2024", "Listed 2024")]
    assert due == [
        ("", "Any conference"),
        ("tapirconf-2026", "Tapirconf 2026"),
        ("listed-2024", "Listed 2024"),
    ]


def test_a_tag_reaches_entries_through_their_post_or_their_paper_and_excerpts_through_theirs():
    by_post = PostFactory(published=True, title="Plain one")
    by_post.tags.set(["ecology"])
    EntryFactory(section__post=by_post, summary="Dugong, tagged post", paper=PaperFactory())
    topical = PaperFactory(title="Plain paper")
    topical.topics.set(["ecology"])
    EntryFactory(section__post=PostFactory(published=True), summary="Dugong", paper=topical)
    PeerReviewExcerptFactory(paper=topical, text="Dugong review")
    untagged = PaperFactory(title="Dugong paper")
    EntryFactory(section__post=PostFactory(published=True), summary="Dugong", paper=untagged)
    PeerReviewExcerptFactory(paper=untagged, text="Dugong review")
    assert counts(search(query="dugong", tag="ecology")) == {"entry": 2, "review": 1}
    assert counts(search(query="dugong")) == {"paper": 1, "entry": 3, "review": 2}


def test_search_covers_posts_entries_papers_keynotes_and_shown_excerpts_only():
    post = PostFactory(published=True, title="Quokka review")
    EntryFactory(section__post=post, summary="Quokka summary", paper=PaperFactory())
    PaperFactory(title="Quokka paper")
    KeynoteFactory(title="Quokka keynote")
    PeerReviewExcerptFactory(text="Quokka excerpt, shown")
    PeerReviewExcerptFactory(text="Quokka excerpt, hidden by a curator", hidden=True)
    results = search(query="quokka")
    assert {f.key: f.count for f in results.facets} == {
        "paper": 1,
        "post": 1,
        "keynote": 1,
        "entry": 1,
        "review": 1,
    }
    assert results.total == 5
    assert {r.kind for r in results.results} == {"paper", "post", "keynote", "entry", "review"}


def test_filters_by_conference_year_and_tag_combine_with_the_query():
    neurips = ConferenceFactory(short_name="NeurIPS", year=2023, slug="neurips-2023")
    icml = ConferenceFactory(short_name="ICML", year=2024, slug="icml-2024")
    first = PaperFactory(title="Wombat genomics", conference=neurips)
    first.topics.set(["genomics"])
    second = PaperFactory(title="Wombat proteins", conference=icml)
    second.topics.set(["proteins"])
    PaperFactory(title="Unrelated genomics", conference=neurips)

    assert urls(search(query="wombat", conference="neurips-2023")) == [first.get_absolute_url()]
    assert urls(search(query="wombat", year=2024)) == [second.get_absolute_url()]
    assert urls(search(query="wombat", tag="genomics")) == [first.get_absolute_url()]
    assert urls(search(query="wombat", tag="genomics", year=2024)) == []


def test_type_facet_narrows_results_and_keeps_every_count():
    PaperFactory(title="Platypus paper")
    keynote = KeynoteFactory(title="Platypus keynote")
    results = search(query="platypus", kind="keynote")
    assert [r.kind for r in results.results] == ["keynote"]
    assert urls(results) == [f"/keynotes/{keynote.pk}/"]  # the talk's own page
    assert [(f.key, f.count, f.selected) for f in results.facets if f.count] == [
        ("paper", 1, False),
        ("keynote", 1, True),
    ]


def test_results_are_paginated():
    PaperFactory.create_batch(25, abstract="The numbat is studied.")
    first, second = search(query="numbat", page=1), search(query="numbat", page=2)
    assert (first.total, first.num_pages, len(first.results), len(second.results)) == (25, 2, 20, 5)
    assert not set(urls(first)) & set(urls(second))
    assert search(query="numbat", page=99).page == 2


def test_search_page_shows_highlighted_results_facet_counts_and_page_links(client):
    PaperFactory.create_batch(21, title="Echidna sequence model")
    response = client.get("/search/", {"q": "echidna"})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<mark>Echidna</mark> sequence model") == 20
    assert 'Papers</a> <span class="count">(21)</span>' in html
    assert "21 results for “echidna”" in html
    assert 'href="?q=echidna&amp;page=2"' in html


def test_every_page_has_the_search_box(client):
    html = client.get("/").content.decode()
    assert (
        '<form class="search-form" role="search" action="/search/" method="get" '
        'data-suggest-url="/search/suggest">'
    ) in html


BAD_QUERIES = [
    ("", "Type a word"),
    ("   \t ", "Type a word"),
    ("a " * 5000, "only its first 200 characters"),
    ("!!! ??? ...", "at least one letter or digit"),
    ('"unbalanced quote', "Nothing matches"),
    ("'; DROP TABLE papers_paper; --", "Nothing matches"),
    ("-", "at least one letter or digit"),
    ("or", "Nothing matches"),
    ("-onlyexcluded", "Nothing matches"),
]


@pytest.mark.parametrize(("query", "message"), BAD_QUERIES)
def test_bad_queries_get_a_normal_page_with_a_helpful_message(client, query, message):
    PaperFactory(title="Something to find")
    response = client.get(
        "/search/",
        {"q": query, "page": "x", "year": "20x4", "conference": "a b", "type": "nope"},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Paper.objects.count() == 1


def test_a_nul_byte_in_any_search_parameter_answers_400(client):
    # core.security.HostileQueryMiddleware refuses NUL bytes before any view runs.
    assert client.get("/search/", {"q": "x\x00y"}).status_code == 400
    assert client.get("/search/", {"q": "x", "conference": "a\x00b"}).status_code == 400


def _papers_with_authors(count):
    conference = ConferenceFactory()
    for _ in range(count):
        paper = PaperFactory(title="Pangolin study", conference=conference)
        AuthorshipFactory(paper=paper, author=AuthorFactory())
        AuthorshipFactory(paper=paper, author=AuthorFactory())


@pytest.mark.parametrize("count", [2, 15])
def test_search_page_query_count_is_constant_in_the_number_of_results(client, count):
    _papers_with_authors(count)
    post = PostFactory(published=True, title="Pangolin review")
    EntryFactory(section__post=post, summary="Pangolin entry")
    KeynoteFactory(title="Pangolin keynote")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/search/", {"q": "pangolin"})
    assert response.content.decode().count('class="search-result ') == count + 3
    # conferences, the facet counts (one statement), the ranked union, 4 kinds loaded, authors;
    # SQLite counts and ranks in one statement
    assert len(queries) == (8 if connection.vendor == "postgresql" else 7)


@pytest.mark.parametrize("count", [2, 15])
def test_a_filtered_search_page_query_count_is_constant_in_the_number_of_results(client, count):
    _papers_with_authors(count)
    for paper in Paper.objects.all():
        paper.topics.set(["mammals"])
    conference = Paper.objects.first().conference
    with CaptureQueriesContext(connection) as queries:
        response = client.get(
            "/search/", {"q": "pangolin", "tag": "mammals", "conference": conference.slug}
        )
    assert response.content.decode().count('class="search-result ') == count
    # conferences, the facet counts, the ranked union, the papers and their authors; SQLite
    # counts and ranks in one statement
    assert len(queries) == (5 if connection.vendor == "postgresql" else 4)


def test_admin_paper_search_uses_the_site_search_matching(curator_client):
    PaperFactory(title="Axolotl regeneration")
    AuthorshipFactory(paper=PaperFactory(title="Other"), author=AuthorFactory(name="Ada Axolotl"))
    PaperFactory(title="Unrelated")
    html = curator_client.get("/admin/papers/paper/", {"q": "axolotl"}).content.decode()
    assert "Axolotl regeneration" in html
    assert ">Other<" in html
    assert "Unrelated" not in html


def test_a_very_broad_match_is_ranked_among_its_most_recent_rows_with_a_message():
    Paper.objects.bulk_create(
        Paper(title=f"Narwhal study {n}", slug=f"narwhal-{n}", abstract="narwhal", listed=True)
        for n in range(RANK_LIMIT + 20)
    )
    call_command("rebuild_search_index", stdout=io.StringIO())
    results = search(query="narwhal", kind="paper", page=999)
    assert results.total == RANK_LIMIT + 20
    assert results.num_pages == RANK_LIMIT // 20
    assert f"matches more than {RANK_LIMIT} results" in results.message
    recent = {p.get_absolute_url() for p in Paper.objects.order_by("-pk")[:RANK_LIMIT]}
    assert len(results.results) == 20
    assert set(urls(results)) <= recent


def test_titles_highlight_words_from_their_start_and_escape_the_rest():
    PaperFactory(title="HyenaDNA & DNA <models>")
    title = str(search(query="dna").results[0].title)
    assert title == "HyenaDNA &amp; <mark>DNA</mark> &lt;models&gt;"


def test_outcome_filters_papers_and_their_entries_and_reviews_and_hides_posts_and_keynotes():
    oral = PaperFactory(title="Tarsier oral", outcome=Paper.Outcome.ACCEPTED_ORAL)
    PaperFactory(title="Tarsier rejected", outcome=Paper.Outcome.REJECTED)
    PeerReviewExcerptFactory(paper=oral, text="Tarsier review")
    KeynoteFactory(title="Tarsier keynote")
    results = search(query="tarsier", outcome="accepted_oral")
    assert sorted((r.kind, r.url) for r in results.results) == [
        ("paper", oral.get_absolute_url()),
        ("review", oral.get_absolute_url()),
    ]
    assert {f.key: f.count for f in results.facets if f.count} == {"paper": 1, "review": 1}


def test_outcome_facets_count_matching_papers_whatever_the_outcome_filter():
    PaperFactory.create_batch(2, title="Galago poster", outcome=Paper.Outcome.ACCEPTED_POSTER)
    PaperFactory(title="Galago withdrawn", outcome=Paper.Outcome.WITHDRAWN)
    PaperFactory(title="Galago unknown")
    PaperFactory(title="Other poster", outcome=Paper.Outcome.ACCEPTED_POSTER)
    results = search(query="galago", outcome="withdrawn")
    assert [(f.key, f.label, f.count, f.selected) for f in results.outcomes] == [
        ("accepted_poster", "Accepted (poster)", 2, False),
        ("withdrawn", "Withdrawn", 1, True),
        ("unknown", "Unknown", 1, False),
    ]
    assert results.total == 1


def test_search_page_links_outcome_facets_and_keeps_the_filter(client):
    PaperFactory(title="Loris spotlight", outcome=Paper.Outcome.ACCEPTED_SPOTLIGHT)
    PaperFactory(title="Loris rejected", outcome=Paper.Outcome.REJECTED)
    html = client.get("/search/", {"q": "loris", "outcome": "rejected"}).content.decode()
    assert 'href="?q=loris&amp;outcome=accepted_spotlight">Accepted (spotlight)</a>' in html
    assert '<strong aria-current="true">Rejected</strong> <span class="count">(1)</span>' in html
    assert '<input type="hidden" name="outcome" value="rejected">' in html
    assert "1 result for “loris”" in html
    assert "Loris spotlight" not in html.split('class="search-results"')[1]


def test_an_unknown_outcome_parameter_is_ignored(client):
    PaperFactory(title="Loris paper")
    response = client.get("/search/", {"q": "loris", "outcome": "accepted'--"})
    assert "1 result for “loris”" in response.content.decode()


def test_an_outcome_filter_with_no_match_is_an_empty_facet_not_an_error(client, post_builder):
    post_builder(entries=2)

    response = client.get("/search/", {"q": "genomics", "outcome": "accepted_oral"})

    assert response.status_code == 200
    assert response.context["results"].outcomes[0].count == 0
