"""A curator adds a review excerpt to a paper, types into it and closes the tab before saving:
reopening the paper offers the edits back, and restoring makes the added row again, filled."""

import pytest
from django.urls import reverse

from papers.models import PaperAutosave, PeerReviewExcerpt
from tests.factories import PaperFactory, PeerReviewExcerptFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def paper(transactional_db):
    UserFactory(username="boss", is_staff=True, is_superuser=True)
    paper = PaperFactory(title="Autosaved paper", slug="autosaved-paper")
    PeerReviewExcerptFactory(paper=paper, reviewer_label="Reviewer A", order=0)
    return paper


def test_an_added_inline_row_typed_but_never_saved_is_made_again_on_restore(
    paper, open_page, axe, screenshot
):
    page = open_page(1280)
    page.goto(page.base_url + reverse("admin:login"))
    page.fill("#id_username", "boss")
    page.fill("#id_password", "correct horse battery")
    page.click("input[type=submit]")
    change = page.base_url + reverse("admin:papers_paper_change", args=[paper.pk])
    page.goto(change)
    page.get_by_role("button", name="Add another Peer-review excerpt").click()
    page.fill("#id_review_excerpts-1-reviewer_label", "Reviewer Late")
    page.select_option("#id_review_excerpts-1-source_kind", "comment")
    page.fill("#id_review_excerpts-1-text", "Typed into a new row,\nnever saved.")
    page.locator("#autosave-status").filter(has_text="Edits autosaved").wait_for()
    context = page.context
    page.close()

    again = context.new_page()
    again.csp_violations = []
    again.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text and again.csp_violations.append(message.text)
        ),
    )
    again.goto(change)
    banner = again.locator("#autosave-restore")
    banner.wait_for()
    assert "Your unsaved edits of this paper from" in banner.inner_text()
    assert again.locator("#id_review_excerpts-1-text").count() == 0
    again.click("text=Restore my edits")

    assert again.input_value("#id_review_excerpts-1-reviewer_label") == "Reviewer Late"
    assert again.input_value("#id_review_excerpts-1-source_kind") == "comment"
    assert again.input_value("#id_review_excerpts-1-text") == "Typed into a new row,\nnever saved."
    assert "with 1 added row(s) made again" in again.locator("#autosave-status").inner_text()
    again.locator("#review_excerpts-1").scroll_into_view_if_needed()
    screenshot(again, "paper-autosave-restored")
    assert axe(again) == []
    with again.expect_navigation():
        again.click("input[name=_continue]")

    assert again.locator(".messagelist .success").count() == 1
    added = PeerReviewExcerpt.objects.get(paper=paper, reviewer_label="Reviewer Late")
    assert (added.source_kind, added.text, added.order) == (
        "comment",
        "Typed into a new row,\nnever saved.",
        1,
    )
    assert not PaperAutosave.objects.exists()
    assert again.csp_violations == []
