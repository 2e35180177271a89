"""Curators edit a live post in the admin: a draft of changes, compared, published or discarded."""

import json

import pytest
from django.urls import reverse

from reviews.models import Post, PostAutosave
from tests.factories import EntryFactory, GalleryImageFactory, PostFactory, SectionFactory
from tests.reviews.forms import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def live():
    post = PostFactory(published=True, title="Live review", slug="live-review", intro="Old intro.")
    section = SectionFactory(post=post, title="Talks", order=0)
    entry = EntryFactory(section=section, order=0, heading="Talk one", summary="Old summary.")
    GalleryImageFactory(
        entry=entry, alt_text="Slide one", external_url="https://img.example.org/1.png"
    )
    return post


def change_url(post):
    return reverse("admin:reviews_post_change", args=[post.pk])


def open_draft(client, live):
    response = client.get(change_url(live))
    assert response.status_code == 302
    copy = Post.objects.get(working_copy_of=live)
    assert response["Location"] == change_url(copy)
    return copy


def save_draft(client, copy, **changes):
    data = form_data(client.get(change_url(copy)).content.decode())
    data.update(changes)
    response = client.post(change_url(copy), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    return response


def save_draft_entry(client, copy, **changes):
    """Change the copy's one entry on its own page, as the outline's editor does."""
    url = reverse("admin:reviews_entry_change", args=[copy.sections.get().entries.get().pk])
    data = form_data(client.get(url).content.decode(), "entry_form")
    data.update(changes)
    response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]


def test_opening_a_live_post_edits_a_draft_and_the_public_page_is_unchanged(
    curator_client, live, client
):
    copy = open_draft(curator_client, live)
    save_draft(curator_client, copy, intro="New intro.")
    save_draft_entry(curator_client, copy, summary="New summary.")

    live.refresh_from_db()
    assert live.intro == "Old intro."
    assert live.sections.get().entries.get().summary == "Old summary."
    page = curator_client.get(change_url(copy)).content.decode()
    assert "Unpublished changes" in page
    assert "The post changed" in page
    assert "Entry “Talk one” in “Talks” changed" in page
    client.logout()
    public = client.get(live.get_absolute_url()).content.decode()
    assert "Old intro." in public and "New intro." not in public
    markdown = client.get(reverse("reviews:post-markdown", kwargs={"slug": live.slug})).content
    assert b"Old summary." in markdown and b"New summary." not in markdown


def test_a_second_opening_returns_to_the_same_draft_with_its_changes(curator_client, live):
    copy = open_draft(curator_client, live)
    save_draft(curator_client, copy, intro="Kept across visits.")
    assert open_draft(curator_client, live) == copy
    assert Post.objects.get(pk=copy.pk).intro == "Kept across visits."


def test_the_changelist_lists_the_live_post_once_with_a_badge(curator_client, live):
    copy = open_draft(curator_client, live)
    save_draft(curator_client, copy, intro="Changed.")
    response = curator_client.get(reverse("admin:reviews_post_changelist"))
    assert [post.pk for post in response.context["cl"].result_list] == [live.pk]
    assert f'<a class="draft-badge" href="{change_url(copy)}">Unpublished changes</a>' in (
        response.content.decode()
    )


def test_compare_shows_field_by_field_and_line_by_line_what_would_change(curator_client, live):
    copy = open_draft(curator_client, live)
    save_draft(
        curator_client, copy, intro="Old intro.\r\nA second line.", title="Live review, revised"
    )
    response = curator_client.get(reverse("admin:reviews_post_changes", args=[copy.pk]))
    page = response.content.decode()
    assert [str(change) for change in response.context["changes"]] == ["The post changed"]
    [change] = response.context["changes"]
    assert [(f.label, f.before, f.after) for f in change.fields] == [
        ("title", "Live review", "Live review, revised"),
        ("intro", "Old intro.", "Old intro.\nA second line."),
    ]
    assert "<ins>A second line.</ins>" in page
    assert "<del>Live review</del>" in page


def test_publish_changes_applies_them_to_the_live_post_at_its_url(curator_client, live, client):
    copy = open_draft(curator_client, live)
    data = form_data(curator_client.get(change_url(copy)).content.decode())
    data.update(intro="Published intro.", _publish_changes="1")
    response = curator_client.post(change_url(copy), data)

    assert response.status_code == 302
    assert not Post.objects.filter(pk=copy.pk).exists()
    live.refresh_from_db()
    assert (live.slug, live.status, live.intro) == ("live-review", "published", "Published intro.")
    assert live.revisions.first().summary == "Published changes: intro"
    client.logout()
    assert "Published intro." in client.get("/posts/live-review/").content.decode()


def test_publish_is_refused_with_the_checklist_and_the_draft_kept(curator_client, live):
    copy = open_draft(curator_client, live)
    save_draft_entry(curator_client, copy, summary="")
    response = curator_client.post(
        reverse("admin:reviews_post_changes", args=[copy.pk]), {"publish": "1"}, follow=True
    )
    assert (
        "Changes not published: “Live review” cannot be published: Entries without a summary"
        in (response.content.decode())
    )
    assert Post.objects.filter(pk=copy.pk).exists()
    assert live.sections.get().entries.get().summary == "Old summary."


def test_discard_deletes_the_draft_and_leaves_the_live_post(curator_client, live):
    copy = open_draft(curator_client, live)
    save_draft(curator_client, copy, intro="Not wanted.")
    response = curator_client.post(
        reverse("admin:reviews_post_changes", args=[copy.pk]), {"discard": "1"}
    )
    assert response.status_code == 302
    assert not Post.objects.filter(working_copy_of=live).exists()
    live.refresh_from_db()
    assert live.intro == "Old intro."


def test_a_contributor_sees_the_live_post_read_only_and_opens_no_draft(contributor_client, live):
    response = contributor_client.get(change_url(live))
    assert response.status_code == 200
    assert not Post.objects.filter(working_copy_of=live).exists()


def test_a_draft_keeps_slug_and_publishing_state_read_only(curator_client, live):
    copy = open_draft(curator_client, live)
    form = curator_client.get(change_url(copy)).context["adminform"].form
    assert {"slug", "status", "published_at"}.isdisjoint(form.fields)


def test_resubmitting_crlf_text_unchanged_is_saved_as_lf_and_reported_as_no_change(curator_client):
    post = PostFactory(intro="One\nTwo", conclusion="End\nNow")
    data = form_data(curator_client.get(change_url(post)).content.decode())
    data.update(intro="One\r\nTwo", conclusion="End\r\nNow")
    assert curator_client.post(change_url(post), data).status_code == 302
    post.refresh_from_db()
    assert (post.intro, post.conclusion) == ("One\nTwo", "End\nNow")
    assert post.revisions.first().summary == "Saved without changes"


def test_autosave_keeps_edits_per_user_and_offers_them_on_reopening(curator, curator_client):
    post = PostFactory(intro="Saved intro.")
    url = reverse("admin:reviews_post_autosave", args=[post.pk])
    body = {
        "form": [["intro", "Typed\r\nbut not saved"], ["csrfmiddlewaretoken", "x"]],
        "version": 1,
    }
    response = curator_client.post(url, json.dumps(body), content_type="application/json")
    assert response.status_code == 200
    saved = PostAutosave.objects.get(post=post, user=curator)
    assert saved.form_data == [["intro", "Typed\nbut not saved"]]

    page = curator_client.get(change_url(post))
    assert page.context["autosave_data"]["form"] == [["intro", "Typed\nbut not saved"]]
    assert (
        f"Your unsaved edits of this post from {saved.saved_at:%Y-%m-%d %H:%M} UTC were kept"
        in (page.content.decode())
    )

    save_draft(curator_client, post, intro="Saved at last.")
    assert not PostAutosave.objects.filter(post=post).exists()


def test_autosave_refuses_a_malformed_body_with_a_clear_error(curator_client):
    post = PostFactory()
    url = reverse("admin:reviews_post_autosave", args=[post.pk])
    response = curator_client.post(url, "{not json", content_type="application/json")
    assert (response.status_code, response.json()) == (
        400,
        {"error": "The autosave is not valid JSON."},
    )
    response = curator_client.post(
        url, json.dumps({"form": "intro"}), content_type="application/json"
    )
    assert response.json() == {
        "error": "The form state must be a list of [name, value] pairs of text."
    }


def test_autosave_of_a_post_one_may_not_edit_is_refused(contributor_client, live):
    url = reverse("admin:reviews_post_autosave", args=[live.pk])
    body = json.dumps({"form": [["intro", "x"]], "version": 1})
    response = contributor_client.post(url, body, content_type="application/json")
    assert response.status_code == 403
    assert not PostAutosave.objects.exists()


def test_a_form_opened_before_the_post_went_live_is_refused_with_its_input_kept(
    curator_client, live
):
    Post.objects.filter(pk=live.pk).update(status=Post.Status.DRAFT)
    data = form_data(curator_client.get(change_url(live)).content.decode())
    Post.objects.filter(pk=live.pk).update(status=Post.Status.PUBLISHED)
    data["intro"] = "Typed while it went live."
    response = curator_client.post(change_url(live), data)
    assert response.status_code == 200
    assert "This post is live: edits go to a draft of changes" in response.content.decode()
    assert "Typed while it went live." in response.content.decode()
    live.refresh_from_db()
    assert live.intro == "Old intro."


def entry_url(entry, view="change"):
    return reverse(f"admin:reviews_entry_{view}", args=[entry.pk])


def test_a_live_posts_entry_page_opens_the_same_entry_in_the_draft_of_changes(curator_client, live):
    entry = live.sections.get().entries.get()

    response = curator_client.get(entry_url(entry))

    copy = Post.objects.get(working_copy_of=live)
    twin = copy.sections.get().entries.get()
    assert response.status_code == 302
    assert response["Location"] == entry_url(twin)
    assert twin.heading == "Talk one"


def test_a_post_to_a_live_posts_entry_changes_nothing_and_says_where_to_edit(curator_client, live):
    entry = live.sections.get().entries.get()

    response = curator_client.post(entry_url(entry), {"summary": "Sneaked in."}, follow=True)

    entry.refresh_from_db()
    assert entry.summary == "Old summary."
    assert "This post is live: its edits go to its draft of changes" in response.content.decode()
    assert response.redirect_chain[-1][0] == entry_url(
        Post.objects.get(working_copy_of=live).sections.get().entries.get()
    )


def test_adding_images_to_a_live_posts_entry_adds_them_to_the_draft(curator_client, live):
    entry = live.sections.get().entries.get()

    response = curator_client.get(entry_url(entry, "add_images"))

    twin = Post.objects.get(working_copy_of=live).sections.get().entries.get()
    assert response["Location"] == entry_url(twin, "add_images")
