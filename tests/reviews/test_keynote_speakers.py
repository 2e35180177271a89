"""Keynote speakers are Author records: linked by one service from every creation path, moved
by a merge, listed on author pages and in the API, linked from post and keynote pages."""

import importlib

import pytest
from django.apps import apps

from papers.authors import merge_authors
from papers.models import Author
from reviews.markdown.importer import import_post
from reviews.models import Entry, Keynote, KeynoteSpeaker
from reviews.workflow.editing import save_keynote
from reviews.workflow.speakers import link_keynote_speakers, set_keynote_speakers
from tests.factories import (
    AuthorFactory,
    EntryFactory,
    KeynoteFactory,
    PostFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db

LINK_SPEAKERS = importlib.import_module("reviews.migrations.0009_link_keynote_speakers")


def links(keynote):
    return list(
        KeynoteSpeaker.objects.filter(keynote=keynote).values_list(
            "order", "author__name", "affiliation"
        )
    )


def test_a_speaker_with_an_author_record_is_linked_to_the_oldest_of_that_exact_name():
    oldest = AuthorFactory(name="Grace Hopper")
    AuthorFactory(name="Grace Hopper")
    AuthorFactory(name="grace hopper")
    keynote = KeynoteFactory(speaker="Grace Hopper", affiliation="Navy")
    assert [link.author for link in keynote.speaker_links.all()] == [oldest]
    assert links(keynote) == [(0, "Grace Hopper", "Navy")]


def test_a_speaker_without_one_becomes_an_author():
    keynote = KeynoteFactory(speaker="Björn Ommer", affiliation="LMU")
    author = Author.objects.get(name="Björn Ommer")
    assert (author.slug, links(keynote)) == ("bjorn-ommer", [(0, "Björn Ommer", "LMU")])


def test_saving_a_keynote_follows_its_speaker_and_affiliation_and_is_idempotent(curator):
    keynote = KeynoteFactory(speaker="Ada Lovelace")
    keynote.affiliation = "Analytical Engines Ltd"
    save_keynote(keynote=keynote, by=curator, expected_version=keynote.version)
    assert links(keynote) == [(0, "Ada Lovelace", "Analytical Engines Ltd")]
    first = KeynoteSpeaker.objects.get().pk

    keynote = Keynote.objects.get(pk=keynote.pk)
    save_keynote(keynote=keynote, by=curator, expected_version=keynote.version)
    assert KeynoteSpeaker.objects.get().pk == first

    keynote = Keynote.objects.get(pk=keynote.pk)
    keynote.speaker = "Grace Hopper"
    save_keynote(keynote=keynote, by=curator, expected_version=keynote.version)
    assert links(keynote) == [(0, "Grace Hopper", "Analytical Engines Ltd")]
    assert Author.objects.filter(name="Ada Lovelace").exists()  # the person stays


def test_the_markdown_import_links_the_keynotes_it_creates(example_post_path):
    import_post(source=example_post_path)
    keynote = Keynote.objects.get(speaker="Björn Ommer")
    assert links(keynote) == [(0, "Björn Ommer", "")]
    assert KeynoteSpeaker.objects.count() == Keynote.objects.count()


def test_the_data_migration_links_existing_keynotes_by_exact_name_only():
    ada = AuthorFactory(name="Ada Lovelace")
    AuthorFactory(name="Ada Lovelace")
    matched = KeynoteFactory(speaker="Ada Lovelace", affiliation="Engines")
    unmatched = KeynoteFactory(speaker="Nobody Known")
    KeynoteSpeaker.objects.all().delete()
    Author.objects.filter(name="Nobody Known").delete()

    LINK_SPEAKERS.link(apps, None)

    assert list(KeynoteSpeaker.objects.values_list("keynote", "author", "affiliation")) == [
        (matched.pk, ada.pk, "Engines")
    ]
    assert links(unmatched) == []
    LINK_SPEAKERS.unlink(apps, None)
    assert KeynoteSpeaker.objects.count() == 0


def test_a_merge_moves_the_talks_to_the_kept_author(curator):
    kept = AuthorFactory(name="Grace Hopper")
    other = AuthorFactory(name="G. Hopper")
    theirs = KeynoteFactory(speaker="G. Hopper")
    shared = KeynoteFactory(speaker="Grace Hopper")
    KeynoteSpeaker.objects.create(keynote=shared, author=other, order=1)

    report = merge_authors(keep=kept, others=[other], by=curator)

    assert (report.talks_moved, report.keynotes_renamed) == (1, 1)
    assert links(theirs) == [(0, "Grace Hopper", "")]
    assert links(shared) == [(0, "Grace Hopper", "")]
    theirs.refresh_from_db()
    assert theirs.speaker == "Grace Hopper"


def test_post_and_keynote_pages_link_the_speaker_to_their_author_page(client, keynote_in_post):
    post, talk = keynote_in_post(speaker="Björn Ommer", title="Opening")
    link = '<a href="/authors/bjorn-ommer/">Björn Ommer</a>'
    assert f"Keynote by {link}" in client.get(post.get_absolute_url()).content.decode()
    keynote_page = client.get(talk.get_absolute_url()).content.decode()
    assert f'<p class="speaker">{link}</p>' in keynote_page
    author_page = client.get("/authors/bjorn-ommer/")
    assert [k.title for k in author_page.context["keynotes"]] == ["Opening"]


def test_co_speakers_are_each_linked_with_their_own_affiliation(client, keynote_in_post):
    post, talk = keynote_in_post(speaker="Ada Lovelace and Charles Babbage", title="Engines")
    ada, charles, grace = (
        AuthorFactory(name=n) for n in ("Ada Lovelace", "Charles Babbage", "Grace Hopper")
    )
    set_keynote_speakers(keynote=talk, speakers=[(ada, "Analytical Engines"), (charles, "")])
    both = (
        f'<a href="{ada.get_absolute_url()}">Ada Lovelace</a> '
        '<span class="affiliation">(Analytical Engines)</span>'
        f' and <a href="{charles.get_absolute_url()}">Charles Babbage</a>'
    )
    body = client.get(post.get_absolute_url()).content.decode()
    assert f"Keynote by {both}</p>" in body
    assert f'<p class="speaker">{both}</p>' in client.get(talk.get_absolute_url()).content.decode()

    set_keynote_speakers(keynote=talk, speakers=[(grace, ""), (ada, ""), (charles, "")])
    three = (
        f'<a href="{grace.get_absolute_url()}">Grace Hopper</a>, '
        f'<a href="{ada.get_absolute_url()}">Ada Lovelace</a>'
        f' and <a href="{charles.get_absolute_url()}">Charles Babbage</a>'
    )
    assert f'<p class="speaker">{three}</p>' in client.get(talk.get_absolute_url()).content.decode()
    assert f"Keynote by {three}</p>" in client.get(post.get_absolute_url()).content.decode()


def test_a_speaker_of_a_draft_only_keynote_is_no_public_author(client, keynote_in_post):
    keynote_in_post(speaker="Hidden Speaker", published=False)
    assert client.get("/authors/hidden-speaker/").status_code == 404
    assert client.get("/api/v1/authors/hidden-speaker/").status_code == 404
    listed = client.get("/api/v1/authors/?q=hidden").json()["results"]
    assert listed == []


def test_the_api_lists_a_speakers_keynotes_through_the_link(client, keynote_in_post):
    _, talk = keynote_in_post(speaker="Grace Hopper")
    author = client.get("/api/v1/authors/grace-hopper/").json()
    assert [(k["id"], k["speakers"][0]["slug"]) for k in author["keynotes"]] == [
        (talk.pk, "grace-hopper")
    ]


def build_keynotes(size):
    """One published post with `size` keynote entries, each by a speaker with their own page."""
    post = PostFactory(published=True)
    section = SectionFactory(post=post, order=0)
    speaker = AuthorFactory(name="Prolific Speaker")
    talks = []
    for n in range(size):
        talk = KeynoteFactory(conference=post.conference, speaker=f"Speaker {n}", listed=False)
        KeynoteSpeaker.objects.create(keynote=talk, author=speaker, order=1)
        EntryFactory(section=section, order=n, kind=Entry.Kind.KEYNOTE, paper=None, keynote=talk)
        talks.append(talk)
    return post, talks, speaker


@pytest.mark.parametrize("size", [2, 12])
def test_keynote_post_and_author_pages_run_a_fixed_number_of_queries(
    client, curator, django_assert_num_queries, size
):
    post, talks, speaker = build_keynotes(size)
    # keynote with its conference, its videos, its speakers; the posts featuring it, their tags
    with django_assert_num_queries(5):
        keynote_page = client.get(talks[-1].get_absolute_url())
    assert keynote_page.context["speaker"].name == f"Speaker {size - 1}"
    # the stored body: the same as the post page of any post
    with django_assert_num_queries(4):
        post_page = client.get(post.get_absolute_url())
    assert post_page.content.decode().count('href="/authors/speaker-') == size
    # author, papers, keynotes with their conference, posts
    with django_assert_num_queries(4):
        author_page = client.get(speaker.get_absolute_url())
    assert len(author_page.context["keynotes"]) == size
    client.force_login(curator)
    post.status = post.Status.DRAFT
    post.save(update_fields=["status"])
    # a draft's preview renders live: its prefetches include the speakers' links
    with django_assert_num_queries(10):
        preview = client.get(post.get_absolute_url())
    assert preview.content.decode().count('href="/authors/speaker-') == size


def test_link_keynote_speakers_drops_the_links_of_a_speaker_removed():
    keynote = KeynoteFactory(speaker="Ada Lovelace")
    keynote.speaker = ""
    assert link_keynote_speakers(keynote=keynote) == []
    assert links(keynote) == []
