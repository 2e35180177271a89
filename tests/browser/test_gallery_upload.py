"""A curator uploads a gallery in one go in a real browser; readers get responsive images."""

import os
import shutil

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from reviews.models import GalleryImage, Post
from reviews.workflow.drafts import publish_changes
from tests.factories import EntryFactory, PostFactory, UserFactory
from tests.imagefiles import exif_rotated_with_gps, slide

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    # pytest-playwright 0.10 defines base_url in a way pytest 9 deprecates; not our code.
    pytest.mark.filterwarnings("ignore:Session-scoped fixtures defined as instance methods"),
]

CHROMIUM = shutil.which("chromium")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM:
        message = "chromium is not installed (apt-get install chromium chromium-driver)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


def test_a_curator_uploads_four_slides_at_once_and_readers_get_renditions(
    page, live_server, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    UserFactory(username="boss", is_staff=True, is_superuser=True)
    post = PostFactory(published=True, title="NeurIPS review")
    entry = EntryFactory(section__post=post)
    files = []
    for n in range(1, 4):
        path = tmp_path / f"slide{n}.png"
        path.write_bytes(slide(1920, 1080, color=(40 * n, 90, 150)))
        files.append(str(path))
    photo = tmp_path / "phone.jpg"
    photo.write_bytes(exif_rotated_with_gps())
    files.append(str(photo))

    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", "boss")
    page.fill("#id_password", "correct horse battery")
    page.click("input[type=submit]")
    page.goto(live_server.url + reverse("admin:reviews_entry_change", args=[entry.pk]))
    page.set_input_files("input[name=slides]", files)
    alts = page.locator("input[name=slide_alt]")
    alts.nth(3).wait_for()
    for n in range(4):
        alts.nth(n).fill(f"NeurIPS keynote, slide {n + 1}")
    page.click("input[name=_save]")

    assert page.locator(".messagelist").inner_text().endswith("was changed successfully.")
    # The post is live: the slides went to its draft of changes, public once published.
    copy = Post.objects.get(working_copy_of=post)
    assert GalleryImage.objects.filter(entry__section__post=copy).count() == 4
    publish_changes(copy=copy, by=User.objects.get(username="boss"))
    assert GalleryImage.objects.filter(entry=entry).count() == 0
    assert GalleryImage.objects.filter(entry__section__post=post).count() == 4

    page.goto(live_server.url + post.get_absolute_url())
    images = page.locator(".gallery img")
    assert images.count() == 4
    first = images.nth(0)
    assert (first.get_attribute("width"), first.get_attribute("height")) == ("200", "400")
    assert first.get_attribute("loading") == "lazy"
    assert first.get_attribute("alt") == "NeurIPS keynote, slide 1"
    second = images.nth(1)
    assert (second.get_attribute("width"), second.get_attribute("height")) == ("1920", "1080")
    assert second.get_attribute("srcset").count("w, ") == 2
    assert page.locator(".gallery source[type='image/webp']").count() == 4
