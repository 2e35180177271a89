"""No lost updates: a form loaded before someone else's save is refused, input kept."""

import pytest
from django.test import Client
from django.urls import reverse

from core.concurrency import EditConflict, claim_version
from reviews.models import Entry, Post, PostRevision, Section
from reviews.workflow.publishing import publish_post
from tests.factories import GalleryImageFactory, KeynoteFactory, staff_member
from tests.reviews.forms import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def post():
    return GalleryImageFactory(alt_text="A slide").entry.section.post


@pytest.fixture
def second_client(db):
    from reviews.workflow.roles import CURATORS

    other = staff_member("second-curator", CURATORS)
    client = Client()
    client.force_login(other)
    return client


def _load(client, post):
    response = client.get(reverse("admin:reviews_post_change", args=[post.pk]))
    assert response.status_code == 200
    return form_data(response.content.decode())


def _submit(client, post, data):
    return client.post(reverse("admin:reviews_post_change", args=[post.pk]), data)


def test_the_second_of_two_curators_gets_a_conflict_and_keeps_their_input(
    curator_client, second_client, post
):
    first, second = _load(curator_client, post), _load(second_client, post)
    first["title"] = "Title from the first curator"
    second["intro"] = "Intro from the second curator"

    assert _submit(curator_client, post, first).status_code == 302
    response = _submit(second_client, post, second)

    assert response.status_code == 200
    assert "Someone else saved this post after you opened it." in response.content.decode()
    assert response.context["adminform"].form["intro"].value() == "Intro from the second curator"
    post.refresh_from_db()
    assert post.title == "Title from the first curator"
    assert post.intro == "What happened at the conference."
    assert post.version == 2
    assert PostRevision.objects.filter(post=post).count() == 1


def test_a_stale_form_cannot_overwrite_an_entry_either(curator_client, second_client, post):
    url = reverse("admin:reviews_entry_change", args=[Entry.objects.get().pk])
    first, second = (
        form_data(c.get(url).content.decode(), "entry_form")
        for c in (curator_client, second_client)
    )
    first["summary"] = "First curator's summary"
    second["summary"] = "Second curator's summary"

    assert curator_client.post(url, first).status_code == 302
    response = second_client.post(url, second)

    assert response.status_code == 200
    assert Entry.objects.get().summary == "First curator's summary"
    assert "Second curator&#x27;s summary" in response.content.decode()


def test_after_reloading_the_second_curator_saves_on_top_of_the_first(
    curator_client, second_client, post
):
    first, stale = _load(curator_client, post), _load(second_client, post)
    first["title"] = "First"
    _submit(curator_client, post, first)
    assert _submit(second_client, post, stale).status_code == 200

    fresh = _load(second_client, post)
    fresh["intro"] = "Second, after reloading"
    assert _submit(second_client, post, fresh).status_code == 302
    post.refresh_from_db()
    assert (post.title, post.intro, post.version) == ("First", "Second, after reloading", 3)


def test_publishing_from_the_list_makes_an_open_form_stale(curator, curator_client, post):
    opened = _load(curator_client, post)
    publish_post(post=post, by=curator)
    opened["intro"] = "Edited in a form opened before publishing"

    response = _submit(curator_client, post, opened)

    assert response.status_code == 200
    post.refresh_from_db()
    assert post.intro == "What happened at the conference."
    assert post.status == Post.Status.PUBLISHED


def test_a_form_without_its_version_is_treated_as_stale(curator_client, post):
    data = _load(curator_client, post)
    del data["version"]
    data["title"] = "No version sent"
    response = _submit(curator_client, post, data)
    assert response.status_code == 200
    post.refresh_from_db()
    assert post.title != "No version sent"


def test_claim_version_is_a_conditional_update_that_refuses_a_stale_version(post):
    assert claim_version(instance=post, expected=1) == 2
    with pytest.raises(EditConflict):
        claim_version(instance=post, expected=1)
    assert Post.objects.get(pk=post.pk).version == 2


def test_saving_an_entry_on_its_own_page_makes_an_open_post_form_stale(curator_client, post):
    opened = _load(curator_client, post)
    entry = Entry.objects.get()
    entry_url = reverse("admin:reviews_entry_change", args=[entry.pk])
    entry_form = form_data(curator_client.get(entry_url).content.decode(), "entry_form")
    entry_form["summary"] = "Edited on the entry page"
    assert curator_client.post(entry_url, entry_form).status_code == 302

    opened["title"] = "Saved from the older post form"
    assert _submit(curator_client, post, opened).status_code == 200
    assert Entry.objects.get().summary == "Edited on the entry page"
    assert post.revisions.get().summary == f"Changed entry “{entry}” on its own page"


def _load_part(client, url, form_id):
    response = client.get(url)
    assert response.status_code == 200
    return form_data(response.content.decode(), form_id)


def test_two_curators_on_one_entry_page_the_second_is_refused_and_keeps_their_input(
    curator_client, second_client, post
):
    entry = Entry.objects.get()
    url = reverse("admin:reviews_entry_change", args=[entry.pk])
    first = _load_part(curator_client, url, "entry_form")
    second = _load_part(second_client, url, "entry_form")
    first["summary"] = "First curator's summary"
    second["summary"] = "Second curator's summary"

    assert curator_client.post(url, first).status_code == 302
    response = second_client.post(url, second)

    assert response.status_code == 200
    assert "Someone else saved this entry after you opened it." in response.content.decode()
    assert response.context["adminform"].form["summary"].value() == "Second curator's summary"
    entry.refresh_from_db()
    assert (entry.summary, entry.version) == ("First curator's summary", 2)
    assert post.revisions.count() == 1


def test_a_stale_keynote_form_is_refused(curator_client, second_client):
    keynote = KeynoteFactory(title="Before")
    url = reverse("admin:reviews_keynote_change", args=[keynote.pk])
    first = _load_part(curator_client, url, "keynote_form")
    second = _load_part(second_client, url, "keynote_form")
    first["title"], second["title"] = "First", "Second"

    assert curator_client.post(url, first).status_code == 302
    response = second_client.post(url, second)

    assert "Someone else saved this keynote after you opened it." in response.content.decode()
    keynote.refresh_from_db()
    assert (keynote.title, keynote.version) == ("First", 2)


def test_claim_version_works_for_any_model_with_a_version(post):
    section = Section.objects.get()
    assert claim_version(instance=section, expected=1) == 2
    with pytest.raises(EditConflict, match="Someone else saved this section"):
        claim_version(instance=section, expected=1)
    with pytest.raises(EditConflict):
        claim_version(instance=section, expected=None)
    assert Section.objects.get().version == 2
