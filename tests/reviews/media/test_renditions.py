"""Renditions are made once per source, kept on the row, regenerated when the source changes."""

import io
import os

import pytest
from django.core.files.storage import default_storage
from django.db import transaction
from django.template import Context, Template
from PIL import Image

from reviews.media.images import clean_image
from reviews.media.renditions import ensure_renditions
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
    assert sorted(sizes_on_disk(record)) == [
        ("PNG", (400, 225)),
        ("PNG", (1600, 900)),
        ("WEBP", (400, 225)),
        ("WEBP", (1600, 900)),
    ]


def test_a_small_source_gets_no_upscaled_renditions(media_root):
    image = uploaded(data=slide(300, 200, fmt="JPEG"), name="small.jpg")
    assert sizes_on_disk(image.renditions) == [("WEBP", (300, 200))]


def test_renditions_are_reused_when_the_source_is_unchanged(media_root):
    image = uploaded()
    names = [f["name"] for f in image.renditions["files"]]
    mtimes = [os.path.getmtime(default_storage.path(n)) for n in names]
    image.caption = "A new caption"
    image.save()
    assert ensure_renditions(image) is False
    assert [f["name"] for f in image.renditions["files"]] == names
    assert [os.path.getmtime(default_storage.path(n)) for n in names] == mtimes


def test_a_replaced_source_gets_new_renditions_and_the_old_files_go(
    media_root, django_capture_on_commit_callbacks
):
    image = uploaded(data=slide(1000, 500))
    old_source = image.image.name
    old_names = [f["name"] for f in image.renditions["files"]]
    image.image = clean_image(upload("other.png", slide(800, 800, color=(200, 0, 0)))).as_file()
    with django_capture_on_commit_callbacks(execute=True):
        image.save()
    image.refresh_from_db()
    assert (image.renditions["width"], image.renditions["height"]) == (800, 800)
    assert not any(default_storage.exists(n) for n in [old_source, *old_names])
    assert all(default_storage.exists(f["name"]) for f in image.renditions["files"])


def test_missing_rendition_files_are_regenerated(media_root):
    image = uploaded()
    name = image.renditions["files"][0]["name"]
    default_storage.delete(name)
    assert ensure_renditions(image) is True
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
    html = render_gallery([image], "H")
    stem = os.path.splitext(os.path.basename(image.image.name))[0]
    sha = image.renditions["sha256"][:12]
    base = f"/media/renditions/{stem}-{sha}"
    assert html == figure(
        f"/media/{image.image.name}",
        f'<picture><source type="image/webp" srcset="{base}-400w.webp 400w, '
        f'{base}-1600w.webp 1600w" '
        'sizes="(min-width: 48rem) 20rem, 50vw">'
        f'<img src="/media/{image.image.name}" srcset="{base}-400w.png 400w, '
        f'{base}-1600w.png 1600w, /media/{image.image.name} 2400w" '
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
    for item in image.renditions["files"]:
        with default_storage.open(item["name"]) as handle:
            assert Image.open(io.BytesIO(handle.read())).size == (item["width"], item["height"])
    assert GalleryImage.objects.get().renditions == image.renditions


def test_a_rolled_back_replacement_keeps_the_old_source_and_renditions(media_root):
    image = uploaded(data=slide(1000, 500))
    old = [image.image.name, *(f["name"] for f in image.renditions["files"])]
    with transaction.atomic():
        image.image = clean_image(upload("new.png", slide(700, 700))).as_file()
        image.save()
        transaction.set_rollback(True)
    image.refresh_from_db()
    assert [image.image.name, *(f["name"] for f in image.renditions["files"])] == old
    assert all(default_storage.exists(name) for name in old)
