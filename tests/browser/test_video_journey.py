"""Journeys through people and videos: post -> paper -> author -> another paper, and a video
suggested by an anonymous reader, invisible until a curator approves it, then click-to-play."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from papers.models import PaperVideo
from tests.browser.conftest import EXTERNAL
from tests.conftest import build_post
from tests.factories import AuthorFactory, AuthorshipFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

YOUTUBE = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"


@pytest.fixture
def site(transactional_db):
    """A public post with two papers that share an author."""
    post = build_post(entries=2, title="NeurIPS review", slug="neurips-review")
    first, second = (entry.paper for entry in post.sections.get().entries.order_by("order"))
    first.title, second.title = "Long genomic contexts", "Protein folding at scale"
    first.save()
    second.save()
    ada = AuthorFactory(name="Ada Lovelace")
    AuthorshipFactory(paper=first, author=ada, order=2)
    AuthorshipFactory(paper=second, author=ada, order=2)
    return {"post": post, "first": first, "second": second, "author": ada}


def test_author_journey_from_a_post_to_a_paper_to_an_author_to_another_paper(
    site, open_page, axe, screenshot
):
    page = open_page(1280)
    page.goto(page.base_url + site["post"].get_absolute_url())
    page.get_by_role("link", name="Paper page and peer reviews").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Long genomic contexts")
    screenshot(page, "author-journey-1-paper")

    page.get_by_role("list", name="Authors").get_by_role("link", name="Ada Lovelace").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ada Lovelace")
    assert axe(page) == []
    screenshot(page, "author-journey-2-author")

    page.get_by_role("link", name="Protein folding at scale").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Protein folding at scale")
    screenshot(page, "author-journey-3-another-paper")
    assert page.csp_violations == []


def test_video_suggestion_journey(site, open_page, browser, live_server, axe, screenshot):
    paper = site["first"]
    reader = open_page(1280)
    external = []
    reader.on("request", lambda r: EXTERNAL.match(r.url) and external.append(r.url))
    reader.goto(reader.base_url + paper.get_absolute_url())
    reader.get_by_role("link", name="Add one").click()
    # The form opens in place, its CSRF token fetched from the form's own (uncached) page.
    expect(reader.get_by_label("Video URL")).to_be_focused()
    assert reader.url == reader.base_url + paper.get_absolute_url()
    screenshot(reader, "video-journey-0-form-in-place")
    reader.get_by_label("Video URL").fill(YOUTUBE)
    reader.get_by_label("Title").fill("Oral presentation at NeurIPS")
    reader.get_by_label("Your name (optional)").fill("Grace")
    assert axe(reader) == []
    reader.get_by_role("button", name="Suggest this video").click()
    expect(reader.get_by_role("status").filter(has_text="Thanks")).to_contain_text(
        "Thanks, a curator will review it."
    )
    screenshot(reader, "video-journey-1-thanks")

    reader.goto(reader.base_url + paper.get_absolute_url())
    expect(reader.get_by_text("No videos yet.")).to_be_visible()
    expect(reader.get_by_text("Oral presentation at NeurIPS")).to_have_count(0)

    UserFactory(username="boss", is_staff=True, is_superuser=True)
    curator = open_page(1280)
    curator.goto(live_server.url + reverse("admin:login"))
    curator.fill("#id_username", "boss")
    curator.fill("#id_password", "correct horse battery")
    curator.click("input[type=submit]")
    expect(curator.locator("#video-queue")).to_contain_text("1 paper video waiting for review")
    screenshot(curator, "video-journey-2-admin-index")
    curator.get_by_role("link", name="1 paper video waiting for review").click()
    curator.locator("input[name=_selected_action]").check()
    curator.select_option("select[name=action]", "approve")
    curator.locator("button[name=index]").click()
    expect(curator.locator(".messagelist")).to_contain_text("1 video(s) approved.")
    screenshot(curator, "video-journey-3-approved")
    assert PaperVideo.objects.get().state == "approved"

    reader.goto(reader.base_url + paper.get_absolute_url())
    play = reader.get_by_role("button", name="Play “Oral presentation at NeurIPS”", exact=False)
    expect(play).to_be_visible()
    expect(reader.get_by_text("suggested by Grace")).to_be_visible()
    assert reader.locator("iframe").count() == 0
    assert external == [], "nothing is requested from the video host before play"
    assert axe(reader) == []
    play.scroll_into_view_if_needed()
    screenshot(reader, "video-journey-4-placeholder")

    play.click()
    frame = reader.locator(".video-player iframe")
    expect(frame).to_have_attribute(
        "src", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1"
    )
    assert reader.csp_violations == []
    assert [url for url in external if "youtube-nocookie.com" in url]
    screenshot(reader, "video-journey-5-playing")
