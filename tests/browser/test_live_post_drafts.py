"""A curator edits a live post in a real browser: readers see nothing until the changes are
published, and edits typed but never saved come back after the tab was closed."""

import pytest
from django.urls import reverse

from reviews.models import Post
from tests.factories import EntryFactory, PostFactory, SectionFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:Session-scoped fixtures defined as instance methods"),
]


@pytest.fixture
def live(transactional_db):
    UserFactory(username="boss", is_staff=True, is_superuser=True)
    post = PostFactory(published=True, title="Live review", slug="live-review", intro="Old intro.")
    section = SectionFactory(post=post, title="Talks", order=0)
    EntryFactory(section=section, order=0, heading="Talk one", summary="A summary.")
    return post


def sign_in(page):
    page.goto(page.base_url + reverse("admin:login"))
    page.fill("#id_username", "boss")
    page.fill("#id_password", "correct horse battery")
    page.click("input[type=submit]")


def test_edit_a_live_post_compare_and_publish_the_changes(live, open_page, axe, screenshot):
    page = open_page(1280)
    sign_in(page)
    page.goto(page.base_url + reverse("admin:reviews_post_change", args=[live.pk]))
    copy = Post.objects.get(working_copy_of=live)
    assert page.url.endswith(reverse("admin:reviews_post_change", args=[copy.pk]))
    assert "Draft of changes" in page.locator("#unpublished-changes h2").inner_text()

    page.fill("#id_intro", "Brand new intro.")
    page.click("input[name=_continue]")
    assert page.locator("#unpublished-changes h2").inner_text() == "Unpublished changes"

    reader = open_page(1280)
    reader.goto(reader.base_url + live.get_absolute_url())
    assert "Old intro." in reader.content() and "Brand new intro." not in reader.content()

    page.click("text=Compare with the live post")
    assert page.locator(".pending-changes ins").first.inner_text() == "Brand new intro."
    assert page.locator(".pending-changes del").first.inner_text() == "Old intro."
    screenshot(page, "live-post-draft-compare")
    assert axe(page) == []
    page.click("button[name=publish]")
    assert "Published the changes" in page.locator(".messagelist").inner_text()

    reader.reload()
    assert "Brand new intro." in reader.content()
    assert not Post.objects.filter(working_copy_of=live).exists()
    assert page.csp_violations == [] and reader.csp_violations == []


def test_edits_typed_but_never_saved_are_offered_back_after_closing_the_tab(live, open_page):
    page = open_page(1280)
    sign_in(page)
    change = page.base_url + reverse("admin:reviews_post_change", args=[live.pk])
    page.goto(change)
    page.fill("#id_intro", "Typed, never saved.")
    page.locator("#autosave-status").filter(has_text="Edits autosaved").wait_for()
    context = page.context
    page.close()

    again = context.new_page()
    again.goto(change)
    banner = again.locator("#autosave-restore")
    banner.wait_for()
    assert "Your unsaved edits of this post from" in banner.inner_text()
    assert again.input_value("#id_intro") == "Old intro."
    again.click("text=Restore my edits")
    assert again.input_value("#id_intro") == "Typed, never saved."
    again.click("input[name=_continue]")
    assert Post.objects.get(working_copy_of=live).intro == "Typed, never saved."
    assert Post.objects.get(pk=live.pk).intro == "Old intro."
