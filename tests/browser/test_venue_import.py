"""A curator imports a saved OpenReview venue in the admin, reads the report, and the public
page of an imported paper shows its record and reviews once a published post features it."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from papers.models import Paper
from reviews.workflow.roles import CURATORS
from tests.browser.conftest import scrolls_sideways
from tests.factories import EntryFactory, PostFactory, staff_member
from tests.fixtures import PAPER_FILES

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:Session-scoped fixtures defined as instance methods"),
]

VENUE_FILE = PAPER_FILES / "openreview_v2_venue.json"
TITLE = "Sparse Attention for Long Genomic Sequences"


def log_in(page, username):
    page.goto(page.base_url + reverse("admin:login"))
    page.fill("#id_username", username)
    page.fill("#id_password", "correct horse battery")
    page.click("input[type=submit]")


def test_a_curator_imports_a_venue_file_and_readers_see_an_imported_paper(
    open_page, axe, screenshot
):
    staff_member("curator", CURATORS)
    page = open_page(1280, 900)
    log_in(page, "curator")

    page.goto(page.base_url + reverse("admin:papers_paper_changelist"))
    page.get_by_role("link", name="Import from OpenReview / arXiv").click()
    page.select_option("#id_source", "openreview_venue")
    page.set_input_files("#id_file", str(VENUE_FILE))
    page.click("input[name=preview]")

    expect(page.get_by_role("heading", name="What this import will do")).to_be_visible()
    expect(page.locator(".venue-import-summary")).to_have_text(
        "The venue file: 3 paper(s) read (2 created, 0 updated, 0 unchanged, 1 failed)."
    )
    expect(page.locator(".venue-import-failed")).to_contain_text("Note NoT1tle000 has no title.")
    screenshot(page, "venue-import-1-preview")
    assert Paper.objects.count() == 0

    page.click("input[name=confirm]")

    expect(page.get_by_role("heading", name="Import report")).to_be_visible()
    expect(page.locator(".venue-import-created")).to_have_count(2)
    screenshot(page, "venue-import-2-report")
    page.get_by_role("link", name=TITLE).click()
    expect(page.locator("#id_title")).to_have_value(TITLE)

    paper = Paper.objects.get(title=TITLE)
    post = PostFactory(published=True, title="ICLR 2024 Genomics Review")
    EntryFactory(section__post=post, paper=paper)

    reader = open_page(1280, 900)
    reader.goto(reader.base_url + post.get_absolute_url())
    reader.locator("#main").get_by_role("link", name="Paper page and peer reviews").first.click()

    expect(reader.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(reader.locator(".paper-record")).to_contain_text("ICLR")
    expect(reader.locator(".review-decision .decision")).to_contain_text("Accept (poster)")
    expect(reader.locator(".review-official")).to_have_count(2)
    expect(reader.locator(".cite-formats li")).to_have_text(["BibTeX", "RIS", "CSL-JSON"])
    button = reader.get_by_role("button", name="Copy citation")
    expect(button).to_be_visible()
    button.click()
    expect(reader.locator(".copy-citation-status")).not_to_be_empty()
    assert not scrolls_sideways(reader)
    assert axe(reader) == []
    assert reader.csp_violations == []
    assert reader.console_errors == []
    screenshot(reader, "venue-import-3-paper-page")
    reader.evaluate("document.querySelector('.paper-reviews').scrollIntoView()")
    screenshot(reader, "venue-import-4-review-cards")

    phone = open_page(375, 800)
    phone.goto(reader.url)
    assert not scrolls_sideways(phone)
    screenshot(phone, "venue-import-5-paper-page-phone")
