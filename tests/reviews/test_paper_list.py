"""The paper list: outcome filter and facets, sorting, and cards with TL;DR, outcome, rating."""

import datetime
import re

import pytest

from papers.models import Paper
from papers.services import set_reviews_hidden
from tests.factories import PaperFactory, PeerReviewExcerptFactory

pytestmark = pytest.mark.django_db


def reviewed(title, *, outcome, ratings, date=None, tldr=""):
    paper = PaperFactory(
        title=title, outcome=outcome, listed=True, publication_date=date, tldr=tldr
    )
    for i, rating in enumerate(ratings):
        for field in ("summary", "strengths"):  # two excerpts, one review
            PeerReviewExcerptFactory(paper=paper, note_id=f"{title}{i}", field=field, rating=rating)
    return paper


@pytest.fixture
def papers():
    day = datetime.date
    return [
        reviewed("Bravo", outcome="accepted_oral", ratings=[8, 6], date=day(2023, 5, 1)),
        reviewed("Alpha", outcome="rejected", ratings=[3], date=day(2024, 1, 1), tldr="Short."),
        reviewed("Charlie", outcome="accepted_oral", ratings=[9, 9, 7], date=None),
        reviewed("Delta", outcome="unknown", ratings=[]),
    ]


def titles(client, query=""):
    html = client.get(f"/papers/?{query}").content.decode()
    return re.findall(r'<li class="paper-item">\s*<a href="[^"]+">([^<]+)</a>', html)


def test_the_list_filters_by_outcome_and_counts_each_outcome(client, papers):
    assert titles(client, "outcome=accepted_oral") == ["Bravo", "Charlie"]
    html = client.get("/papers/?outcome=accepted_oral").content.decode()
    assert '<option value="accepted_oral" selected>Accepted (oral) (2)</option>' in html
    assert '<option value="rejected">Rejected (1)</option>' in html
    assert '<option value="unknown">Unknown (1)</option>' in html
    assert '<a href="?outcome=rejected">Rejected</a> <span class="meta">(1)</span>' in html
    assert '<a href="?sort=title&amp;outcome=rejected">' not in html
    assert '<strong aria-current="true">Accepted (oral)</strong>' in html


def test_facets_count_within_the_other_filters(client, papers):
    papers[0].topics.set(["genomics"])
    html = client.get("/papers/?topic=genomics").content.decode()
    assert '<option value="accepted_oral">Accepted (oral) (1)</option>' in html
    assert "Rejected (" not in html
    assert '<a href="?topic=genomics&amp;outcome=accepted_oral">Accepted (oral)</a>' in html


def count_line(client, query=""):
    html = client.get(f"/papers/?{query}").content.decode()
    return re.search(r'<p class="meta" role="status">([^<]*)</p>', html).group(1)


def test_the_count_is_the_filtered_papers_whatever_the_outcome_chosen(client, papers):
    PaperFactory(listed=False, outcome="rejected")  # public through no post: not counted
    assert count_line(client) == "4 papers"
    assert count_line(client, "outcome=accepted_oral") == "2 papers"
    assert count_line(client, "outcome=rejected&sort=rating") == "1 paper"
    assert count_line(client, "outcome=no-such-outcome") == "0 papers"
    assert count_line(client, "outcome=accepted_oral&decision=none") == "0 papers"


def test_the_count_and_pages_span_every_page(client):
    for n in range(27):
        PaperFactory(title=f"Paper {n:02}", listed=True, outcome="rejected")
    first = client.get("/papers/").content.decode()
    assert '<p class="meta" role="status">27 papers</p>' in first
    assert "<span>Page 1 of 2</span>" in first
    second = client.get("/papers/?outcome=rejected&page=2").content.decode()
    assert "<span>Page 2 of 2</span>" in second
    assert titles(client, "outcome=rejected&page=2") == ["Paper 25", "Paper 26"]
    assert client.get("/papers/?page=3").status_code == 404


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("", ["Alpha", "Bravo", "Charlie", "Delta"]),
        ("title", ["Alpha", "Bravo", "Charlie", "Delta"]),
        ("date", ["Alpha", "Bravo", "Charlie", "Delta"]),
        ("rating", ["Charlie", "Bravo", "Alpha", "Delta"]),
        ("reviews", ["Charlie", "Bravo", "Alpha", "Delta"]),
        ("-pk;drop", ["Alpha", "Bravo", "Charlie", "Delta"]),
    ],
)
def test_the_list_sorts_by_date_title_mean_rating_and_number_of_reviews(
    client, papers, sort, expected
):
    assert titles(client, f"sort={sort}") == expected


def test_a_card_shows_outcome_review_count_mean_rating_and_tldr(client, papers):
    html = client.get("/papers/?outcome=rejected").content.decode()
    assert (
        '<span class="meta paper-stats"><span class="outcome outcome-rejected">Rejected</span>'
        " · 1 review, mean rating 3.0/10</span>"
    ) in html
    assert '<p class="tldr">Short.</p>' in html
    html = client.get("/papers/?outcome=accepted_oral").content.decode()
    assert "Accepted (oral)</span> · 3 reviews, mean rating 8.3/10" in html
    html = client.get("/papers/?outcome=unknown").content.decode()
    assert "paper-stats" not in html


def test_hidden_reviews_do_not_count_on_the_card(client, papers):
    set_reviews_hidden(
        excerpts=Paper.objects.get(title="Bravo").review_excerpts.filter(rating=6),
        hidden=True,
        by=None,
    )
    html = client.get("/papers/?sort=rating").content.decode()
    assert "Accepted (oral)</span> · 1 review, mean rating 8.0/10" in html
