"""A curator's day on the demo, in a real browser: a keynote with three slides from the open
post in at most 8 steps, then reorder, preview, publish and export, axe-clean throughout."""

import base64

import pytest
from django.urls import reverse

from reviews.demo import load_demo
from reviews.models import Entry, Post
from tests.factories import UserFactory
from tests.imagefiles import slide
from tests.reviews.admin.conftest import build_big_post

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

KEYNOTE_STEP_TARGET = 8


class Steps:
    """Counts what the curator does: a click, a typed field, one file choice or drop."""

    def __init__(self, page):
        self.page = page
        self.count = 0

    def click(self, target):
        self.count += 1
        self.page.locator(target).first.click()

    def type(self, target, text):
        self.count += 1
        self.page.locator(target).fill(text)

    def choose(self, target, value):
        self.count += 1
        self.page.locator(target).select_option(value)

    def press(self, target, key):
        self.count += 1
        self.page.locator(target).press(key)

    def drop_files(self, target, files):
        """Drop several files at once: one step, as dragging a selection from the desktop."""
        self.count += 1
        transfer = self.page.evaluate_handle(
            """(files) => {
                const transfer = new DataTransfer();
                for (const f of files) {
                    const bytes = Uint8Array.from(atob(f.data), (c) => c.charCodeAt(0));
                    transfer.items.add(new File([bytes], f.name, {type: "image/png"}));
                }
                return transfer;
            }""",
            [{"name": name, "data": base64.b64encode(data).decode()} for name, data in files],
        )
        self.page.dispatch_event(target, "drop", {"dataTransfer": transfer})


def log_in(page, base_url):
    UserFactory(username="boss", is_staff=True, is_superuser=True)
    page.goto(base_url + reverse("admin:login"))
    page.fill("#id_username", "boss")
    page.fill("#id_password", "correct horse battery")
    page.click("input[type=submit]")


def clean(page, axe, screenshot, name):
    screenshot(page, f"curator-{name}")
    found = axe(page)
    assert found == [], (name, "\n".join(found))
    assert page.csp_violations == [], name


def test_the_curator_journey_on_the_demo(open_page, axe, screenshot, media_root):
    posts = load_demo()
    draft = next(p for p in posts if p.status == Post.Status.DRAFT)
    page = open_page(1280)
    log_in(page, page.base_url)
    page.goto(page.base_url + reverse("admin:reviews_post_change", args=[draft.pk]))
    clean(page, axe, screenshot, "1-post-form")
    page.locator("#outline").scroll_into_view_if_needed()
    screenshot(page, "curator-1-post-outline")

    steps = Steps(page)
    steps.click("a.button:has-text('Add keynote')")
    page.wait_for_selector("#entry_form")
    steps.type("#id_new_keynote_title", "Delusion of Scaling")
    steps.type("#id_new_keynote_speaker", "Björn Ommer")
    steps.type("#id_summary", "Ommer opens the workshop by questioning scale.")
    steps.drop_files(
        "#entry_form",
        [(f"slide{n}.png", slide(640, 360, color=(60 * n, 90, 150))) for n in (1, 2, 3)],
    )
    alts = page.locator("input[name=slide_alt]")
    alts.nth(2).wait_for()
    assert [alts.nth(n).input_value() for n in range(3)] == [
        f"Slide {n} of 3: Delusion of Scaling" for n in (1, 2, 3)
    ]
    assert page.locator("#id_link_label").input_value() == "[Video link]"
    clean(page, axe, screenshot, "2-keynote-with-slides")
    steps.click("input[name=_save]")
    page.wait_for_selector("#outline")
    page.locator("#outline").scroll_into_view_if_needed()
    screenshot(page, "curator-2b-outline-with-the-keynote")

    assert steps.count <= KEYNOTE_STEP_TARGET
    print(f"\nkeynote with three slides: {steps.count} steps")
    entry = Entry.objects.get(keynote__title="Delusion of Scaling")
    assert entry.keynote.conference == draft.conference
    assert list(entry.images.values_list("alt_text", flat=True)) == [
        f"Slide {n} of 3: Delusion of Scaling" for n in (1, 2, 3)
    ]
    row = page.locator(f".outline-entry[data-id='{entry.pk}']")
    assert "3 images" in row.inner_text() and "Ready" in row.inner_text()

    # Reorder with the keyboard: the new keynote goes first in its section.
    journey = Steps(page)
    journey.press(f"button[value='{entry.pk}:up']", "Enter")
    page.wait_for_selector(".outline-status:has-text('New order saved.')")
    first = page.locator(".outline-entries").first.locator(".outline-entry").first
    assert first.get_attribute("data-id") == str(entry.pk)
    assert entry.section.entries.order_by("order").first() == entry

    # Preview an unsaved edit beside the form.
    journey.click("#preview-button")
    journey.type("#id_subtitle", "Notes from the workshop, now with the keynote")
    frame = page.frame_locator(".live-preview-frame")
    frame.locator("text=Notes from the workshop, now with the keynote").wait_for()
    assert frame.locator("h2:has-text('First impressions')").count() == 1
    assert frame.locator("text=Delusion of Scaling").count() >= 1
    clean(page, axe, screenshot, "3-live-preview")

    # Publish: the date fills in with now.
    journey.choose("#id_status", "published")
    assert page.locator("#id_published_at_0").input_value() != ""
    journey.click("input[name=_continue]")
    page.wait_for_selector(".messagelist")
    draft.refresh_from_db()
    assert draft.is_public
    assert draft.subtitle == "Notes from the workshop, now with the keynote"
    clean(page, axe, screenshot, "4-published")

    # Export the current state.
    journey.click("a:has-text('Markdown export')")
    text = page.locator("body").inner_text()
    assert "Delusion of Scaling" in text
    assert "subtitle: Notes from the workshop, now with the keynote" in text
    print(f"reorder, preview, publish, export: {journey.count} more steps")
    assert page.console_errors == []


def test_a_post_of_200_images_opens_and_saves_in_the_browser(open_page, axe, screenshot):
    post = build_big_post()
    page = open_page(1280)
    log_in(page, page.base_url)
    page.goto(page.base_url + reverse("admin:reviews_post_change", args=[post.pk]))
    assert page.locator(".outline-entry").count() == 30

    page.fill("#id_intro", "A new intro for a big post.")
    page.click("input[name=_continue]")

    assert "was changed successfully" in page.locator(".messagelist").inner_text()
    post.refresh_from_db()
    assert post.intro == "A new intro for a big post."
    assert post.sections.count() == 3

    page.locator(".outline-entry a.outline-heading").first.click()
    page.wait_for_selector("#images-group")
    clean(page, axe, screenshot, "5-big-post-entry")
    page.fill("#id_summary", "Edited on its own page.")
    page.click("input[name=_save]")
    page.wait_for_selector("#outline")
    assert Entry.objects.filter(summary="Edited on its own page.").count() == 1


def test_the_checklist_follows_the_form_before_it_is_saved(open_page):
    post = build_big_post(sections=1, entries=1, images=1)
    page = open_page(1280)
    log_in(page, page.base_url)
    page.goto(page.base_url + reverse("admin:reviews_post_change", args=[post.pk]))
    assert "Ready to publish" in page.locator("#publishing-checklist").inner_text()

    page.locator(".field-conference .select2-selection__clear").click()

    page.locator("#publishing-checklist li:has-text('The post has no conference')").wait_for()
    assert post.conference_id is not None
