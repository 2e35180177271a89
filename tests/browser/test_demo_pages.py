"""The demo in a real browser: every reader page loads cleanly, offline, and is valid HTML."""

import re

import pytest
from playwright.sync_api import expect

from papers.models import Paper
from reviews.demo import load_demo
from tests.test_html_validity import validate

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = {
    "home": "/",
    "post": "/posts/neurips-2023-health-bio-conference-review/",
    "conference": "/conferences/iclr-2024/",
    "tag": "/tags/genomics/",
    "search": "/search/?q=protein",
}


@pytest.fixture
def demo(transactional_db):
    load_demo()
    paper = Paper.objects.get(title="Neural scaling laws for phenotypic drug discovery")
    return {**PAGES, "paper": paper.get_absolute_url()}


@pytest.mark.parametrize("name", ["home", "post", "paper", "conference", "tag", "search"])
def test_demo_page_has_no_failed_request_and_no_console_error(demo, open_page, name):
    page = open_page(1280)
    page.goto(page.base_url + demo[name], wait_until="networkidle")
    # Lazy images below the fold load only when scrolled to: scroll so every one is requested.
    page.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_load_state("networkidle")
    assert page.failed_requests == []
    assert page.console_errors == []


def test_demo_post_with_the_lightbox_open_is_valid_html_after_scripts(demo, open_page, tmp_path):
    page = open_page(1280)
    page.goto(page.base_url + demo["post"], wait_until="networkidle")
    closed = page.content()
    page.locator(".gallery-open").first.click()
    expect(page.locator(".lightbox-image")).to_have_attribute(
        "src", re.compile(r"^/media/gallery/\d{4}/\d{2}/neurips-2023-health-bio-0-0-1\.png$")
    )
    opened = page.content()
    pages = []
    for label, html in (("closed", closed), ("open", opened)):
        path = tmp_path / f"post-{label}.html"
        path.write_text(html)
        pages.append(str(path))
    assert validate(pages) == []
    assert page.failed_requests == []
    assert page.console_errors == []
