"""Autosave on an entry's and a section's own page: the banner offers the kept edits with the
time they were kept, a save clears them, refusals are JSON with their reason."""

import json

import pytest
from django.urls import reverse
from django.utils import timezone

from core.autosave import MAX_CHARS
from reviews.models import Entry, PartAutosave, Post
from tests.factories import EntryFactory, GalleryImageFactory, PostFactory, SectionFactory
from tests.reviews.forms import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry():
    section = SectionFactory(post=PostFactory(), order=0, title="Talks")
    entry = EntryFactory(section=section, order=0, heading="Talk", summary="Saved summary.")
    GalleryImageFactory(entry=entry, alt_text="Slide one", external_url="https://i.example/1.png")
    return entry


def part_of(entry, model_name):
    return entry if model_name == "entry" else entry.section


def url_of(part, name):
    return reverse(f"admin:reviews_{part._meta.model_name}_{name}", args=[part.pk])


def keep(client, part, pairs, version=1):
    body = json.dumps({"form": pairs, "version": version})
    return client.post(url_of(part, "autosave"), body, content_type="application/json")


@pytest.mark.parametrize(
    ("model_name", "field"), [("entry", "images-0-alt_text"), ("section", "title")]
)
def test_the_page_offers_the_kept_edits_with_the_time_they_were_kept(
    curator, curator_client, entry, model_name, field
):
    part = part_of(entry, model_name)
    response = keep(curator_client, part, [[field, "Typed\r\nnot saved"], ["version", "1"]])
    saved = PartAutosave.objects.get(user=curator)
    assert response.json() == {"saved_at": saved.saved_at.isoformat()}

    page = curator_client.get(url_of(part, "change"))

    html = page.content.decode()
    assert page.context["autosave_data"]["form"] == [[field, "Typed\nnot saved"]]
    assert (
        f"Your unsaved edits of this {model_name} from {saved.saved_at:%Y-%m-%d %H:%M} UTC "
        "were kept." in html
    )
    assert f'data-autosave-url="{url_of(part, "autosave")}"' in html
    assert f'data-form="{model_name}_form"' in html
    assert "js/autosave.js" in html


def test_a_page_with_nothing_kept_has_the_script_but_no_offer(curator_client, entry):
    page = curator_client.get(url_of(entry, "change"))

    assert "pending_autosave" not in page.context
    assert page.context["autosave_version"] == entry.version
    assert '<p class="autosave-message"></p>' in page.content.decode()


def test_the_banner_says_when_the_entry_was_saved_since(curator, curator_client, entry):
    keep(curator_client, entry, [["summary", "Old edit"]], version=1)
    Entry.objects.filter(pk=entry.pk).update(version=3)

    html = curator_client.get(url_of(entry, "change")).content.decode()

    assert "(the entry was saved since: restoring puts your edited values over it)" in html


def test_saving_the_entry_page_clears_the_kept_edits(curator, curator_client, entry):
    keep(curator_client, entry, [["summary", "Kept"]])
    data = form_data(curator_client.get(url_of(entry, "change")).content.decode(), "entry_form")
    data["summary"] = "Saved at last."

    response = curator_client.post(url_of(entry, "change"), data)

    assert response.status_code == 302, response.context and response.context["errors"]
    assert Entry.objects.get(pk=entry.pk).summary == "Saved at last."
    assert not PartAutosave.objects.exists()


def test_discarding_forgets_the_kept_edits(curator_client, entry):
    keep(curator_client, entry.section, [["title", "Kept"]])

    response = curator_client.post(url_of(entry.section, "autosave") + "?discard=1")

    assert response.json() == {"discarded": True}
    assert not PartAutosave.objects.exists()


def test_a_contributor_is_refused_on_someone_elses_entry(contributor_client, entry):
    response = keep(contributor_client, entry, [["summary", "x"]])

    assert (response.status_code, response.json()) == (
        403,
        {"error": "You may not change this post."},
    )
    assert not PartAutosave.objects.exists()


def test_malformed_and_oversized_autosaves_are_refused_with_their_reason(curator_client, entry):
    url = url_of(entry, "autosave")
    broken = curator_client.post(url, "{not json", content_type="application/json")
    not_pairs = curator_client.post(
        url, json.dumps({"form": "summary"}), content_type="application/json"
    )
    oversized = keep(curator_client, entry, [["summary", "x" * (MAX_CHARS + 1)]])

    assert (broken.status_code, broken.json()) == (
        400,
        {"error": "The autosave is not valid JSON."},
    )
    assert (not_pairs.status_code, not_pairs.json()) == (
        400,
        {"error": "The form state must be a list of [name, value] pairs of text."},
    )
    assert (oversized.status_code, oversized.json()) == (
        400,
        {"error": "The form holds more than 2,000,000 characters; not kept."},
    )
    assert not PartAutosave.objects.exists()


def test_an_unknown_part_is_a_json_404(curator_client):
    response = curator_client.post(
        reverse("admin:reviews_entry_autosave", args=[987654]),
        "{}",
        content_type="application/json",
    )

    assert (response.status_code, response.json()) == (404, {"error": "No entry with this id."})


def test_a_live_posts_entry_page_autosaves_to_the_drafts_entry(curator_client, entry):
    live = entry.section.post
    Post.objects.filter(pk=live.pk).update(
        status=Post.Status.PUBLISHED, published_at=timezone.now()
    )

    opened = curator_client.get(url_of(entry, "change"))

    twin = Entry.objects.get(section__post__working_copy_of=live)
    assert opened["Location"] == url_of(twin, "change")
    html = curator_client.get(url_of(twin, "change")).content.decode()
    assert f'data-autosave-url="{url_of(twin, "autosave")}"' in html
    keep(curator_client, twin, [["summary", "Draft edit"]])
    assert list(PartAutosave.objects.values_list("entry", flat=True)) == [twin.pk]


@pytest.mark.parametrize("slides", [1, 25])
def test_the_entry_page_with_kept_edits_opens_in_constant_queries(
    curator, curator_client, django_assert_max_num_queries, slides
):
    section = SectionFactory(post=PostFactory(), order=0)
    entry = EntryFactory(section=section, order=0)
    for n in range(slides):
        GalleryImageFactory(entry=entry, order=n, external_url=f"https://i.example/{n}.png")
    keep(curator_client, entry, [["summary", "Kept"]])

    with django_assert_max_num_queries(28):
        page = curator_client.get(url_of(entry, "change"))

    assert page.context["autosave_data"]["form"] == [["summary", "Kept"]]
