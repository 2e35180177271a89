"""The stored suggestions follow every change path, and never hold what only a draft shows.

Each test changes the content the way a curator, an import or a restore does, then checks the
suggestions a reader gets and that the stored rows are exactly what a full rebuild writes.
"""

import datetime
import io

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from core.backup import export_site, import_site
from papers.authors import merge_authors
from papers.models import Author, Paper
from reviews.markdown.importer import import_post
from reviews.models import Post
from reviews.workflow import drafts
from reviews.workflow.bulk import publish_posts, unpublish_posts
from reviews.workflow.editing import save_post
from reviews.workflow.publishing import publish_post, unpublish_post
from search.index_reviews import rebuild_search_index
from search.index_suggestions import rebuild_suggestions
from search.models import Suggestion, SuggestionWord
from search.suggest import suggest
from tests.core.backup.archives import empty_the_instance
from tests.factories import (
    AuthorFactory,
    AuthorshipFactory,
    ConferenceFactory,
    EntryFactory,
    PaperFactory,
    PostFactory,
    SectionFactory,
)
from tests.fixtures import POSTS

pytestmark = pytest.mark.django_db


def labels(query):
    return [(s.kind, s.label) for s in suggest(query=query)]


def stored():
    """Every stored suggestion with its words, as comparable tuples."""
    words = {}
    for suggestion_id, word, rank in SuggestionWord.objects.values_list(
        "suggestion_id", "word", "rank"
    ):
        words.setdefault(suggestion_id, set()).add((word, rank))
    return {
        (s.kind, s.object_id, s.label, s.url, s.detail, s.public_from, frozenset(words[s.pk]))
        for s in Suggestion.objects.all()
    }


def rebuilt():
    """What a full rebuild would store, read in a savepoint that is rolled back."""
    with transaction.atomic():
        rebuild_suggestions()
        rows = stored()
        transaction.set_rollback(True)
    return rows


def assert_current():
    assert stored() == rebuilt()


@pytest.fixture
def draft():
    """A draft reviewing one unlisted paper (its author, its tag) of an unlisted conference."""
    conference = ConferenceFactory(short_name="Kudu", year=2024, slug="kudu-2024", listed=False)
    post = PostFactory(title="Kudu review", conference=conference)
    paper = PaperFactory(title="Kudu migration models", conference=conference, listed=False)
    AuthorshipFactory(paper=paper, author=AuthorFactory(name="Karl Kuduson", slug="karl"))
    paper.topics.add("kudu ecology")
    EntryFactory(section=SectionFactory(post=post), paper=paper)
    return post


def test_a_draft_and_what_only_it_features_have_no_stored_row(draft):
    assert labels("kudu") == []
    assert Suggestion.objects.count() == 0
    assert_current()


def test_publishing_suggests_the_post_and_what_it_features(draft, curator):
    publish_post(post=draft, by=curator)
    assert labels("kudu") == [
        ("paper", "Kudu migration models"),
        ("author", "Karl Kuduson"),
        ("tag", "kudu ecology"),
        ("conference", "Kudu 2024"),
        ("post", "Kudu review"),
    ]
    assert_current()


def test_unpublishing_withdraws_every_suggestion_it_made(draft, curator):
    unpublish_post(post=publish_post(post=draft, by=curator), by=curator)
    assert labels("kudu") == []
    assert Suggestion.objects.count() == 0
    assert_current()


def test_the_admin_bulk_actions_publish_and_withdraw_suggestions(draft, curator):
    publish_posts(posts=Post.objects.filter(pk=draft.pk), by=curator)
    assert ("post", "Kudu review") in labels("kudu")
    unpublish_posts(posts=Post.objects.filter(pk=draft.pk), by=curator)
    assert labels("kudu") == []
    assert_current()


def test_a_scheduled_post_is_stored_but_suggested_only_once_due(draft, curator):
    due = timezone.now() + datetime.timedelta(days=2)
    publish_post(post=draft, by=curator, at=due)
    assert labels("kudu") == []
    with time_machine.travel(due + datetime.timedelta(seconds=1)):
        assert [kind for kind, _ in labels("kudu")] == [
            *("paper", "author", "tag", "conference", "post")
        ]
    assert_current()


def test_deleting_the_post_withdraws_its_suggestions(draft, curator):
    publish_post(post=draft, by=curator).delete()
    assert labels("kudu") == []
    assert_current()


def test_renaming_a_post_paper_author_tag_or_conference_shows_the_new_name(curator):
    conference = ConferenceFactory(
        short_name="Eland", full_name="Antelope meeting", year=2023, slug="eland-2023"
    )
    paper = PaperFactory(title="Eland herds", conference=conference)
    author = AuthorFactory(name="Erin Elandt")
    AuthorshipFactory(paper=paper, author=author)
    paper.topics.add("eland studies")
    post = PostFactory(published=True, title="Eland notes", conference=conference)
    post.title = "Gnu notes"
    save_post(post=post, by=curator, expected_version=post.version, changed=["title"])
    paper.title = "Gnu herds"
    paper.save()
    author.name = "Greta Gnuson"
    author.save()
    tag = Tag.objects.get(name="eland studies")
    tag.name = "gnu studies"
    tag.save()
    conference.short_name = "Gnucon"
    conference.save()
    assert labels("eland") == []
    assert labels("gnu") == [
        ("paper", "Gnu herds"),
        ("author", "Greta Gnuson"),
        ("tag", "gnu studies"),
        ("conference", "Gnucon 2023"),
        ("post", "Gnu notes"),
    ]
    assert [s.detail for s in suggest(query="gnu herds")] == ["Gnucon 2023"]
    assert_current()


def test_a_working_copy_s_title_is_suggested_only_once_its_changes_are_published(
    curator, media_root
):
    live = PostFactory(published=True, title="Dingo report")
    EntryFactory(section=SectionFactory(post=live))
    copy = drafts.open_working_copy(post=live, by=curator)
    copy.title = "Dhole report"
    save_post(post=copy, by=curator, expected_version=copy.version, changed=["title"])
    assert labels("dhole") == []
    assert labels("dingo") == [("post", "Dingo report")]
    drafts.publish_changes(copy=copy, by=curator)
    assert labels("dingo") == []
    assert labels("dhole") == [("post", "Dhole report")]
    assert_current()


def test_a_paper_is_found_by_its_authors_as_they_change():
    paper = PaperFactory(title="Sable tracking")
    first = AuthorshipFactory(paper=paper, author=AuthorFactory(name="Tomas Marten"))
    assert labels("marten sab") == [("paper", "Sable tracking")]
    first.delete()
    AuthorshipFactory(paper=paper, author=AuthorFactory(name="Nadia Fisher"))
    assert labels("marten sab") == []
    assert labels("fisher sab") == [("paper", "Sable tracking")]
    assert_current()


def test_unlisting_or_deleting_a_paper_withdraws_it():
    paper, other = PaperFactory(title="Civet genomes"), PaperFactory(title="Civet calls")
    paper.listed = False
    paper.save()
    other.delete()
    assert labels("civet") == []
    assert_current()


def test_merging_authors_leaves_only_the_kept_name(curator):
    kept, merged = AuthorFactory(name="A. Lovelace"), AuthorFactory(name="Ada Lovelace")
    paper = PaperFactory(title="Engines", listed=False)
    AuthorshipFactory(paper=paper, author=merged)
    EntryFactory(section__post=PostFactory(published=True), paper=paper)
    merge_authors(keep=kept, others=[merged], by=curator)
    assert labels("lovelace") == [("paper", "Engines"), ("author", "A. Lovelace")]
    assert labels("ada") == []
    assert_current()


def test_an_imported_draft_is_suggested_only_once_published():
    import_post(source=POSTS / "2024-05-02-iclr-2024-extra-sections.md")
    post = Post.objects.get()
    assert Suggestion.objects.count() == 0
    post.status = Post.Status.PUBLISHED
    post.save()
    papers = Paper.objects.filter(entries__section__post=post).distinct()
    assert set(Suggestion.objects.filter(kind="paper").values_list("object_id", flat=True)) == {
        paper.pk for paper in papers
    }
    assert labels(post.title)[-1:] == [("post", post.title)]
    assert_current()


def test_a_restore_rebuilds_the_suggestions_from_the_backup(draft, curator, settings, tmp_path):
    publish_post(post=draft, by=curator)
    archive = export_site(destination=tmp_path / "site.zip").path
    before = {row[2:] for row in stored()}
    empty_the_instance(settings, tmp_path)
    assert Suggestion.objects.count() == 0
    import_site(source=archive)
    assert {row[2:] for row in stored()} == before
    assert_current()


def test_the_search_index_rebuild_rewrites_rows_written_around_the_signals():
    PaperFactory(title="Quoll dens")
    Suggestion.objects.update(label="stale")
    Paper.objects.update(listed=False)
    rebuild_search_index()
    assert labels("quoll") == []
    assert not Suggestion.objects.filter(label="stale").exists()


def test_suggestion_urls_are_the_public_pages():
    author = AuthorFactory(name="Olga Okapian", slug="olga-okapian")
    AuthorshipFactory(paper=PaperFactory(title="Okapi stripes"), author=author)
    paper = Paper.objects.get()
    assert dict(Suggestion.objects.values_list("kind", "url")) == {
        "paper": paper.get_absolute_url(),
        "conference": paper.conference.get_absolute_url(),
        "author": reverse("papers:author-detail", kwargs={"slug": "olga-okapian"}),
    }
    assert Author.objects.get().public_from is not None


def test_the_drift_fix_command_brings_the_suggestions_with_the_flags(draft):
    Post.objects.filter(pk=draft.pk).update(  # published around the services: flags drift
        status=Post.Status.PUBLISHED, published_at=timezone.now()
    )
    assert labels("kudu") == []

    call_command("refresh_public_flags", stdout=io.StringIO())

    assert ("paper", "Kudu migration models") in labels("kudu")
    assert ("author", "Karl Kuduson") in labels("kudu")
