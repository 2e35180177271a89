"""Curators upload whole galleries in one go; hostile files are refused with the file named."""

import io

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from PIL import Image

from reviews.models import GalleryImage
from tests.factories import EntryFactory, GalleryImageFactory, PostFactory, UserFactory
from tests.imagefiles import (
    HTML_AS_PNG,
    exif_rotated_with_gps,
    png_header,
    slide,
    truncated_png,
    upload,
)

pytestmark = pytest.mark.django_db


def add_images_url(entry):
    return reverse("admin:reviews_entry_add_images", args=[entry.pk])


def stored_files(root):
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def test_a_curator_uploads_a_gallery_of_slides_in_one_go_in_slide_order(curator_client, media_root):
    entry = EntryFactory(heading="", summary="HyenaDNA")
    GalleryImageFactory(entry=entry, order=0, alt_text="Already there")
    files = [
        upload(f"slide{n}.{ext}", slide(1920, 1080, color=(n * 20, 80, 160), fmt=fmt))
        for n, fmt, ext in [(10, "PNG", "png"), (2, "JPEG", "jpg"), (1, "WEBP", "webp")]
    ]
    files.append(upload("phone.jpg", exif_rotated_with_gps(), "image/jpeg"))
    response = curator_client.post(
        add_images_url(entry), {"images": files, "alt_text": "HyenaDNA talk"}
    )
    assert response.status_code == 302
    assert response.url == reverse("admin:reviews_post_change", args=[entry.section.post_id])
    images = list(entry.images.order_by("order"))
    assert [(i.order, i.alt_text) for i in images] == [
        (0, "Already there"),
        (1, "Slide 1 of 4: HyenaDNA talk"),
        (2, "Slide 2 of 4: HyenaDNA talk"),
        (3, "Slide 3 of 4: HyenaDNA talk"),
        (4, "Slide 4 of 4: HyenaDNA talk"),
    ]
    assert [i.image.name.rsplit("/", 1)[1] for i in images[1:]] == [
        "phone.jpg",
        "slide1.webp",
        "slide2.jpg",
        "slide10.png",
    ]
    assert [(i.renditions["width"], i.renditions["height"]) for i in images[1:]] == [
        (200, 400),
        (1920, 1080),
        (1920, 1080),
        (1920, 1080),
    ]
    with default_storage.open(images[1].image.name) as handle:
        assert Image.open(io.BytesIO(handle.read())).getexif() == {}


def test_one_hostile_file_refuses_the_whole_batch_and_names_every_bad_file(
    curator_client, media_root
):
    entry = EntryFactory()
    files = [
        upload("good.png", slide(800, 450)),
        upload("slide.png", HTML_AS_PNG),
        upload("bomb.png", png_header(100_000, 100_000)),
        upload("cut.png", truncated_png()),
    ]
    response = curator_client.post(add_images_url(entry), {"images": files})
    assert response.status_code == 200
    errors = list(response.context["form"].errors["images"])
    assert errors[0] == (
        "“bomb.png” is refused: its header declares more pixels than the 50 megapixel "
        "limit (a decompression bomb?)."
    )
    assert errors[1].startswith("“cut.png” is truncated or corrupt")
    assert errors[2:] == [
        "“slide.png” is not a JPEG, PNG, WebP or GIF image (SVG and other formats are refused).",
        "No image was added; fix or remove these files.",
    ]
    assert "“slide.png” is not a JPEG" in response.content.decode()
    assert not GalleryImage.objects.exists()
    assert not media_root.exists() or stored_files(media_root) == []


def test_the_upload_page_offers_a_multi_file_input_for_images_only(curator_client):
    entry = EntryFactory()
    response = curator_client.get(add_images_url(entry))
    html = response.content.decode()
    assert 'type="file" name="images"' in html
    assert 'multiple accept="image/gif,image/jpeg,image/png,image/webp"' in html
    assert 'enctype="multipart/form-data"' in html


def test_the_upload_page_offers_the_heading_as_alt_text_and_refuses_none(
    curator_client, media_root
):
    entry = EntryFactory(heading="HyenaDNA talk")
    page = curator_client.get(add_images_url(entry))
    assert page.context["form"]["alt_text"].value() == "HyenaDNA talk"

    response = curator_client.post(
        add_images_url(entry), {"images": [upload("a.png", slide(10, 10))], "alt_text": " "}
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"alt_text": ["This field is required."]}
    assert not GalleryImage.objects.exists()


def test_staff_without_the_curator_role_cannot_upload(client):
    entry = EntryFactory()
    client.force_login(UserFactory(username="intern", is_staff=True))
    response = client.post(add_images_url(entry), {"images": [upload("a.png", slide(10, 10))]})
    assert response.status_code == 403
    assert not GalleryImage.objects.exists()


def test_an_upload_in_the_gallery_inline_is_validated_and_re_encoded(curator_client, media_root):
    entry = EntryFactory(heading="")
    url = reverse("admin:reviews_entry_change", args=[entry.pk])
    data = {
        "section": entry.section_id,
        "kind": "paper",
        "paper": entry.paper_id,
        "heading": "",
        "summary": "s",
        "link_url": "",
        "link_label": "[Paper link]",
        "order": entry.order,
        "version": entry.version,
        "images-TOTAL_FORMS": "1",
        "images-INITIAL_FORMS": "0",
        "images-0-alt_text": "A phone photo",
        "images-0-order": "0",
        "images-0-external_url": "",
    }
    bad = curator_client.post(url, {**data, "images-0-image": upload("x.png", HTML_AS_PNG)})
    assert bad.status_code == 200
    assert "“x.png” is not a JPEG, PNG, WebP or GIF image" in bad.content.decode()
    assert not GalleryImage.objects.exists()

    photo = upload("IMG 0001.JPG", exif_rotated_with_gps(), "image/jpeg")
    good = curator_client.post(url, {**data, "images-0-image": photo})
    assert good.status_code == 302
    image = GalleryImage.objects.get()
    assert image.image.name.endswith("/img-0001.jpg")
    with default_storage.open(image.image.name) as handle:
        stored = Image.open(io.BytesIO(handle.read()))
        assert (stored.size, dict(stored.getexif())) == ((200, 400), {})
    page = curator_client.get(url).content.decode()
    thumb = min(image.renditions["files"], key=lambda f: f["width"])["name"]
    assert f'<img src="/media/{thumb}" alt="A phone photo"' in page


def test_a_cover_upload_is_validated_and_gets_renditions(curator_client, media_root):
    post = PostFactory(title="NeurIPS 2023", slug="neurips-2023")
    url = reverse("admin:reviews_post_change", args=[post.pk])
    data = {
        "title": post.title,
        "slug": post.slug,
        "status": "draft",
        "author_name": "",
        "tags": "",
        "version": str(post.version),
        "sections-TOTAL_FORMS": "0",
        "sections-INITIAL_FORMS": "0",
    }
    bomb = curator_client.post(
        url, {**data, "cover_image": upload("c.png", png_header(9999, 9999))}
    )
    assert "“c.png” is refused" in bomb.content.decode()
    cover = upload("cover.png", slide(2000, 1000))
    assert curator_client.post(url, {**data, "cover_image": cover}).status_code == 302
    post.refresh_from_db()
    assert (post.cover_image.name.endswith("/cover.png"), post.cover_renditions["width"]) == (
        True,
        2000,
    )
    listing = curator_client.get(reverse("admin:reviews_post_changelist")).content.decode()
    thumb = min(post.cover_renditions["files"], key=lambda f: f["width"])["name"]
    assert f'src="/media/{thumb}"' in listing


def test_the_entry_list_shows_a_thumbnail_rendition_in_constant_queries(
    curator_client, media_root, django_assert_max_num_queries
):
    from reviews.media.images import clean_image

    entry = EntryFactory()
    image = GalleryImageFactory(
        entry=entry, external_url="", image=clean_image(upload("s.png", slide(900, 500))).as_file()
    )
    for _ in range(6):
        GalleryImageFactory(entry=EntryFactory())
    url = reverse("admin:reviews_entry_changelist")
    with django_assert_max_num_queries(12):
        response = curator_client.get(url)
    thumb = min(image.renditions["files"], key=lambda f: f["width"])["name"]
    assert f'src="/media/{thumb}"' in response.content.decode()
    assert response.content.decode().count("1 image(s)") == 7


def test_a_batch_that_fails_half_way_leaves_no_rows_and_no_files(media_root):
    from django.core.exceptions import ValidationError

    from reviews.media.galleries import add_gallery_images
    from reviews.media.images import clean_image

    entry = EntryFactory()
    images = [clean_image(upload(f"s{n}.png", slide(60, 40))) for n in range(10)]
    # Alt texts "P…, slide 1" to "…, slide 9" fit in 300 characters; "…, slide 10" does not.
    with pytest.raises(ValidationError, match="at most 300 characters"):
        add_gallery_images(entry=entry, images=images, alt_prefix="P" * 291)
    assert not GalleryImage.objects.exists()
    assert stored_files(media_root) == []


def test_too_many_files_or_too_many_bytes_in_one_batch_are_refused_up_front(curator_client):
    from reviews.admin import forms

    entry = EntryFactory()
    tiny = slide(20, 10)
    many = [upload(f"s{n}.png", tiny) for n in range(forms.MAX_FILES_PER_UPLOAD + 1)]
    response = curator_client.post(add_images_url(entry), {"images": many})
    assert list(response.context["form"].errors["images"]) == [
        "Upload at most 60 images at a time."
    ]
    heavy = [upload(f"h{n}.png", b"\0" * (19 * 1024 * 1024)) for n in range(11)]
    response = curator_client.post(add_images_url(entry), {"images": heavy})
    assert list(response.context["form"].errors["images"]) == [
        "These files add up to 209 MB; upload at most 200 MB at a time."
    ]
    assert not GalleryImage.objects.exists()
