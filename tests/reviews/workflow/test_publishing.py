"""Publishing: the checklist is shown and enforced; scheduling needs no cron job; all is logged."""

import datetime

import pytest
import time_machine
from django.contrib.admin.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from reviews.markdown.importer import import_post
from reviews.models import GalleryImage, Post
from reviews.workflow.publishing import (
    Problem,
    PublishingRefused,
    publication_state,
    publish_post,
    publishing_checklist,
    unpublish_post,
)
from tests.factories import (
    EntryFactory,
    GalleryImageFactory,
    PostFactory,
    SectionFactory,
)
from tests.fixtures import POSTS
from tests.reviews.forms import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def flawed_post():
    """One of each problem: no conference, an image without alt text, an empty section, no summary."""
    post = PostFactory(slug="flawed", conference=None)
    papers = SectionFactory(post=post, title="Selected papers", order=0)
    entry = EntryFactory(section=papers, heading="HyenaDNA", summary="Long DNA.")
    GalleryImageFactory(entry=entry, external_url="https://img.example.org/ok.png", order=0)
    GalleryImageFactory(
        entry=entry, external_url="https://img.example.org/a.png", alt_text="", order=1
    )
    EntryFactory(section=papers, heading="Evo", summary="  ", order=5)
    SectionFactory(post=post, title="Keynotes", order=1)
    return post


@pytest.fixture
def ready_post():
    return GalleryImageFactory(alt_text="Slide 1").entry.section.post


def test_the_checklist_names_every_problem_and_where_it_is(flawed_post):
    assert publishing_checklist(flawed_post) == [
        Problem("missing_conference", "The post has no conference"),
        Problem(
            "missing_alt_text",
            "Images without alt text",
            ("image 2 (https://img.example.org/a.png) of “HyenaDNA” in “Selected papers”",),
        ),
        Problem("empty_section", "Sections without entries, text or a link", ("“Keynotes”",)),
        Problem("missing_summary", "Entries without a summary", ("“Evo” in “Selected papers”",)),
    ]


def test_a_ready_post_has_an_empty_checklist(ready_post):
    assert publishing_checklist(ready_post) == []


@pytest.mark.parametrize(
    ("body", "link_url"),
    [
        ("The poster sessions had more health work than the programme suggests.", ""),
        ("", "https://example.org/recordings"),
        ("Recordings of the affinity workshops:", "https://example.org/recordings"),
    ],
)
def test_a_section_with_text_or_a_link_but_no_entries_passes_the_checklist(
    ready_post, body, link_url
):
    SectionFactory(post=ready_post, title="Other events of note", body=body, link_url=link_url)

    assert publishing_checklist(ready_post) == []


def test_a_section_with_no_entries_no_text_and_no_link_is_reported(ready_post):
    SectionFactory(post=ready_post, title="Other events of note", body=" \n ")

    assert publishing_checklist(ready_post) == [
        Problem(
            "empty_section",
            "Sections without entries, text or a link",
            ("“Other events of note”",),
        )
    ]


def test_a_post_imported_as_the_blog_writes_it_passes_the_checklist():
    report = import_post(source=POSTS / "2023-08-01-icml-2023-health-bio-review.md")
    post = Post.objects.get(slug=report.slug)

    assert [section.title for section in post.sections.filter(entries__isnull=True)] == [
        "Other events of note"
    ]
    assert publishing_checklist(post) == []


def test_publishing_a_post_with_images_lacking_alt_text_is_refused_with_the_list(
    curator, flawed_post
):
    with pytest.raises(PublishingRefused) as refused:
        publish_post(post=flawed_post, by=curator)
    assert "Images without alt text: image 2 (https://img.example.org/a.png)" in str(refused.value)
    flawed_post.refresh_from_db()
    assert (flawed_post.status, flawed_post.version) == (Post.Status.DRAFT, 1)
    assert not LogEntry.objects.exists()


def test_publish_then_unpublish_are_logged_and_stored_as_revisions(curator, ready_post):
    publish_post(post=ready_post, by=curator)
    assert Post.objects.published().get() == ready_post
    unpublish_post(post=ready_post, by=curator)
    ready_post.refresh_from_db()
    assert ready_post.status == Post.Status.UNPUBLISHED
    assert not Post.objects.published().exists()
    assert list(LogEntry.objects.order_by("pk").values_list("change_message", "user")) == [
        ("Published", curator.pk),
        ("Unpublished", curator.pk),
    ]
    assert list(ready_post.revisions.order_by("pk").values_list("summary", flat=True)) == [
        "Published",
        "Unpublished",
    ]


def test_a_scheduled_post_turns_public_at_its_time_with_no_job_running(curator, ready_post):
    at = timezone.now() + datetime.timedelta(seconds=2)
    publish_post(post=ready_post, by=curator, at=at)
    url = ready_post.get_absolute_url()
    assert publication_state(ready_post) == "scheduled"
    assert Client().get(url).status_code == 404
    assert not Post.objects.published().exists()

    with time_machine.travel(at + datetime.timedelta(seconds=1), tick=False):
        assert Client().get(url).status_code == 200
        assert publication_state(ready_post) == "published"
    assert LogEntry.objects.get().change_message == f"Scheduled for {at:%Y-%m-%d %H:%M} UTC"


def test_only_publishers_may_publish(contributor, ready_post):
    with pytest.raises(PermissionDenied):
        publish_post(post=ready_post, by=contributor)
    with pytest.raises(PermissionDenied):
        unpublish_post(post=ready_post, by=contributor)


def test_bulk_publish_publishes_the_ready_and_reports_the_others(
    curator_client, ready_post, flawed_post
):
    response = curator_client.post(
        reverse("admin:reviews_post_changelist"),
        {"action": "publish", "_selected_action": [ready_post.pk, flawed_post.pk]},
        follow=True,
    )
    messages = [str(m) for m in response.context["messages"]]
    assert messages[0] == "Published 1 post(s)."
    assert messages[1].startswith(f"Not published “{flawed_post}”: The post has no conference.")
    assert "Images without alt text" in messages[1]
    assert set(Post.objects.published()) == {ready_post}


def test_the_change_form_shows_the_checklist(curator_client, flawed_post, ready_post):
    page = curator_client.get(reverse("admin:reviews_post_change", args=[flawed_post.pk]))
    html = page.content.decode()
    assert 'id="publishing-checklist"' in html
    assert "Images without alt text" in html
    assert "image 2 (https://img.example.org/a.png) of “HyenaDNA” in “Selected papers”" in html
    ready = curator_client.get(reverse("admin:reviews_post_change", args=[ready_post.pk]))
    assert "Ready to publish" in ready.content.decode()


def test_publishing_through_the_change_form_enforces_the_checklist(curator_client, ready_post):
    url = reverse("admin:reviews_post_change", args=[ready_post.pk])
    data = form_data(curator_client.get(url).content.decode())
    data.update(
        {
            "status": "published",
            "published_at_0": "2024-01-15",
            "published_at_1": "12:00:00",
            "intro": "Kept in the form",
        }
    )
    image = GalleryImage.objects.filter(entry__section__post=ready_post).order_by("pk").first()
    GalleryImage.objects.filter(pk=image.pk).update(alt_text="")
    response = curator_client.post(url, data)

    assert response.status_code == 200
    html = response.content.decode()
    assert "cannot be published" in html
    assert "Images without alt text: image 1 (https://img.example.org/" in html
    assert response.context["adminform"].form["intro"].value() == "Kept in the form"
    ready_post.refresh_from_db()
    assert (ready_post.status, ready_post.intro) == ("draft", "What happened at the conference.")
    assert not ready_post.revisions.exists()

    GalleryImage.objects.filter(pk=image.pk).update(alt_text="Now described")
    assert curator_client.post(url, data).status_code == 302
    assert Post.objects.published().get() == ready_post
    mine = LogEntry.objects.filter(change_message__startswith="Set to")
    assert [e.change_message for e in mine] == [
        "Set to published (2024-01-15 12:00 UTC) in the form"
    ]


def test_the_changelist_filters_by_state_scheduled_included(curator, curator_client):
    draft = PostFactory(title="Draft one")
    live = PostFactory(title="Live one", published=True)
    later = PostFactory(title="Later one")
    publish_post(post=later, by=curator, at=timezone.now() + datetime.timedelta(days=3))
    gone = PostFactory(title="Gone one", published=True)
    unpublish_post(post=gone, by=curator)
    url = reverse("admin:reviews_post_changelist")
    shown = {}
    for state in ["draft", "scheduled", "published", "unpublished"]:
        response = curator_client.get(url, {"state": state})
        shown[state] = [post.title for post in response.context["cl"].result_list]
    assert shown == {
        "draft": [draft.title],
        "scheduled": [later.title],
        "published": [live.title],
        "unpublished": [gone.title],
    }
