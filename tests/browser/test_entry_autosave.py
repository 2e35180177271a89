"""A curator types into an entry's summary and a slide's alt text on the entry's own page and
closes the tab before saving: reopening the entry offers the edits back, restoring puts both
values back, and saving keeps them and forgets the kept copy."""

import pytest
from django.urls import reverse

from reviews.models import Entry, GalleryImage, PartAutosave
from tests.factories import (
    EntryFactory,
    GalleryImageFactory,
    PostFactory,
    SectionFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def entry(transactional_db):
    UserFactory(username="boss", is_staff=True, is_superuser=True)
    section = SectionFactory(post=PostFactory(title="Autosaved review"), order=0, title="Talks")
    entry = EntryFactory(section=section, order=0, heading="Talk one", summary="Saved summary.")
    GalleryImageFactory(
        entry=entry, order=0, alt_text="Slide one", external_url="https://img.example.org/1.png"
    )
    return entry


def watch_csp(page):
    page.csp_violations = []
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text and page.csp_violations.append(message.text)
        ),
    )
    return page


def test_an_entrys_summary_and_slide_alt_text_typed_but_never_saved_come_back_on_restore(
    entry, open_page, axe, screenshot
):
    page = watch_csp(open_page(1280))
    page.goto(page.base_url + reverse("admin:login"))
    page.fill("#id_username", "boss")
    page.fill("#id_password", "correct horse battery")
    page.click("input[type=submit]")
    change = page.base_url + reverse("admin:reviews_entry_change", args=[entry.pk])
    page.goto(change)
    page.fill("#id_summary", "Typed summary,\nnever saved.")
    page.fill("#id_images-0-alt_text", "The first slide, described")
    page.locator("#autosave-status").filter(has_text="Edits autosaved").wait_for()
    assert page.csp_violations == []
    context = page.context
    page.close()

    again = watch_csp(context.new_page())
    again.goto(change)
    banner = again.locator("#autosave-restore")
    banner.wait_for()
    assert "Your unsaved edits of this entry from" in banner.inner_text()
    assert again.input_value("#id_summary") == "Saved summary."
    again.click("text=Restore my edits")

    assert again.input_value("#id_summary") == "Typed summary,\nnever saved."
    assert again.input_value("#id_images-0-alt_text") == "The first slide, described"
    assert "Save to keep them." in again.locator("#autosave-status").inner_text()
    screenshot(again, "entry-autosave-restored")
    assert axe(again) == []
    with again.expect_navigation():
        again.click("input[name=_continue]")

    assert again.locator(".messagelist .success").count() == 1
    assert Entry.objects.get(pk=entry.pk).summary == "Typed summary,\nnever saved."
    assert GalleryImage.objects.get(entry=entry).alt_text == "The first slide, described"
    assert not PartAutosave.objects.exists()
    assert again.csp_violations == []
