import datetime
import io
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from PIL import Image

from reviews.markdown.bundle import build_bundle
from reviews.markdown.importer import MarkdownImportError, MarkdownSource, import_post
from reviews.media.images import clean_image
from reviews.media.renditions import READY, state
from reviews.models import GalleryImage, Post
from tests.factories import EntryFactory, GalleryImageFactory, PostFactory, SectionFactory
from tests.imagefiles import SVG, exif_rotated_with_gps, png_header, slide, truncated_png

pytestmark = pytest.mark.django_db


def png_bytes(color="teal"):
    """A PNG as the site stores it: through the image gate, so a re-import keeps its bytes."""
    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), color).save(buffer, "PNG")
    return clean_image(ContentFile(buffer.getvalue(), name="x.png")).content


def read(field):
    with field.open("rb") as handle:
        return handle.read()


def bundled_post(prefix):
    post = PostFactory(
        slug="bundle-review",
        title="ICLR 2024 Bundle Review",
        published_at=datetime.datetime(2024, 5, 10, 12, tzinfo=datetime.UTC),
        cover_image=SimpleUploadedFile(f"{prefix}-cover.png", png_bytes("red")),
    )
    entry = EntryFactory(section=SectionFactory(post=post, title="Selected papers"))
    GalleryImageFactory(entry=entry, order=0, external_url="https://img.example.org/ext.png")
    GalleryImageFactory(
        entry=entry,
        order=1,
        external_url="",
        image=SimpleUploadedFile(f"{prefix}-slide.png", png_bytes("blue")),
    )
    return post


def contents(data):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_a_bundle_holds_the_post_under_posts_and_its_uploads_under_img():
    post = bundled_post("layout")

    files = contents(build_bundle([post]))

    assert sorted(files) == [
        "_posts/2024-05-10-bundle-review.md",
        "img/bundle-review/layout-cover.png",
        "img/bundle-review/layout-slide.png",
    ]
    markdown = files["_posts/2024-05-10-bundle-review.md"].decode()
    assert "image: /img/bundle-review/layout-cover.png\n" in markdown
    assert '<galleryitem src="/img/bundle-review/layout-slide.png"></galleryitem>' in markdown
    assert '<galleryitem src="https://img.example.org/ext.png"></galleryitem>' in markdown
    assert files["img/bundle-review/layout-slide.png"] == png_bytes("blue")


def test_importing_a_bundle_stores_its_images_as_uploads_and_exports_the_same_bundle():
    post = bundled_post("trip")
    original = contents(build_bundle([post]))
    for image in GalleryImage.objects.filter(entry__section__post=post):
        image.image.delete(save=False)
    post.cover_image.delete(save=False)
    post.delete()

    report = import_post(source=MarkdownSource("bundle.zip", build_bundle_from(original)))

    imported = Post.objects.get(slug="bundle-review")
    assert report.uploads == 2
    assert read(imported.cover_image) == png_bytes("red")
    uploaded = GalleryImage.objects.get(entry__section__post=imported, order=1)
    assert uploaded.external_url == ""
    assert read(uploaded.image) == png_bytes("blue")
    assert contents(build_bundle([imported])) == original


def test_a_bundles_uploaded_images_get_their_renditions_like_saved_ones():
    post = bundled_post("renditions")
    original = contents(build_bundle([post]))
    post.delete()

    import_post(source=MarkdownSource("bundle.zip", build_bundle_from(original)))

    imported = Post.objects.get(slug="bundle-review")
    uploaded = GalleryImage.objects.get(entry__section__post=imported, order=1)
    # Tests run tasks at once: the task queued by the import has made them.
    assert state(imported.cover_renditions) == READY
    assert state(uploaded.renditions) == READY
    assert uploaded.renditions["source"] == uploaded.image.name


def build_bundle_from(files):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"readme.txt": b"hi"}, "exactly one post under _posts/; this one holds 0"),
        (
            {"_posts/2024-01-01-a.md": b"---\ntitle: A\n---\n", "_posts/2024-01-02-b.md": b""},
            "this one holds 2",
        ),
        (
            {
                "_posts/2024-01-01-a.md": b"---\ntitle: A\n---\n",
                "img/a/x.png": b"not an image",
            },
            "bundle.zip:img/a/x.png: this file in the bundle is refused: “x.png” is not a JPEG",
        ),
        ({"_posts/2024-01-01-a.md": b"---\ntitle: [\n---\n"}, "bundle.zip:_posts/2024-01-01-a.md"),
    ],
)
def test_bad_bundles_are_refused_and_change_nothing(files, message):
    with pytest.raises(MarkdownImportError) as error:
        import_post(source=MarkdownSource("bundle.zip", build_bundle_from(files)))

    assert message in str(error.value)
    assert Post.objects.count() == 0


def test_a_truncated_zip_is_refused_with_a_clear_message():
    data = build_bundle_from({"_posts/2024-01-01-a.md": b"---\ntitle: A\n---\n"})[:30]

    with pytest.raises(MarkdownImportError, match=r"bundle\.zip: not a readable \.zip file"):
        import_post(source=MarkdownSource("bundle.zip", data))


def stored_files():
    now = datetime.datetime.now()
    folders = [f"covers/{now:%Y}", f"gallery/{now:%Y/%m}"]
    return {
        folder: sorted(default_storage.listdir(folder)[1])
        for folder in folders
        if default_storage.exists(folder)
    }


def test_a_bundle_that_fails_late_leaves_no_uploaded_files_behind():
    post = bundled_post("late")
    files = contents(build_bundle([post]))
    post.delete()
    (name,) = [n for n in files if n.endswith(".md")]
    files[name] += b"\n<h3>Late</h3>\n\n<h4>" + b"x" * 501 + b"</h4>\n"
    before = stored_files()

    with pytest.raises(MarkdownImportError, match="line 27: the heading is longer than 500"):
        import_post(source=MarkdownSource("bundle.zip", build_bundle_from(files)))

    assert stored_files() == before
    assert Post.objects.count() == 0


def test_a_dry_run_of_a_bundle_counts_its_uploads_but_stores_nothing():
    post = bundled_post("dry")
    data = build_bundle([post])
    post.delete()
    before = stored_files()

    report = import_post(source=MarkdownSource("bundle.zip", data), dry_run=True)

    assert report.uploads == 2
    assert report.stored_files == []
    assert stored_files() == before
    assert Post.objects.count() == 0


BOMB_POST = b"""---
title: ICLR 2024 Slides
---
<h3>Selected papers</h3>

<h4>A Paper</h4>

<div class="gallery">
<galleryitem src="/img/slides/ok.png"></galleryitem>
<galleryitem src="/img/slides/hostile.png"></galleryitem>
</div>
"""


def slide_bundle(hostile, *, hostile_name="hostile.png"):
    return build_bundle_from(
        {
            "_posts/2024-05-01-slides.md": BOMB_POST.replace(b"hostile.png", hostile_name.encode()),
            "img/slides/ok.png": png_bytes(),
            f"img/slides/{hostile_name}": hostile,
        }
    )


def test_a_bundle_jpeg_is_stored_rotated_and_without_exif_or_gps():
    import_post(
        source=MarkdownSource("b.zip", slide_bundle(exif_rotated_with_gps(), hostile_name="p.jpg"))
    )

    stored = GalleryImage.objects.get(order=1).image
    with Image.open(io.BytesIO(read(stored))) as image:
        assert (image.format, image.size) == ("JPEG", (200, 400))
        assert dict(image.getexif()) == {}
        assert "exif" not in image.info
    assert stored.name.endswith("/p.jpg")


def test_a_bundle_image_named_for_another_format_is_stored_under_its_real_one():
    import_post(source=MarkdownSource("b.zip", slide_bundle(slide(40, 30, fmt="JPEG"))))

    stored = GalleryImage.objects.get(order=1).image
    assert stored.name.endswith("/hostile.jpg")
    assert read(stored)[:3] == b"\xff\xd8\xff"


@pytest.mark.parametrize(
    ("hostile", "message"),
    [
        (png_header(10_000, 6_000), "“hostile.png” is 10000×6000 pixels (60.0 megapixels)"),
        (png_header(20_000, 20_000), "its header declares more pixels than the 50 megapixel"),
        (truncated_png(), "“hostile.png” is truncated or corrupt"),
        (SVG, "“hostile.png” is not a JPEG, PNG, WebP or GIF image"),
    ],
)
def test_hostile_bundle_images_are_refused_naming_the_file_and_nothing_is_written(hostile, message):
    before = stored_files()

    with pytest.raises(MarkdownImportError) as error:
        import_post(source=MarkdownSource("b.zip", slide_bundle(hostile)))

    assert str(error.value).startswith("b.zip:img/slides/hostile.png: this file in the bundle is")
    assert message in str(error.value)
    assert Post.objects.count() == 0
    assert GalleryImage.objects.count() == 0
    assert stored_files() == before


def test_the_import_command_refuses_a_decompression_bomb_without_a_traceback(tmp_path):
    path = tmp_path / "bomb.zip"
    path.write_bytes(slide_bundle(png_header(20_000, 20_000)))
    err = io.StringIO()

    with pytest.raises(CommandError) as error:
        call_command("import_post", str(path), stderr=err)

    assert "bomb.zip:img/slides/hostile.png: this file in the bundle is refused" in str(error.value)
    assert "Traceback" not in err.getvalue()
    assert Post.objects.count() == 0


def test_the_admin_import_page_shows_a_decompression_bomb_as_a_message(curator_client):
    bomb = SimpleUploadedFile("bomb.zip", slide_bundle(png_header(20_000, 20_000)))

    response = curator_client.post("/admin/reviews/post/import-markdown/", {"files": [bomb]})

    assert response.status_code == 200
    assert (
        "bomb.zip:img/slides/hostile.png: this file in the bundle is refused"
        in response.content.decode()
    )
    assert Post.objects.count() == 0
