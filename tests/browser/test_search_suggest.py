"""The header's search box as a reader uses it: suggestions by keyboard, and the plain form."""

import pytest
from playwright.sync_api import expect

from tests.factories import AuthorFactory, AuthorshipFactory, PaperFactory, PostFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def papers(transactional_db):
    first = PaperFactory(title="HyenaDNA: Long-Range Genomic Foundation Models")
    AuthorshipFactory(paper=first, author=AuthorFactory(name="Eric Nguyen", slug="eric-nguyen"))
    second = PaperFactory(title="Hyena Hierarchy: Towards Larger Convolutional Models")
    PostFactory(published=True, title="A post about other things")
    return first, second


def test_arrows_pick_a_suggestion_and_enter_opens_it(open_page, papers, axe):
    page = open_page(1280)
    page.goto(page.base_url + "/")
    box = page.get_by_role("combobox", name="Search papers, posts and keynotes")
    box.press_sequentially("hyen")
    listbox = page.get_by_role("listbox", name="Suggestions")
    expect(listbox).to_be_visible()
    options = listbox.get_by_role("option")
    expect(options).to_have_count(2)
    expect(box).to_have_attribute("aria-expanded", "true")
    assert axe(page) == []
    box.press("ArrowDown")
    box.press("ArrowDown")
    second_id = options.nth(1).get_attribute("id")
    expect(box).to_have_attribute("aria-activedescendant", second_id)
    expect(options.nth(1)).to_have_attribute("aria-selected", "true")
    box.press("ArrowUp")
    expect(options.nth(0)).to_have_attribute("aria-selected", "true")
    expect(options.nth(0)).to_contain_text("HyenaDNA")
    box.press("Enter")
    expect(page).to_have_url(page.base_url + papers[0].get_absolute_url())
    assert page.csp_violations == []
    assert page.console_errors == []


def test_escape_closes_the_list_and_enter_then_searches(open_page, papers):
    page = open_page(1280)
    page.goto(page.base_url + "/")
    box = page.get_by_role("combobox", name="Search papers, posts and keynotes")
    box.press_sequentially("nguy")
    expect(page.get_by_role("option", name="Author Eric Nguyen")).to_be_visible()
    box.press("Escape")
    expect(page.get_by_role("listbox", name="Suggestions")).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    box.press("Enter")
    expect(page).to_have_url(page.base_url + "/search/?q=nguy")
    expect(page.get_by_role("heading", name="HyenaDNA: Long-Range Genomic Foundation Models"))


def test_without_javascript_the_box_is_a_plain_search_form(browser, live_server, papers):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/")
    box = page.get_by_role("searchbox", name="Search papers, posts and keynotes")
    box.fill("hyena hierarchy")
    box.press("Enter")
    expect(page).to_have_url(live_server.url + "/search/?q=hyena+hierarchy")
    expect(page.get_by_text("1 result for “hyena hierarchy”")).to_be_visible()
    context.close()
