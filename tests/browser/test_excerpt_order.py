"""A curator orders a paper's review excerpts in a real browser, by keyboard and by drag; the
public paper page follows, and the admin page stays axe-clean under the strict CSP."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from papers.models import PeerReviewExcerpt
from tests.factories import PaperFactory, PeerReviewExcerptFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REORDER = "/excerpts/reorder/"


@pytest.fixture
def paper(transactional_db):
    UserFactory(username="boss", is_staff=True, is_superuser=True)
    paper = PaperFactory(title="Ordered reviews", slug="ordered-reviews")
    for n, label in enumerate(["Reviewer A", "Reviewer B", "Reviewer C"]):
        PeerReviewExcerptFactory(
            paper=paper, reviewer_label=label, field="summary", order=n, text=f"Text of {label}."
        )
    return paper


def labels(paper):
    return list(
        PeerReviewExcerpt.objects.filter(paper=paper)
        .order_by("order")
        .values_list("reviewer_label", flat=True)
    )


def test_excerpts_reordered_by_keyboard_and_by_drag_reach_the_paper_page(
    paper, open_page, axe, screenshot
):
    page = open_page(1280, 2600)  # tall enough for the dragged row and its target at once
    page.goto(page.base_url + reverse("admin:login"))
    page.fill("#id_username", "boss")
    page.fill("#id_password", "correct horse battery")
    page.click("input[type=submit]")
    page.goto(page.base_url + reverse("admin:papers_paper_change", args=[paper.pk]))
    screenshot(page, "excerpts-1-change-page")
    assert axe(page) == []

    down = page.get_by_role("button", name="Move “Reviewer A, summary” down")
    down.focus()
    with page.expect_response(lambda response: REORDER in response.url):
        page.keyboard.press("Enter")
    # The script writes the status and moves the focus once it has read the answer: wait for it.
    expect(page.locator("#excerpt-reorder-status")).to_have_text("New order of the excerpts saved.")
    assert labels(paper) == ["Reviewer B", "Reviewer A", "Reviewer C"]
    # The focus follows the moved row, so a second Enter moves it on.
    expect(page.locator(":focus")).to_have_attribute(
        "aria-label", "Move “Reviewer A, summary” down"
    )

    rows = page.locator("#review_excerpts-group .inline-related:not(.empty-form)")
    with page.expect_response(lambda response: REORDER in response.url):
        rows.nth(2).locator("h3").drag_to(rows.nth(0).locator("h3"))
    assert labels(paper) == ["Reviewer C", "Reviewer B", "Reviewer A"]
    screenshot(page, "excerpts-2-after-drag")

    with page.expect_navigation():
        page.click("input[name=_continue]")
    assert page.locator(".messagelist .success").count() == 1
    assert labels(paper) == ["Reviewer C", "Reviewer B", "Reviewer A"]
    assert axe(page) == []
    assert page.csp_violations == []

    page.goto(page.base_url + paper.get_absolute_url())
    headings = page.locator(".review-official h3").all_inner_texts()
    assert headings == ["Reviewer C", "Reviewer B", "Reviewer A"]
    screenshot(page, "excerpts-3-paper-page")
    assert page.csp_violations == []
