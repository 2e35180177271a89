"""The author admin: "Merge selected authors" (a confirmation page, then the merge service) and
the keynotes a person is linked to."""

import pytest

from papers.models import Author, AuthorRedirect
from reviews.models import KeynoteSpeaker
from tests.factories import AuthorFactory, AuthorshipFactory, KeynoteFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/papers/author/"


def test_merging_asks_which_author_to_keep_then_merges(curator_client):
    keep = AuthorFactory(name="Ada Lovelace")
    dupe = AuthorFactory(name="A. Lovelace")
    AuthorshipFactory(author=keep)
    AuthorshipFactory(author=keep)
    AuthorshipFactory(author=dupe)
    selected = {"action": "merge", "_selected_action": [keep.pk, dupe.pk]}

    page = curator_client.post(CHANGELIST, selected).content.decode()
    assert "Choose the author to keep." in page
    assert f'<input type="radio" name="keep" value="{keep.pk}" checked>' in page  # most papers

    response = curator_client.post(
        CHANGELIST, {**selected, "confirm": "yes", "keep": keep.pk}, follow=True
    )
    assert "Merged A. Lovelace into Ada Lovelace: 1 paper(s) moved" in response.content.decode()
    assert list(Author.objects.all()) == [keep]
    assert AuthorRedirect.objects.get().old_slug == dupe.slug


def test_merging_one_author_is_refused_with_a_message(curator_client):
    author = AuthorFactory()
    response = curator_client.post(
        CHANGELIST, {"action": "merge", "_selected_action": [author.pk]}, follow=True
    )
    assert "Select two or more authors to merge." in response.content.decode()
    assert Author.objects.count() == 1


def test_the_change_page_lists_the_keynotes_the_person_is_linked_to(curator_client):
    talk = KeynoteFactory(speaker="Ada Lovelace", title="Notes")
    ada = talk.speaker_links.get().author
    other = KeynoteFactory(speaker="Someone Else", title="Engines")
    KeynoteSpeaker.objects.create(keynote=other, author=ada, order=1)
    KeynoteFactory(speaker="Grace Hopper", title="Compilers")

    page = curator_client.get(f"{CHANGELIST}{ada.pk}/change/").content.decode()

    assert (
        f'<ul><li><a href="/admin/reviews/keynote/{other.pk}/change/">Engines - Someone Else</a>'
        f'</li><li><a href="/admin/reviews/keynote/{talk.pk}/change/">Notes - Ada Lovelace</a>'
        "</li></ul>"
    ) in page
    assert "Compilers" not in page
