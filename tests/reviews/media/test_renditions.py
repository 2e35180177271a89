"""Renditions: content-addressed, made once per source bytes, kept on the row, shared safely."""

import io
import os

import pytest
from django.core.files.storage import default_storage
from django.db import transaction
from django.template import Context, Template
from PIL import Image

from reviews.media.images import clean_image
from reviews.media.pipeline import render
from reviews.media.renditions import READY, rendition_name
from reviews.models import GalleryImage
from tests.factories import EntryFactory, GalleryImageFactory, PostFactory
from tests.imagefiles import slide, upload

pytestmark = pytest.mark.django_db


def uploaded(entry=None, *, data=None, name="slide.png", **fields):
    clean = clean_image(upload(name, data or slide()))
    return GalleryImageFactory(
        entry=entry or EntryFactory(), external_url="", image=clean.as_file(), **fields
    )


def sizes_on_disk(record):
    result = []
    for item in record["files"]:
        with default_storage.open(item["name"]) as handle:
            image = Image.open(handle)
            result.append((image.format, image.size))
    return result


def test_saving_an_upload_makes_400_and_1600_renditions_in_its_format_and_webp(media_root):
    image = uploaded(data=slide(2400, 1350))
    image.refresh_from_db()
    record = image.renditions
    assert (record["width"], record["height"], record["type"]) == (2400, 1350, "image/png")
    assert record["state"] == READY
    assert sorted(sizes_on_disk(record)) == [
        ("PNG", (400, 225)),
        ("PNG", (1600, 900)),
        ("WEBP", (400, 225)),
        ("WEBP", (1600, 900)),
    ]


def test_a_small_source_gets_no_upscaled_renditions(media_root):
    image = uploaded(data=slide(300, 200, fmt="JPEG"), name="small.jpg")
    image.refresh_from_db()
    assert sizes_on_disk(image.renditions) == [("WEBP", (300, 200))]


def test_renditions_are_named_by_the_source_bytes_and_the_spec(media_root):
    image = uploaded(data=slide(2400, 1350))
    image.refresh_from_db()
    sha = image.renditions["sha256"]
    assert [f["name"] for f in image.renditions["files"]] == [
        rendition_name(sha, 400, "PNG"),
        rendition_name(sha, 400, "WEBP"),
        rendition_name(sha, 1600, "PNG"),
        rendition_name(sha, 1600, "WEBP"),
    ]
    assert rendition_name(sha, 400, "PNG").startswith("renditions/")
    assert rendition_name(sha, 400, "PNG") != rendition_name(sha, 400, "WEBP")
    assert rendition_name(sha, 400, "PNG") != rendition_name("0" * 64, 400, "PNG")


def test_renditions_are_reused_when_the_source_is_unchanged(media_root):
    image = uploaded()
    image.refresh_from_db()
    names = [f["name"] for f in image.renditions["files"]]
    mtimes = [os.path.getmtime(default_storage.path(n)) for n in names]
    image.caption = "A new caption"
    image.save()
    assert render(kind="gallery", pk=image.pk) == "unchanged"
    image.refresh_from_db()
    assert [f["name"] for f in image.renditions["files"]] == names
    assert [os.path.getmtime(default_storage.path(n)) for n in names] == mtimes


def test_two_rows_with_the_same_bytes_share_their_renditions(media_root):
    data = slide(1000, 500)
    first, second = uploaded(data=data), uploaded(data=data, name="copy.png")
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.image.name != second.image.name
    assert first.renditions["files"] == second.renditions["files"]


def test_deleting_one_of_two_rows_keeps_the_shared_renditions_until_the_last_goes(
    media_root, django_capture_on_commit_callbacks
):
    data = slide(1000, 500)
    first, second = uploaded(data=data), uploaded(data=data, name="copy.png")
    second.refresh_from_db()
    shared = [f["name"] for f in second.renditions["files"]]
    with django_capture_on_commit_callbacks(execute=True):
        first.delete()
    assert all(default_storage.exists(name) for name in shared)
    assert not default_storage.exists(first.image.name)
    with django_capture_on_commit_callbacks(execute=True):
        second.delete()
    assert not any(default_storage.exists(name) for name in [*shared, second.image.name])


def test_replacing_a_cover_keeps_the_renditions_a_gallery_image_shares(
    media_root, django_capture_on_commit_callbacks
):
    data = slide(2000, 1000, fmt="JPEG")
    gallery = uploaded(data=data, name="keynote.jpg")
    gallery.refresh_from_db()
    post = PostFactory(cover_image=clean_image(upload("cover.jpg", data)).as_file())
    post.refresh_from_db()
    assert post.cover_renditions["files"] == gallery.renditions["files"]
    post.cover_image = clean_image(upload("new.jpg", slide(900, 600, fmt="JPEG"))).as_file()
    with django_capture_on_commit_callbacks(execute=True):
        post.save()
    assert all(default_storage.exists(f["name"]) for f in gallery.renditions["files"])


def test_a_replaced_source_gets_new_renditions_and_the_old_files_go(
    media_root, django_capture_on_commit_callbacks
):
    image = uploaded(data=slide(1000, 500))
    image.refresh_from_db()
    old_source = image.image.name
    old_names = [f["name"] for f in image.renditions["files"]]
    image.image = clean_image(upload("other.png", slide(800, 800, color=(200, 0, 0)))).as_file()
    with django_capture_on_commit_callbacks(execute=True):
        image.save()
    image.refresh_from_db()
    assert (image.renditions["width"], image.renditions["height"]) == (800, 800)
    assert not any(default_storage.exists(n) for n in [old_source, *old_names])
    assert all(default_storage.exists(f["name"]) for f in image.renditions["files"])


def test_missing_rendition_files_are_regenerated_by_the_task(media_root):
    image = uploaded()
    image.refresh_from_db()
    name = image.renditions["files"][0]["name"]
    default_storage.delete(name)
    assert render(kind="gallery", pk=image.pk) == "ready"
    assert default_storage.exists(name)


def test_a_cover_upload_gets_renditions_too(media_root):
    cover = clean_image(upload("cover.jpg", slide(2000, 1000, fmt="JPEG")))
    post = PostFactory(cover_image=cover.as_file())
    post.refresh_from_db()
    assert post.cover_renditions["width"] == 2000
    assert len(post.cover_renditions["files"]) == 4


GALLERY = Template("{% load responsive_images %}{% gallery_items images heading %}")


def render_gallery(images, heading):
    return GALLERY.render(Context({"images": images, "heading": heading}))


def figure(src, img, caption=""):
    return (
        '<figure class="gallery-item">\n'
        f'  <button type="button" class="gallery-open" data-full="{src}" data-caption="{caption}">'
        f"\n    {img}\n  </button>\n</figure>"
    )


def test_the_gallery_renders_srcset_dimensions_and_lazy_loading(media_root):
    image = uploaded(data=slide(2400, 1350), alt_text="The scaling curve")
    image.refresh_from_db()
    html = render_gallery([image], "H")
    sha = image.renditions["sha256"]

    def url(width, fmt):
        return f"/media/{rendition_name(sha, width, fmt)}"

    assert html == figure(
        f"/media/{image.image.name}",
        f'<picture><source type="image/webp" srcset="{url(400, "WEBP")} 400w, '
        f'{url(1600, "WEBP")} 1600w" '
        'sizes="(min-width: 48rem) 20rem, 50vw">'
        f'<img src="/media/{image.image.name}" srcset="{url(400, "PNG")} 400w, '
        f'{url(1600, "PNG")} 1600w, /media/{image.image.name} 2400w" '
        'sizes="(min-width: 48rem) 20rem, 50vw" width="2400" height="1350" '
        'alt="The scaling curve" loading="lazy" decoding="async"></picture>',
    )


def test_the_gallery_keeps_external_images_as_a_plain_lazy_img_with_the_heading_as_alt():
    image = GalleryImageFactory(
        external_url="https://img.example.org/a.png", alt_text="", caption='Fig. "1" <b>'
    )
    html = render_gallery([image], "Hyena<DNA>")
    assert html == figure(
        "https://img.example.org/a.png",
        '<img src="https://img.example.org/a.png" alt="Hyena&lt;DNA&gt;" loading="lazy"'
        ' decoding="async">',
        caption="Fig. &quot;1&quot; &lt;b&gt;",
    ).replace("</button>", "</button>\n  <figcaption>Fig. &quot;1&quot; &lt;b&gt;</figcaption>")


def test_the_post_page_serves_renditions_with_a_constant_number_of_queries(
    media_root, client, django_assert_num_queries
):
    post = PostFactory(published=True)
    entry = EntryFactory(section__post=post)
    uploaded(entry, data=slide(1800, 1000), alt_text="Slide one")
    # The body, renditions included, is stored at save time: post, tags, previous, next.
    with django_assert_num_queries(4):
        small = client.get(post.get_absolute_url())
    for n in range(5):
        uploaded(entry, data=slide(1800, 1000 + n), alt_text=f"Slide {n}")
        GalleryImageFactory(entry=entry)
    with django_assert_num_queries(4):
        large = client.get(post.get_absolute_url())
    html = large.content.decode()
    assert html.count('loading="lazy"') == 11
    assert html.count('type="image/webp"') == 6
    assert 'width="1800" height="1004"' in html
    assert small.status_code == 200


def test_rendition_dimensions_match_the_files(media_root):
    image = uploaded(data=slide(1999, 1001, fmt="WEBP"), name="odd.webp")
    image.refresh_from_db()
    for item in image.renditions["files"]:
        with default_storage.open(item["name"]) as handle:
            assert Image.open(io.BytesIO(handle.read())).size == (item["width"], item["height"])
    assert GalleryImage.objects.get().renditions == image.renditions


def test_a_rolled_back_replacement_keeps_the_old_source_and_renditions(media_root):
    image = uploaded(data=slide(1000, 500))
    image.refresh_from_db()
    old = [image.image.name, *(f["name"] for f in image.renditions["files"])]
    with transaction.atomic():
        image.image = clean_image(upload("new.png", slide(700, 700))).as_file()
        image.save()
        transaction.set_rollback(True)
    image.refresh_from_db()
    assert [image.image.name, *(f["name"] for f in image.renditions["files"])] == old
    assert all(default_storage.exists(name) for name in old)
