"""Full-text features only PostgreSQL has: ranking, web-search syntax, typos, ts_headline."""

import io
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from papers.models import Paper
from search import text as ts
from search.query import KINDS, RANK_LIMIT, search
from tests.factories import (
    AuthorFactory,
    AuthorshipFactory,
    EntryFactory,
    KeynoteFactory,
    PaperFactory,
    PeerReviewExcerptFactory,
    PostFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def titles(results):
    return [str(r.title).replace("<mark>", "").replace("</mark>", "") for r in results.results]


def test_a_title_match_ranks_above_a_tldr_match_above_an_abstract_match():
    PaperFactory(title="Plain study", tldr="Plain.", abstract="About a capybara.")
    PaperFactory(title="Capybara study", tldr="Plain.", abstract="Plain.")
    PaperFactory(title="Other study", tldr="A capybara.", abstract="Plain.")
    assert titles(search(query="capybara")) == ["Capybara study", "Other study", "Plain study"]


def test_an_author_name_ranks_with_titles():
    paper = PaperFactory(title="Plain study", abstract="Plain.")
    AuthorshipFactory(paper=paper, author=AuthorFactory(name="Grace Tapir"))
    PaperFactory(title="Other study", abstract="Mentions a tapir once.")
    assert titles(search(query="tapir")) == ["Plain study", "Other study"]


def test_web_search_syntax_exact_phrase_exclusion_and_or():
    PaperFactory(title="Graph neural networks for molecules")
    PaperFactory(title="Neural graph rewriting")
    PaperFactory(title="Protein language models")
    assert titles(search(query='"graph neural"')) == ["Graph neural networks for molecules"]
    assert titles(search(query="graph -molecules")) == ["Neural graph rewriting"]
    assert sorted(titles(search(query="molecules or protein"))) == [
        "Graph neural networks for molecules",
        "Protein language models",
    ]


def test_a_misspelt_title_or_name_still_finds_the_paper():
    call_command("load_demo", stdout=io.StringIO())
    results = search(query="HyenaDNK")
    assert results.fuzzy is True
    assert titles(results)[0].startswith("HyenaDNA")
    paper = Paper.objects.get(title__startswith="FABind")
    AuthorshipFactory(
        paper=paper,
        author=AuthorFactory(name="Marguerite Przybylski"),
        order=paper.authorships.count(),
    )
    by_name = search(query="Przybylsky", kind="paper")
    assert titles(by_name) == [paper.title]


@pytest.mark.parametrize("count", [2, 15])
def test_a_misspelt_search_counts_its_likely_matches_in_one_statement(count):
    for n in range(count):
        AuthorshipFactory(paper=PaperFactory(title=f"Pangolin study {n}"))
    PostFactory(published=True, title="Pangolin review")
    KeynoteFactory(title="Pangolin keynote")
    with CaptureQueriesContext(connection) as queries:
        results = search(query="Pangolim")
    assert (results.fuzzy, results.total, len(results.results)) == (True, count + 2, count + 2)
    # the word match's counts, 5 likeness lookups, their counts (one statement), the ranked
    # page, then papers, their authors, posts and keynotes
    assert len(queries) == 12


def test_snippets_are_ts_headlines_with_escaped_text():
    PaperFactory(
        title="Study",
        tldr="",
        abstract="Noise <script>alert(1)</script> then the okapi & friends appear.",
    )
    snippet = str(search(query="okapi").results[0].snippet)
    assert "<mark>okapi</mark> &amp; friends" in snippet
    assert re.findall(r"</?\w+", snippet) == ["<mark", "</mark"]


def test_vectors_follow_renamed_authors_removed_authorships_and_renamed_papers():
    paper = PaperFactory(title="Original title")
    EntryFactory(paper=paper, heading="", section__post__published=True)
    authorship = AuthorshipFactory(paper=paper, author=AuthorFactory(name="Ann Lemur"))
    assert titles(search(query="lemur", kind="paper")) == ["Original title"]

    author = authorship.author
    author.name = "Ann Marmoset"
    author.save()
    assert titles(search(query="marmoset", kind="paper")) == ["Original title"]

    authorship.delete()
    assert search(query="marmoset").total == 0

    paper.title = "Renamed gazelle"
    paper.save()
    found = search(query="gazelle")
    assert [r.kind for r in found.results] == ["paper", "entry"]


def test_rebuild_search_index_restores_vectors_written_in_bulk():
    Paper.objects.bulk_create([Paper(title="Bulk ibex", slug="bulk-ibex", listed=True)])
    assert search(query="ibex").fuzzy is True  # only the trigram fallback sees it
    out = io.StringIO()
    call_command("rebuild_search_index", stdout=out)
    assert "1 papers" in out.getvalue()
    rebuilt = search(query="ibex")
    assert (titles(rebuilt), rebuilt.fuzzy) == (["Bulk ibex"], False)


def test_the_compact_title_vector_holds_the_title_and_the_author_names_only():
    paper = PaperFactory(title="Sloth genomics", abstract="About the tamarin.")
    AuthorshipFactory(paper=paper, author=AuthorFactory(name="Ada Capuchin"))
    vector = Paper.objects.values_list("title_vector", flat=True).get(pk=paper.pk)
    assert vector == "'ada':3A 'capuchin':4A 'genom':2A 'sloth':1A"


def test_a_broad_match_ranks_its_title_and_name_matches_first():
    Paper.objects.bulk_create(
        Paper(title=f"Study {n}", slug=f"study-{n}", abstract="vicuna " * 3, listed=True)
        for n in range(RANK_LIMIT + 20)
    )
    PaperFactory(title="Vicuna herds", abstract="Once.")
    named = PaperFactory(title="Herd behaviour", abstract="Once: vicuna.")
    AuthorshipFactory(paper=named, author=AuthorFactory(name="Vera Vicuna"))
    call_command("rebuild_search_index", stdout=io.StringIO())
    results = search(query="vicuna", kind="paper")
    assert results.total == RANK_LIMIT + 22
    assert titles(results)[:2] == ["Vicuna herds", "Herd behaviour"]
    assert len(search(query="vicuna", kind="paper", page=2).results) == 20
    assert "titles and names first" in results.message


def test_a_broad_match_with_an_excluded_word_ranks_no_title_whose_paper_has_it():
    Paper.objects.bulk_create(
        Paper(title=f"Study {n}", slug=f"study-{n}", abstract="vicuna " * 3, listed=True)
        for n in range(RANK_LIMIT + 20)
    )
    PaperFactory(title="Vicuna herds", abstract="Once: llama.")
    PaperFactory(title="Vicuna calves", abstract="Once.")
    call_command("rebuild_search_index", stdout=io.StringIO())
    results = search(query="vicuna -llama", kind="paper", per_page=2 * RANK_LIMIT)
    assert results.total == RANK_LIMIT + 21
    assert "Vicuna calves" in titles(results)
    assert "Vicuna herds" not in titles(results)


def indexes_read(queryset):
    """The indexes in the plan PostgreSQL picks for `queryset` when it may not scan a table,
    with the full text indexes dropped (the test's transaction restores them)."""
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX IF EXISTS paper_search_vector, paper_title_vector")
        cursor.execute("SET LOCAL enable_seqscan = off")
    return set(re.findall(r"(?:Index Scan on|using) (\w+)", queryset.explain()))


def test_the_visibility_rule_lets_a_search_read_the_indexes_of_public_rows_only():
    """The indexes hold public papers only (search/migrations/0002): PostgreSQL may read them
    only while the rule in reviews.visibility implies their condition."""
    paper = PaperFactory(title="Serval ears", listed=False)
    EntryFactory(paper=paper, heading="", section__post__published=True)
    public = {"paper_public", "paper_public_search_vector", "paper_public_title_vector"}
    query = ts.web_query("serval")
    papers = KINDS["paper"].public()
    assert indexes_read(papers.filter(search_vector=query)) & public
    assert indexes_read(papers.filter(title_vector=query)) & public
    assert not indexes_read(Paper.objects.filter(search_vector=query)) & public


def test_a_search_plans_no_parallel_worker_for_the_review_excerpts():
    """Starting a worker costs more than scanning a kind's matches (search/migrations/0006):
    even when workers cost nothing and a full scan is the only plan, none is planned."""
    PeerReviewExcerptFactory(text="Margay habitats")
    with connection.cursor() as cursor:
        for setting in (
            "parallel_setup_cost",
            "parallel_tuple_cost",
            "min_parallel_table_scan_size",
            "enable_bitmapscan",
            "enable_indexscan",
        ):
            cursor.execute(f"SET LOCAL {setting} = 0")
    plan = KINDS["review"].public().filter(search_vector=ts.web_query("margay")).explain()
    assert "papers_peerreviewexcerpt" not in re.findall(r"Parallel [\w ]+ on (\w+)", plan)


def test_paper_and_post_vectors_are_kept_in_their_rows():
    """A search checks each newest row's vector (search/migrations/0007): out of line, every
    check would be a TOAST lookup. The long text columns may move out instead."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attrelid::regclass::text, attname, attstorage FROM pg_attribute "
            "WHERE attrelid IN ('papers_paper'::regclass, 'reviews_post'::regclass) "
            "AND attname IN ('search_vector', 'abstract', 'intro') ORDER BY 1, 2"
        )
        assert cursor.fetchall() == [
            ("papers_paper", "abstract", "x"),
            ("papers_paper", "search_vector", "m"),
            ("reviews_post", "intro", "x"),
            ("reviews_post", "search_vector", "m"),
        ]
