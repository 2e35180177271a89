"""An entry on its own page: added from the outline in a few steps, slides and alt text included."""

import pytest
from django.urls import reverse

from reviews.models import Entry, GalleryImage, Keynote, Post
from tests.factories import (
    ConferenceFactory,
    EntryFactory,
    GalleryImageFactory,
    KeynoteFactory,
    PostFactory,
    SectionFactory,
    UserFactory,
)
from tests.imagefiles import HTML_AS_PNG, slide, upload
from tests.reviews.forms import form_data

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:reviews_entry_add")
NOT_AN_IMAGE = (
    "“notes.png” is not a JPEG, PNG, WebP or GIF image (SVG and other formats are refused)."
)


@pytest.fixture
def section(db):
    conference = ConferenceFactory(short_name="NeurIPS 2023")
    return SectionFactory(post=PostFactory(conference=conference), order=0)


def add_keynote_form(client, section):
    """The "Add keynote" page as the outline's button opens it, read as a browser sends it."""
    response = client.get(ADD_URL, {"section": section.pk, "kind": "keynote"})
    return response, form_data(response.content.decode(), "entry_form")


def slides(count):
    return [
        upload(f"slide{n}.png", slide(320, 180, color=(40 * n, 90, 150)))
        for n in range(1, count + 1)
    ]


def test_add_keynote_opens_preset_to_the_section_with_a_keynote_link_label(curator_client, section):
    response, data = add_keynote_form(curator_client, section)

    assert (data["section"], data["kind"], data["link_label"]) == (
        str(section.pk),
        "keynote",
        "[Video link]",
    )
    assert f"Back to “{section.post}”" in response.content.decode()


def test_a_keynote_created_in_place_with_three_slides_in_one_save(curator_client, section):
    _, data = add_keynote_form(curator_client, section)
    data.update(
        new_keynote_title="Delusion of Scaling",
        new_keynote_speaker="Björn Ommer",
        summary="Ommer starts us off.",
        slide_alt=["Slide 1 of 3: title", "Slide 2 of 3: a chart", "Slide 3 of 3: thanks"],
        slides=slides(3),
    )

    response = curator_client.post(ADD_URL, data)

    assert response.status_code == 302, response.context["errors"]
    entry = Entry.objects.get()
    assert (entry.keynote.title, entry.keynote.speaker, entry.keynote.conference) == (
        "Delusion of Scaling",
        "Björn Ommer",
        section.post.conference,
    )
    assert list(entry.keynote.speaker_links.values_list("author__name", "author__slug")) == [
        ("Björn Ommer", "bjorn-ommer")
    ]
    assert entry.link_label == "[Video link]"
    assert list(entry.images.values_list("alt_text", "order")) == [
        ("Slide 1 of 3: title", 0),
        ("Slide 2 of 3: a chart", 1),
        ("Slide 3 of 3: thanks", 2),
    ]
    assert Post.objects.get() == section.post
    assert section.post.revisions.get().summary == (
        "Added entry “Delusion of Scaling - Björn Ommer” on its own page"
    )


def test_without_the_script_the_slides_are_described_from_the_heading(curator_client, section):
    keynote = KeynoteFactory(conference=section.post.conference, title="Scaling", speaker="Ommer")
    _, data = add_keynote_form(curator_client, section)
    data.update(keynote=keynote.pk, summary="Talk.", slides=slides(2))

    assert curator_client.post(ADD_URL, data).status_code == 302

    assert list(GalleryImage.objects.values_list("alt_text", flat=True)) == [
        "Slide 1 of 2: Scaling",
        "Slide 2 of 2: Scaling",
    ]


def test_a_refused_slide_is_named_and_nothing_is_kept(curator_client, section, media_root):
    _, data = add_keynote_form(curator_client, section)
    data.update(
        new_keynote_title="Delusion of Scaling",
        new_keynote_speaker="Ommer",
        summary="Ommer starts us off.",
        slides=[*slides(1), upload("notes.png", HTML_AS_PNG)],
    )

    response = curator_client.post(ADD_URL, data)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["slides"]
    assert errors[0] == NOT_AN_IMAGE
    assert errors[-1] == "No image was added; fix or remove these files."
    assert (Entry.objects.count(), Keynote.objects.count(), GalleryImage.objects.count()) == (
        0,
        0,
        0,
    )
    assert not [path for path in media_root.rglob("*") if path.is_file()]


def test_a_slide_whose_alt_text_was_cleared_is_refused(curator_client, section):
    keynote = KeynoteFactory(conference=section.post.conference)
    _, data = add_keynote_form(curator_client, section)
    data.update(keynote=keynote.pk, summary="Talk.", slides=slides(2), slide_alt=["Fine", " "])

    response = curator_client.post(ADD_URL, data)

    assert response.status_code == 200
    assert response.context["errors"] == [
        ["Describe every new image for readers who cannot see it; no alt text for: slide2.png."]
    ]
    assert not Entry.objects.exists()


def test_a_new_keynote_needs_the_posts_conference(curator_client):
    section = SectionFactory(post=PostFactory(conference=None), order=0)
    _, data = add_keynote_form(curator_client, section)
    data.update(new_keynote_title="Talk", new_keynote_speaker="Someone", summary="s")

    response = curator_client.post(ADD_URL, data)

    assert response.context["errors"] == [
        ["Set the post's conference first: a new keynote or paper is created for it."]
    ]
    assert not Keynote.objects.exists()


def test_a_dropped_file_is_checked_by_the_image_gate_before_the_save(curator_client):
    url = reverse("admin:reviews_entry_check_image")

    good = curator_client.post(url, {"image": upload("slide1.png", slide(320, 180))})
    bad = curator_client.post(url, {"image": upload("notes.png", HTML_AS_PNG)})

    assert good.json() == {"ok": True, "name": "slide1.png", "width": 320, "height": 180}
    assert bad.json() == {"ok": False, "name": "notes.png", "error": NOT_AN_IMAGE}
    assert not GalleryImage.objects.exists()


def test_staff_without_the_upload_permission_cannot_use_the_image_check(client):
    client.force_login(UserFactory(username="intern", is_staff=True))
    url = reverse("admin:reviews_entry_check_image")
    response = client.post(url, {"image": upload("slide1.png", slide(32, 18))})
    assert response.status_code == 403


def test_publishing_without_a_date_takes_now_instead_of_naming_a_constraint(curator_client):
    post = PostFactory()
    url = reverse("admin:reviews_post_change", args=[post.pk])
    data = form_data(curator_client.get(url).content.decode())
    data.update(status="published", published_at_0="", published_at_1="")

    response = curator_client.post(url, data)

    assert response.status_code == 302
    post.refresh_from_db()
    assert post.is_public


@pytest.mark.parametrize("value", ["abc", "99999999999999999999", "123456789"])
def test_a_hostile_preset_parent_opens_an_empty_add_page(curator_client, value):
    response = curator_client.get(ADD_URL, {"section": value, "kind": "keynote"})
    assert response.status_code == 200
    assert "part_post" not in response.context


def test_an_image_moves_from_the_entry_page_and_a_new_row_goes_last(curator_client, section):
    entry = EntryFactory(section=section, order=0)
    _, second = (
        GalleryImageFactory(entry=entry, order=n, alt_text=t) for n, t in enumerate(["one", "two"])
    )
    page = curator_client.get(reverse("admin:reviews_entry_change", args=[entry.pk]))
    action = page.context["image_reorder_url"]
    assert f'value="{second.pk}:up"' in page.content.decode()

    response = curator_client.post(action, {"move": f"{second.pk}:up"})

    assert response["Location"] == (
        reverse("admin:reviews_entry_change", args=[entry.pk]) + "#images-group"
    )
    assert list(entry.images.order_by("order").values_list("alt_text", flat=True)) == [
        "two",
        "one",
    ]
    data = form_data(
        curator_client.get(reverse("admin:reviews_entry_change", args=[entry.pk])).content.decode(),
        "entry_form",
    )
    data.update(
        {
            "images-TOTAL_FORMS": "3",
            "images-2-external_url": "https://img.example.org/three.png",
            "images-2-alt_text": "three",
        }
    )
    response = curator_client.post(reverse("admin:reviews_entry_change", args=[entry.pk]), data)
    assert response.status_code == 302, response.context["errors"]
    assert list(entry.images.order_by("order").values_list("alt_text", "order")) == [
        ("two", 0),
        ("one", 1),
        ("three", 2),
    ]


def test_a_gallery_row_without_alt_text_is_refused(curator_client, section):
    entry = EntryFactory(section=section, order=0)
    url = reverse("admin:reviews_entry_change", args=[entry.pk])
    data = form_data(curator_client.get(url).content.decode(), "entry_form")
    data.update(
        {
            "images-TOTAL_FORMS": "1",
            "images-0-external_url": "https://img.example.org/x.png",
            "images-0-alt_text": "",
        }
    )
    response = curator_client.post(url, data)
    assert response.status_code == 200
    assert not GalleryImage.objects.exists()


def test_add_paper_creates_the_paper_in_place_with_the_posts_conference(curator_client, section):
    response = curator_client.get(ADD_URL, {"section": section.pk, "kind": "paper"})
    data = form_data(response.content.decode(), "entry_form")
    assert data["link_label"] == "[Paper link]"
    data.update(new_paper_title="HyenaDNA", summary="Long-range genomics.", slides=slides(1))

    assert curator_client.post(ADD_URL, data).status_code == 302

    entry = Entry.objects.get()
    assert (entry.paper.title, entry.paper.conference) == ("HyenaDNA", section.post.conference)
    assert entry.paper.slug == "hyenadna"
    assert list(entry.images.values_list("alt_text", flat=True)) == ["Slide 1 of 1: HyenaDNA"]
