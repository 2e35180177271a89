"""A reader's journey: home, the demo post, a slide, a paper's reviews, a tag, the feed."""

import xml.etree.ElementTree as ET

import pytest
from playwright.sync_api import expect

from papers.models import Paper
from reviews.demo import load_demo
from tests.browser.conftest import scrolls_sideways
from tests.factories import PeerReviewExcerptFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def demo_site(transactional_db):
    post = load_demo()[0]
    paper = Paper.objects.get(title__startswith="HyenaDNA")
    paper.decision = "NeurIPS 2023 Poster"
    paper.save()
    paper.review_excerpts.all().delete()
    PeerReviewExcerptFactory(
        paper=paper, reviewer_label="Reviewer ab3X", rating=7, featured=True, order=0
    )
    return post


def check_page(page, axe, screenshot, name):
    assert not scrolls_sideways(page), f"{name} scrolls sideways"
    assert axe(page) == [], name
    assert page.csp_violations == [], f"{name} breaks the Content-Security-Policy"
    screenshot(page, name)


@pytest.mark.parametrize(("device", "width"), [("desktop", 1280), ("phone", 375)])
def test_reader_journey(demo_site, open_page, axe, screenshot, device, width):
    page = open_page(width)
    page.goto(page.base_url + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Latest reviews")
    check_page(page, axe, screenshot, f"{device}-1-home")

    page.get_by_role("link", name="NeurIPS 2023 Health & Bio Conference Review").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "NeurIPS 2023 Health & Bio Conference Review"
    )
    expect(page.get_by_role("link", name="Conclusion")).to_be_visible()
    check_page(page, axe, screenshot, f"{device}-2-post")

    opener = page.get_by_role(
        "button", name="Slide 1 of 4: HyenaDNA: Long-Range Genomic Sequence Modeling", exact=False
    )
    opener.click()
    dialog = page.get_by_role("dialog", name="Slide viewer")
    expect(dialog).to_be_visible()
    expect(dialog.locator(".lightbox-position")).to_have_text("Slide 1 of 4")
    expect(dialog.locator(".lightbox-image")).to_have_attribute(
        "alt",
        "Slide 1 of 4: HyenaDNA: Long-Range Genomic Sequence Modeling at Single Nucleotide "
        "Resolution",
    )
    page.keyboard.press("ArrowRight")
    expect(dialog.locator(".lightbox-position")).to_have_text("Slide 2 of 4")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    expect(dialog.locator(".lightbox-position")).to_have_text("Slide 4 of 4")
    assert axe(page) == []
    screenshot(page, f"{device}-3-lightbox")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(opener).to_be_focused()

    page.locator("#main").get_by_role("link", name="Paper page and peer reviews").nth(3).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "HyenaDNA: Long-Range Genomic Sequence Modeling at Single Nucleotide Resolution"
    )
    expect(page.locator(".review-decision .decision")).to_contain_text("NeurIPS 2023 Poster")
    expect(page.locator(".review-stats")).to_contain_text("Reviews1")
    expect(page.locator(".review-excerpt figcaption")).to_have_text("Reviewer ab3X, rating 7/10")
    expect(
        page.get_by_role("link", name="Poster and talk recording on the NeurIPS 2023 virtual site")
    ).to_be_visible()
    check_page(page, axe, screenshot, f"{device}-4-paper")

    page.get_by_role("link", name="genomics", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tag: genomics")
    check_page(page, axe, screenshot, f"{device}-5-tag")

    feed_url = page.get_by_role("link", name="Atom feed").first.get_attribute("href")
    feed = page.request.get(page.base_url + feed_url)
    assert feed.ok
    assert ET.fromstring(feed.body()).findtext(f"{ATOM}title") == "Conference Reviews: genomics"


@pytest.mark.parametrize(
    "path",
    ["/conferences/", "/conferences/neurips-2023/", "/tags/", "/papers/", "/no-such-page/"],
)
def test_other_pages_are_accessible_at_360_pixels(demo_site, open_page, axe, screenshot, path):
    page = open_page(360)
    page.goto(page.base_url + path)
    name = "narrow" + path.rstrip("/").replace("/", "-")
    check_page(page, axe, screenshot, name)


def test_axe_reports_an_image_without_alt_text(open_page, axe):
    page = open_page(800)
    page.set_content(
        '<!DOCTYPE html><html lang="en"><title>t</title><main><h1>t</h1><img src="x.png"></main>'
    )
    assert [v.split(":")[0] for v in axe(page)] == ["image-alt"]
