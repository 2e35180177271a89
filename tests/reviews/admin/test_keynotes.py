"""The keynote change page edits the keynote's speakers as Author records, through the save
service: added, removed and reordered in the inline, kept across saves while the speaker text
stands, refused to whoever may not change keynotes."""

import pytest
from django.urls import reverse

from reviews.models import Keynote, KeynoteSpeaker
from tests.factories import AuthorFactory, KeynoteFactory
from tests.reviews.forms import form_data

pytestmark = pytest.mark.django_db

PREFIX = "speaker_links"


def change_url(keynote):
    return reverse("admin:reviews_keynote_change", args=[keynote.pk])


def loaded_form(client, keynote):
    response = client.get(change_url(keynote))
    assert response.status_code == 200
    return form_data(response.content.decode(), "keynote_form")


def add_row(data, *, author, place="", affiliation=""):
    n = int(data[f"{PREFIX}-TOTAL_FORMS"])
    data[f"{PREFIX}-TOTAL_FORMS"] = str(n + 1)
    data.update(
        {
            f"{PREFIX}-{n}-author": str(author.pk),
            f"{PREFIX}-{n}-affiliation": affiliation,
            f"{PREFIX}-{n}-place": str(place),
        }
    )


def row_of(data, author):
    """The form index of the inline row naming `author`."""
    return next(
        key.split("-")[1]
        for key, value in data.items()
        if key.startswith(f"{PREFIX}-") and key.endswith("-author") and value == str(author.pk)
    )


def links(keynote):
    rows = KeynoteSpeaker.objects.filter(keynote=keynote).order_by("order")
    return list(rows.values_list("order", "author__name", "affiliation"))


@pytest.fixture
def talk():
    """A keynote by Ada Lovelace, linked to her record by name as every save does."""
    AuthorFactory(name="Ada Lovelace")
    return KeynoteFactory(speaker="Ada Lovelace", affiliation="Engines", title="Notes")


@pytest.fixture
def charles():
    return AuthorFactory(name="Charles Babbage")


def test_the_change_page_lists_the_speakers_with_author_autocomplete_and_order(
    curator_client, talk
):
    page = curator_client.get(change_url(talk)).content.decode()
    data = form_data(page, "keynote_form")
    assert data[f"{PREFIX}-TOTAL_FORMS"] == "1"
    assert data[f"{PREFIX}-0-author"] == str(talk.speaker_links.get().author_id)
    assert (data[f"{PREFIX}-0-affiliation"], data[f"{PREFIX}-0-place"]) == ("Engines", "0")
    assert 'data-ajax--url="/admin/autocomplete/"' in page
    assert "Speakers (author pages listing this keynote)" in page


@pytest.mark.parametrize("size", [1, 6])
def test_the_change_page_runs_a_fixed_number_of_queries(
    curator_client, django_assert_num_queries, size
):
    talk = KeynoteFactory()
    for n in range(1, size):
        KeynoteSpeaker.objects.create(keynote=talk, author=AuthorFactory(), order=n)
    curator_client.get(change_url(talk))  # content types cached, as on a running server
    # session, user, keynote, the user's two permission sets, speakers with their authors,
    # the conference's choice
    with django_assert_num_queries(7):
        page = curator_client.get(change_url(talk)).content.decode()
    assert form_data(page, "keynote_form")[f"{PREFIX}-TOTAL_FORMS"] == str(size)
    assert page.count("selected>Author Number") == size - 1


def test_a_curator_adds_a_co_speaker_and_a_later_save_keeps_the_choice(
    curator_client, talk, charles
):
    data = loaded_form(curator_client, talk)
    add_row(data, author=charles, place=1, affiliation="Cambridge")

    response = curator_client.post(change_url(talk), data)

    assert response.status_code == 302
    expected = [(0, "Ada Lovelace", "Engines"), (1, "Charles Babbage", "Cambridge")]
    assert links(talk) == expected
    assert Keynote.objects.get(pk=talk.pk).speakers_chosen_for == "Ada Lovelace"
    data = loaded_form(curator_client, talk)
    data["title"] = "Notes, revised"
    assert curator_client.post(change_url(talk), data).status_code == 302
    assert links(talk) == expected


def test_speakers_are_reordered_by_their_order_keeping_their_rows(curator_client, talk, charles):
    data = loaded_form(curator_client, talk)
    add_row(data, author=charles, place=1)
    curator_client.post(change_url(talk), data)
    pks = dict(KeynoteSpeaker.objects.values_list("author__name", "pk"))
    data = loaded_form(curator_client, talk)
    ada_row = row_of(data, talk.speaker_links.get(author__name="Ada Lovelace").author)
    charles_row = row_of(data, charles)
    data[f"{PREFIX}-{ada_row}-place"] = "1"
    data[f"{PREFIX}-{charles_row}-place"] = "0"

    assert curator_client.post(change_url(talk), data).status_code == 302

    assert links(talk) == [(0, "Charles Babbage", ""), (1, "Ada Lovelace", "Engines")]
    assert dict(KeynoteSpeaker.objects.values_list("author__name", "pk")) == pks


def test_a_blank_order_puts_a_new_speaker_after_the_others(curator_client, talk, charles):
    data = loaded_form(curator_client, talk)
    add_row(data, author=charles)

    curator_client.post(change_url(talk), data)

    assert [name for _, name, _ in links(talk)] == ["Ada Lovelace", "Charles Babbage"]


def test_a_speaker_removed_in_the_inline_is_unlinked_and_the_choice_kept(
    curator_client, talk, charles
):
    data = loaded_form(curator_client, talk)
    add_row(data, author=charles, place=1)
    curator_client.post(change_url(talk), data)
    data = loaded_form(curator_client, talk)
    data[f"{PREFIX}-{row_of(data, talk.speaker_links.get(order=0).author)}-DELETE"] = "on"

    assert curator_client.post(change_url(talk), data).status_code == 302

    assert links(talk) == [(0, "Charles Babbage", "")]
    data = loaded_form(curator_client, talk)
    curator_client.post(change_url(talk), data)
    assert links(talk) == [(0, "Charles Babbage", "")]


def test_the_same_person_twice_is_a_form_error_and_nothing_is_written(
    curator_client, talk, charles
):
    data = loaded_form(curator_client, talk)
    add_row(data, author=charles, place=1)
    add_row(data, author=charles, place=2)

    response = curator_client.post(change_url(talk), data)

    assert response.status_code == 200
    assert "Please correct the duplicate data for author" in response.content.decode()
    assert links(talk) == [(0, "Ada Lovelace", "Engines")]


def test_a_new_speaker_text_relinks_by_name_unless_the_inline_changed_too(
    curator_client, talk, charles
):
    data = loaded_form(curator_client, talk)
    add_row(data, author=charles, place=1)
    curator_client.post(change_url(talk), data)

    data = loaded_form(curator_client, talk)
    data["speaker"] = "Grace Hopper"
    curator_client.post(change_url(talk), data)
    assert links(talk) == [(0, "Grace Hopper", "Engines")]
    assert Keynote.objects.get(pk=talk.pk).speakers_chosen_for == ""

    data = loaded_form(curator_client, talk)
    data["speaker"] = "Ada Lovelace and Charles Babbage"
    add_row(data, author=charles, place=1)
    curator_client.post(change_url(talk), data)
    assert links(talk) == [(0, "Grace Hopper", "Engines"), (1, "Charles Babbage", "")]
    chosen = Keynote.objects.get(pk=talk.pk).speakers_chosen_for
    assert chosen == "Ada Lovelace and Charles Babbage"


def test_a_contributor_sees_the_speakers_read_only_and_cannot_change_them(
    contributor_client, talk, charles
):
    page = contributor_client.get(change_url(talk)).content.decode()
    assert "Speakers (author pages listing this keynote)" in page
    assert f'name="{PREFIX}-0-author"' not in page
    data = form_data(page, "keynote_form")
    add_row(data, author=charles, place=1)

    response = contributor_client.post(change_url(talk), data)

    assert response.status_code == 403
    assert links(talk) == [(0, "Ada Lovelace", "Engines")]


def test_a_keynote_added_with_chosen_speakers_keeps_them(curator_client, charles):
    conference = KeynoteFactory().conference
    url = reverse("admin:reviews_keynote_add")
    data = form_data(curator_client.get(url).content.decode(), "keynote_form")
    data.update(conference=str(conference.pk), title="Difference", speaker="C. Babbage")
    add_row(data, author=charles, place=0, affiliation="Cambridge")

    assert curator_client.post(url, data).status_code == 302

    talk = Keynote.objects.get(title="Difference")
    assert links(talk) == [(0, "Charles Babbage", "Cambridge")]
    assert talk.speakers_chosen_for == "C. Babbage"
