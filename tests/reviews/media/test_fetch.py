"""fetch_images downloads external gallery images from a real HTTP server on 127.0.0.1."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from reviews.media.images import MAX_BYTES
from reviews.models import GalleryImage
from tests.factories import EntryFactory, GalleryImageFactory
from tests.image_server import serving
from tests.imagefiles import HTML_AS_PNG, exif_rotated_with_gps, slide

pytestmark = pytest.mark.django_db

ROUTES = {
    "/slides/ok.png": (200, "image/png", slide(1700, 900), {}),
    "/slides/photo.jpg": (200, "image/jpeg", exif_rotated_with_gps(), {}),
    "/page.png": (200, "text/html; charset=utf-8", HTML_AS_PNG, {}),
    "/fake.png": (200, "image/png", HTML_AS_PNG, {}),
    "/claims-huge.png": (200, "image/png", b"x", {"Content-Length": str(MAX_BYTES + 1)}),
    "/endless.png": (200, "image/png", b"\0" * (MAX_BYTES + 1), {"no-length": True}),
    "/slow.png": (200, "image/png", slide(100, 100), {"delay": 3}),
    "/to-ftp.png": (302, "text/plain", b"", {"Location": "ftp://127.0.0.1/x.png"}),
}


@pytest.fixture
def served():
    with serving(ROUTES) as (base, hits):
        yield base, hits


@pytest.fixture
def server(served):
    return served[0]


def stored(root):
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def run(*args):
    out, err = StringIO(), StringIO()
    try:
        call_command("fetch_images", *args, stdout=out, stderr=err)
    except CommandError as exc:
        return out.getvalue(), err.getvalue(), str(exc)
    return out.getvalue(), err.getvalue(), ""


def test_fetch_images_stores_good_images_and_names_the_problem_with_every_other_url(
    server, media_root
):
    entry = EntryFactory()
    paths = [*ROUTES, "/missing.png"]
    for order, path in enumerate(paths):
        GalleryImageFactory(entry=entry, order=order, external_url=server + path)
    GalleryImageFactory(entry=entry, order=99, external_url="file:///etc/passwd")

    out, err, error = run("--timeout=1")

    assert error == "8 image(s) could not be fetched; see the errors above."
    assert out.splitlines()[-1] == "Fetched 2 image(s); 8 failed."
    assert err.splitlines() == [
        f"FAILED {server}/page.png: the server sent text/html, not a JPEG, PNG, WebP or GIF",
        f"FAILED {server}/fake.png: “fake.png” is not a JPEG, PNG, WebP or GIF image "
        "(SVG and other formats are refused).",
        f"FAILED {server}/claims-huge.png: {MAX_BYTES + 1} bytes is over the {MAX_BYTES} "
        "byte limit",
        f"FAILED {server}/endless.png: more than {MAX_BYTES} bytes; download stopped",
        f"FAILED {server}/slow.png: timed out after 1 s",
        f"FAILED {server}/to-ftp.png: redirected to a non-HTTP address (ftp://127.0.0.1/x.png)",
        f"FAILED {server}/missing.png: HTTP 404 Not Found",
        "FAILED file:///etc/passwd: only http and https addresses are fetched",
    ]
    fetched = list(GalleryImage.objects.exclude(image="").order_by("order"))
    assert [(i.fetched_from, i.external_url) for i in fetched] == [
        (f"{server}/slides/ok.png", ""),
        (f"{server}/slides/photo.jpg", ""),
    ]
    assert [(i.renditions["width"], i.renditions["height"]) for i in fetched] == [
        (1700, 900),
        (200, 400),
    ]
    untouched = GalleryImage.objects.filter(image="").order_by("order")
    assert [i.external_url for i in untouched][:2] == [f"{server}/page.png", f"{server}/fake.png"]
    written = [i.image.name for i in fetched]
    written += [f["name"] for i in fetched for f in i.renditions["files"]]
    assert stored(media_root) == sorted(written)


def test_fetch_images_limits_itself_to_one_post(server, media_root):
    mine = GalleryImageFactory(external_url=server + "/slides/ok.png")
    other = GalleryImageFactory(external_url=server + "/slides/photo.jpg")
    out, err, error = run("--post", mine.entry.section.post.slug)
    assert (out.splitlines()[-1], err, error) == ("Fetched 1 image(s); 0 failed.", "", "")
    mine.refresh_from_db()
    other.refresh_from_db()
    assert (bool(mine.image), other.external_url) == (True, server + "/slides/photo.jpg")


def test_fetch_images_refuses_an_unknown_post():
    assert run("--post", "no-such-post")[2] == "No post with the slug “no-such-post”."


def test_fetch_images_run_again_has_nothing_left_to_do(server, media_root):
    GalleryImageFactory(external_url=server + "/slides/ok.png")
    run()
    out, _, error = run()
    assert (out, error) == ("Fetched 0 image(s); 0 failed.\n", "")


def test_a_url_used_by_several_images_is_downloaded_once_and_stored_per_image(served, media_root):
    server, hits = served
    entry = EntryFactory()
    for order in range(3):
        GalleryImageFactory(entry=entry, order=order, external_url=server + "/slides/photo.jpg")
    hits.clear()
    out, _, error = run()
    assert (out.splitlines()[-1], error) == ("Fetched 3 image(s); 0 failed.", "")
    assert hits == {"/slides/photo.jpg": 1}
    assert len({i.image.name for i in GalleryImage.objects.all()}) == 3
