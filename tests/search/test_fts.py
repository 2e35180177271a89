"""SQLite's FTS5 index (search.fts): prefixes, typos, ranking, and the index functions' upkeep."""

import datetime
import io

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from papers.models import Paper
from reviews.workflow.publishing import publish_post
from search import fts
from search.query import RANK_LIMIT, search
from tests.factories import (
    AuthorFactory,
    AuthorshipFactory,
    ConferenceFactory,
    EntryFactory,
    KeynoteFactory,
    PaperFactory,
    PostFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]


def titles(results):
    return [str(r.title).replace("<mark>", "").replace("</mark>", "") for r in results.results]


def test_the_migration_creates_an_fts5_table_per_kind_and_the_trigram_vocabulary():
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, sql FROM sqlite_master WHERE name LIKE 'search_%_fts'")
        tables = dict(cursor.fetchall())
    assert sorted(tables) == sorted([*fts.TABLES.values(), fts.WORDS_INDEX])
    assert "tokenize='trigram'" in tables[fts.WORDS_INDEX]
    assert "porter unicode61" in tables["search_paper_fts"]


def test_a_word_matches_as_a_prefix_hyena_finds_hyenadna():
    PaperFactory(title="HyenaDNA: Long-Range Genomic Foundation Models")
    PaperFactory(title="Unrelated work")
    results = search(query="hyena")
    assert titles(results) == ["HyenaDNA: Long-Range Genomic Foundation Models"]
    assert str(results.results[0].title).startswith("<mark>Hyena</mark>DNA")
    assert not results.fuzzy


def test_a_misspelt_word_finds_what_it_meant_protien_finds_protein_papers():
    PaperFactory(title="Protein structure prediction")
    PaperFactory(title="Graph neural networks")
    results = search(query="protien")
    assert titles(results) == ["Protein structure prediction"]
    assert results.fuzzy
    assert "<mark>Protein</mark>" in str(results.results[0].title)


def test_a_misspelt_author_name_finds_their_paper():
    paper = PaperFactory(title="Sequence models")
    AuthorshipFactory(paper=paper, author=AuthorFactory(name="Grace Hopperton"))
    assert titles(search(query="hopperten")) == ["Sequence models"]


def test_typos_are_forgiven_only_when_nothing_matches_exactly():
    PaperFactory(title="Protein design")
    PaperFactory(title="Protien is a typo in this title")
    results = search(query="protien")
    assert titles(results) == ["Protien is a typo in this title"]
    assert not results.fuzzy


def test_title_matches_rank_above_body_matches():
    PaperFactory(title="Other work", abstract="About the capybara, at length.")
    PaperFactory(title="Capybara genomics", abstract="Nothing else.")
    assert titles(search(query="capybara")) == ["Capybara genomics", "Other work"]


def test_every_type_is_ranked_in_one_order_and_drafts_stay_out():
    # Rows that do not match, so each type's bm25 weighs the word by a positive idf: with every
    # row matching, FTS5 clamps it to almost nothing and the order is left to chance.
    for n in range(4):
        PaperFactory(title=f"Unrelated paper {n}", abstract="Nothing of the kind.")
        PostFactory(published=True, title=f"Unrelated post {n}", intro="Nothing.")
        KeynoteFactory(title=f"Unrelated keynote {n}", summary="Nothing.")
    PaperFactory(title="Plain study", abstract="The serval is mentioned once, at length.")
    PostFactory(published=True, title="Serval review", intro="Plain.")
    PostFactory(title="Serval draft", intro="A serval, a serval.")
    KeynoteFactory(title="Serval keynote", summary="Plain.")

    results = search(query="serval")

    assert titles(results)[2:] == ["Plain study"]
    assert sorted(titles(results)[:2]) == ["Serval keynote", "Serval review"]
    assert results.total == 3


def test_a_broad_match_ranks_among_its_most_recent_rows_by_bm25():
    Paper.objects.bulk_create(
        Paper(title="Dull study", slug=f"dull-{n}", abstract="caracal", listed=True)
        for n in range(RANK_LIMIT + 5)
    )
    Paper.objects.bulk_create([Paper(title="Caracal study", slug="caracal", listed=True)])
    call_command("rebuild_search_index", stdout=io.StringIO())

    results = search(query="caracal", kind="paper")

    assert titles(results)[0] == "Caracal study"
    assert len(results.results) == 20


def test_syntax_phrases_exclusions_and_or():
    PaperFactory(title="Single cell atlas")
    PaperFactory(title="Cell single out")
    PaperFactory(title="Cell atlas of mice")
    assert titles(search(query='"single cell"')) == ["Single cell atlas"]
    assert sorted(titles(search(query="cell -single"))) == ["Cell atlas of mice"]
    assert sorted(titles(search(query="mice or out"))) == ["Cell atlas of mice", "Cell single out"]


def test_saving_renaming_and_reauthoring_keep_the_index_current():
    paper = PaperFactory(title="Aardvark genomics")
    authorship = AuthorshipFactory(paper=paper, author=AuthorFactory(name="Wanda Wombatson"))
    assert titles(search(query="wombatson")) == ["Aardvark genomics"]
    paper.title = "Pangolin genomics"
    paper.save()
    assert titles(search(query="aardvark")) == []
    assert titles(search(query="pangolin")) == ["Pangolin genomics"]
    authorship.author.name = "Wanda Quokkason"
    authorship.author.save()
    assert titles(search(query="wombatson")) == []
    assert titles(search(query="quokkason")) == ["Pangolin genomics"]
    authorship.delete()
    assert titles(search(query="quokkason")) == []


def test_posts_are_indexed_when_saved():
    post = PostFactory(published=True, title="Marmot review", intro="Notes on gibbons.")
    assert titles(search(query="gibbon")) == ["Marmot review"]
    post.intro = "Notes on lemurs."
    post.save()
    assert titles(search(query="gibbon")) == []


def test_rebuild_search_index_indexes_rows_written_in_bulk():
    Paper.objects.bulk_create(
        [Paper(title="Bulk okapi study", slug="bulk-okapi", listed=True, abstract="Okapis.")]
    )
    assert titles(search(query="okapi")) == []
    out = io.StringIO()
    call_command("rebuild_search_index", stdout=out)
    assert "1 papers" in out.getvalue()
    assert titles(search(query="okapi")) == ["Bulk okapi study"]
    assert titles(search(query="okapu")) == ["Bulk okapi study"]


@pytest.mark.parametrize("query", ["NOT", "near(", "weird*", "weird:", "^weird", "{title}"])
def test_fts5_operators_in_the_query_are_plain_words(query):
    PaperFactory(title="A title: NOT (weird) NEAR stuff")
    PaperFactory(title="Something else")
    assert titles(search(query=query)) == ["A title: NOT (weird) NEAR stuff"]


def test_a_filtered_search_compiled_once_still_follows_the_clock(curator):
    conference = ConferenceFactory(slug="tapirconf-2026", listed=True)
    with time_machine.travel(datetime.datetime(2026, 3, 1, 9, tzinfo=datetime.UTC), tick=False):
        paper = PaperFactory(title="Tapir trails", conference=conference, listed=False)
        post = PostFactory(title="Notes from a forest", conference=conference)
        EntryFactory(section__post=post, paper=paper, heading="", summary="Tapirs.")
        publish_post(post=post, by=curator, at=timezone.now() + datetime.timedelta(hours=2))
        assert search(query="tapir", conference="tapirconf-2026").total == 0
    with time_machine.travel(datetime.datetime(2026, 3, 1, 12, tzinfo=datetime.UTC), tick=False):
        results = search(query="tapir", conference="tapirconf-2026")
    assert sorted(r.kind for r in results.results) == ["entry", "paper"]
    with time_machine.travel(datetime.datetime(2026, 3, 1, 10, tzinfo=datetime.UTC), tick=False):
        assert search(query="tapir", conference="tapirconf-2026").total == 0


@pytest.mark.parametrize(
    "value", ["2026-13-45 10:00", "2026-03-01T09:00:00+00:00", "2026-03-01", "9999-12-31 23:59"]
)
def test_filter_values_that_spell_times_are_plain_values(value):
    PaperFactory(title="Tapir trails")
    assert search(query="tapir", tag=value).total == 0
    assert search(query="tapir", conference=value).total == 0
    assert titles(search(query="tapir")) == ["Tapir trails"]


def test_edit_distance_counts_a_transposition_as_one_edit():
    assert fts.edit_distance("protien", "protein") == 1
    assert fts.edit_distance("hyena", "hyenas") == 1
    assert fts.edit_distance("kitten", "sitting") == 3
