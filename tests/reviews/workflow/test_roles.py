"""Roles: curators edit everything and publish; contributors write and edit their own drafts."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from reviews.models import Entry, Post
from reviews.workflow.roles import CONTRIBUTORS, CURATORS
from tests.factories import EntryFactory, PostFactory
from tests.reviews.forms import form_data
from tests.test_admin import _post_form

pytestmark = pytest.mark.django_db


def _change(client, post, **changes):
    url = reverse("admin:reviews_post_change", args=[post.pk])
    data = form_data(client.get(url).content.decode())
    data.update(changes)
    return client.post(url, data)


def test_only_curators_hold_the_publish_permission():
    curators = set(Group.objects.get(name=CURATORS).permissions.values_list("codename", flat=True))
    contributors = set(
        Group.objects.get(name=CONTRIBUTORS).permissions.values_list("codename", flat=True)
    )
    assert "publish_post" in curators
    assert "publish_post" not in contributors
    assert {
        "add_post",
        "change_post",
        "delete_post",
        "add_entry",
        "add_galleryimage",
    } <= contributors
    assert {"view_paper", "view_keynote", "view_conference"} <= contributors
    assert not contributors & {"change_paper", "delete_keynote", "add_conference", "change_user"}


def test_a_contributor_creates_a_draft_owned_by_them_even_when_asking_to_publish(
    contributor, contributor_client
):
    data = _post_form(status="published", published_at_0="2024-01-01", published_at_1="10:00")
    response = contributor_client.post(reverse("admin:reviews_post_add"), data)
    assert response.status_code == 302
    post = Post.objects.get()
    assert (post.created_by, post.status, post.published_at) == (contributor, "draft", None)
    assert post.revisions.get().created_by == contributor


def test_a_contributor_edits_their_own_draft(contributor, contributor_client):
    post = EntryFactory(section__post__created_by=contributor).section.post
    assert _change(contributor_client, post, intro="My own words").status_code == 302
    post.refresh_from_db()
    assert post.intro == "My own words"


def test_a_contributor_cannot_edit_or_delete_someone_elses_post(contributor_client, curator):
    post = EntryFactory(section__post__created_by=curator).section.post
    url = reverse("admin:reviews_post_change", args=[post.pk])
    page = contributor_client.get(url)
    assert page.status_code == 200
    assert 'name="intro"' not in page.content.decode()
    assert contributor_client.post(url, {"intro": "Overwritten"}).status_code == 403
    delete = reverse("admin:reviews_post_delete", args=[post.pk])
    assert contributor_client.post(delete, {"post": "yes"}).status_code == 403
    entry = Entry.objects.get()
    entry_url = reverse("admin:reviews_entry_change", args=[entry.pk])
    assert contributor_client.post(entry_url, {"summary": "x"}).status_code == 403
    post.refresh_from_db()
    assert post.intro == "What happened at the conference."
    assert Entry.objects.get().summary == "The authors show something interesting."


def test_a_contributor_may_delete_their_own_draft(contributor, contributor_client):
    post = PostFactory(created_by=contributor)
    delete = reverse("admin:reviews_post_delete", args=[post.pk])
    assert contributor_client.post(delete, {"post": "yes"}).status_code == 302
    assert not Post.objects.exists()


def test_a_contributor_cannot_edit_their_post_once_published(contributor, contributor_client):
    post = PostFactory(created_by=contributor, published=True)
    response = contributor_client.post(
        reverse("admin:reviews_post_change", args=[post.pk]), {"intro": "Changed live"}
    )
    assert response.status_code == 403


def test_a_contributor_has_no_publish_action(contributor, contributor_client):
    post = PostFactory(created_by=contributor)
    changelist = reverse("admin:reviews_post_changelist")
    page = contributor_client.get(changelist)
    assert 'value="publish"' not in page.content.decode()
    contributor_client.post(changelist, {"action": "publish", "_selected_action": [post.pk]})
    post.refresh_from_db()
    assert post.status == "draft"


def test_a_curator_edits_a_contributors_draft_and_publishes_it(
    contributor, curator_client, curator
):
    post = EntryFactory(section__post__created_by=contributor).section.post
    response = _change(
        curator_client,
        post,
        intro="Edited by the curator",
        status="published",
        published_at_0="2024-01-15",
        published_at_1="12:00:00",
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert (post.intro, post.status, post.created_by) == (
        "Edited by the curator",
        "published",
        contributor,
    )


def test_a_contributors_form_hides_the_publishing_fields(contributor, contributor_client):
    post = PostFactory(created_by=contributor)
    html = contributor_client.get(
        reverse("admin:reviews_post_change", args=[post.pk])
    ).content.decode()
    assert 'name="status"' not in html
    assert 'name="published_at_0"' not in html
    assert 'name="intro"' in html


def test_a_contributor_cannot_bulk_delete_others_posts(contributor, contributor_client, curator):
    theirs, mine = PostFactory(created_by=curator), PostFactory(created_by=contributor)
    changelist = reverse("admin:reviews_post_changelist")
    assert 'value="delete_selected"' not in contributor_client.get(changelist).content.decode()
    contributor_client.post(
        changelist,
        {"action": "delete_selected", "_selected_action": [theirs.pk, mine.pk], "post": "yes"},
    )
    assert set(Post.objects.all()) == {theirs, mine}
