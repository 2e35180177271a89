"""A paper's stored card follows every change to what it shows, and appears only where the
paper is public."""

from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command

from papers.authors import merge_authors
from papers.cards import card_papers, refresh_paper_cards, render_paper_card
from papers.importers.records import AuthorRecord, PaperRecord
from papers.models import Paper
from papers.ordering import excerpt_ids, reorder_excerpts
from papers.services import import_records, set_reviews_hidden
from reviews.workflow.publishing import unpublish_post
from tests.factories import (
    AuthorFactory,
    AuthorshipFactory,
    ConferenceFactory,
    EntryFactory,
    PaperFactory,
    PeerReviewExcerptFactory,
    PostFactory,
)

pytestmark = pytest.mark.django_db


def stored_card(paper) -> str:
    return Paper.objects.values_list("card_html", flat=True).get(pk=paper.pk)


def live_card(paper) -> str:
    return render_paper_card(card_papers(Paper.objects.filter(pk=paper.pk)).get())


def list_pages(paper) -> dict[str, str]:
    """Every list page that shows `paper`'s card, as a reader gets it."""
    from django.test import Client

    client = Client()
    pages = {
        "paper list": "/papers/",
        "conference": paper.conference.get_absolute_url(),
        "tag": "/tags/genomics/",
    }
    authorship = paper.authorships.select_related("author").first()
    if authorship:
        pages["author"] = authorship.author.get_absolute_url()
    return {name: client.get(url).content.decode() for name, url in pages.items()}


@pytest.fixture
def paper():
    paper = PaperFactory(title="Long-range genomes", tldr="Reads far.", outcome="accepted_oral")
    paper.topics.set(["genomics"])
    AuthorshipFactory(paper=paper, author=AuthorFactory(name="Ada Lovelace"), order=0)
    AuthorshipFactory(paper=paper, author=AuthorFactory(name="Alan Turing"), order=1)
    PeerReviewExcerptFactory(paper=paper, note_id="r1", field="summary", rating=6, order=10)
    PeerReviewExcerptFactory(paper=paper, note_id="r2", field="summary", rating=8, order=20)
    return paper


def test_a_saved_paper_stores_the_card_its_list_pages_show(paper):
    card = stored_card(paper)
    assert card == live_card(paper)
    assert card.startswith('<li class="paper-item">\n  <a href="/papers/long-range-genomes/">')
    assert (
        '<a href="/authors/ada-lovelace/">Ada Lovelace</a>, '
        '<a href="/authors/alan-turing/">Alan Turing</a>'
    ) in card
    assert "Accepted (oral)</span> · 2 reviews, mean rating 7.0/10" in card
    for name, html in list_pages(paper).items():
        assert html.count(card) == 1, name


def test_editing_the_title_tldr_and_outcome_changes_every_list_page(paper):
    paper.title, paper.tldr, paper.outcome = "Short-range genomes", "Reads near.", "rejected"
    paper.save()
    for name, html in list_pages(paper).items():
        assert "Short-range genomes</a>" in html, name
        assert '<p class="tldr">Reads near.</p>' in html, name
        assert "Rejected</span> · 2 reviews" in html, name
        assert "Long-range genomes" not in html, name
    assert stored_card(paper) == live_card(paper)


def test_renaming_an_author_changes_the_name_and_keeps_the_address_on_the_card(paper):
    author = paper.authorships.get(order=0).author
    author.name = "Augusta Ada King"
    author.save()
    html = list_pages(paper)["paper list"]
    assert '<a href="/authors/ada-lovelace/">Augusta Ada King</a>' in html
    assert ">Ada Lovelace<" not in html


def test_merging_authors_links_the_card_to_the_kept_author(paper):
    duplicate = paper.authorships.get(order=1).author
    kept = AuthorFactory(name="A. M. Turing")
    merge_authors(keep=kept, others=[duplicate], by=None)
    card = stored_card(paper)
    assert f'<a href="/authors/{kept.slug}/">A. M. Turing</a>' in card
    assert "alan-turing" not in card
    assert card == live_card(paper)


def test_adding_and_removing_an_author_changes_the_card(paper):
    AuthorshipFactory(paper=paper, author=AuthorFactory(name="Grace Hopper"), order=2)
    assert ">Grace Hopper</a>" in stored_card(paper)
    paper.authorships.get(order=0).delete()
    assert ">Ada Lovelace<" not in stored_card(paper)
    assert stored_card(paper) == live_card(paper)


def test_renaming_the_conference_changes_its_papers_cards(paper):
    conference = paper.conference
    conference.short_name = "GenomeConf"
    conference.save()
    assert " · GenomeConf 2023</span>" in stored_card(paper)


def test_moving_the_paper_to_another_conference_changes_the_card(paper):
    paper.conference = ConferenceFactory(short_name="Elsewhere", year=2024)
    paper.save(update_fields=["conference"])
    assert " · Elsewhere 2024</span>" in stored_card(paper)


def test_reviews_added_hidden_and_deleted_change_the_count_and_mean(paper):
    added = PeerReviewExcerptFactory(
        paper=paper, note_id="r3", field="summary", rating=10, order=30
    )
    assert "3 reviews, mean rating 8.0/10" in stored_card(paper)
    set_reviews_hidden(excerpts=[added], hidden=True, by=None)
    assert "2 reviews, mean rating 7.0/10" in stored_card(paper)
    paper.review_excerpts.get(note_id="r1").delete()
    assert "1 review, mean rating 8.0/10" in list_pages(paper)["conference"]


def test_reordering_a_reviews_fields_moves_its_rating_to_the_new_first_field(paper):
    PeerReviewExcerptFactory(paper=paper, note_id="r2", field="strengths", rating=4, order=5)
    assert "2 reviews, mean rating 5.0/10" in stored_card(paper)
    ids = excerpt_ids(paper)
    reorder_excerpts(paper=paper, ids=[*ids[1:], ids[0]], by=None)
    assert "2 reviews, mean rating 7.0/10" in stored_card(paper)


def test_a_reimport_that_replaces_the_authors_changes_the_card():
    def record(*names):
        authors = [AuthorRecord(name=name) for name in names]
        return PaperRecord(
            source="openreview", title="Imported", openreview_id="f1", authors=authors
        )

    import_records(records=[record("Ada Lovelace")])
    paper = Paper.objects.get(openreview_id="f1")
    assert ">Ada Lovelace</a>" in stored_card(paper)
    import_records(records=[record("Rosalind Franklin", "Ada Lovelace")])
    card = stored_card(paper)
    assert '>Rosalind Franklin</a>, <a href="/authors/ada-lovelace/">Ada Lovelace</a>' in card
    assert card == live_card(paper)


def test_a_paper_written_around_the_signals_is_shown_live_not_empty(client):
    (paper,) = Paper.objects.bulk_create([Paper(title="Bulk made", slug="bulk-made", listed=True)])
    assert stored_card(paper) == ""
    html = client.get("/papers/").content.decode()
    assert '<li class="paper-item">\n  <a href="/papers/bulk-made/">Bulk made</a>' in html


def test_a_restored_backup_renders_every_card_again(paper):
    Paper.objects.filter(pk=paper.pk).update(card_html="<li>stale</li>", title="Restored title")
    apps.get_app_config("papers").after_restore()
    assert "Restored title</a>" in stored_card(paper)


def test_the_command_stores_the_cards_a_migration_left_empty(paper):
    Paper.objects.update(card_html="")
    out = StringIO()
    call_command("refresh_paper_cards", stdout=out)
    assert out.getvalue() == "Refreshed 1 of 1 paper cards.\n"
    assert stored_card(paper) == live_card(paper)


def test_refreshing_writes_only_the_cards_that_changed(paper):
    other = PaperFactory()
    Paper.objects.filter(pk=other.pk).update(card_html="")
    assert refresh_paper_cards(paper_ids=[paper.pk, other.pk, 0]) == [other.pk]
    assert refresh_paper_cards(paper_ids=[paper.pk, other.pk]) == []


def listed_beside(paper):
    """A listed paper with the same conference and tag, so their pages stay public."""
    listed = PaperFactory(title="Listed paper", conference=paper.conference)
    listed.topics.set(["genomics"])


def test_the_card_of_a_paper_only_a_draft_features_is_on_no_list_page():
    paper = PaperFactory(title="Secret draft paper", listed=False)
    paper.topics.set(["genomics"])
    listed_beside(paper)
    EntryFactory(paper=paper, section__post__conference=paper.conference)
    assert "Secret draft paper" in stored_card(paper)
    for name, html in list_pages(paper).items():
        assert "Listed paper</a>" in html, name
        assert "Secret draft paper" not in html, name


def test_unpublishing_the_post_takes_the_card_off_every_list_page(curator):
    paper = PaperFactory(title="Featured paper", listed=False)
    paper.topics.set(["genomics"])
    listed_beside(paper)
    post = PostFactory(published=True, conference=paper.conference)
    EntryFactory(paper=paper, section__post=post)
    assert all("Featured paper</a>" in html for html in list_pages(paper).values())
    unpublish_post(post=post, by=curator)
    for name, html in list_pages(paper).items():
        assert "Listed paper</a>" in html, name
        assert "Featured paper" not in html, name
