"""The post change page: the post's own fields and an outline of its parts, never a wall."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reviews.demo import load_demo
from reviews.models import Entry, GalleryImage, Post, Section
from tests.factories import EntryFactory, GalleryImageFactory, PostFactory, SectionFactory
from tests.reviews.admin.conftest import build_big_post
from tests.reviews.forms import form_data

pytestmark = pytest.mark.django_db

MAX_HTML_BYTES = 150 * 1024
MAX_INPUTS = 200
QUERIES = 19  # the post form, its outline, the drafts banner and autosave lookups
FIELD = re.compile(r"<(?:input|select|textarea|button)\b")


def change_url(post):
    return reverse("admin:reviews_post_change", args=[post.pk])


def reorder_url(post):
    return reverse("admin:reviews_post_reorder", args=[post.pk])


def measure(client, post):
    """Bytes and form fields of the page the editor lands on (a live post's is its working copy)."""
    response = client.get(change_url(post), follow=True)
    assert response.status_code == 200
    html = response.content
    assert b'id="post_form"' in html
    return len(html), len(FIELD.findall(html.decode()))


def test_the_demo_post_and_a_post_of_200_images_fit_the_page_budget(curator_client, media_root):
    demo = load_demo()[0]
    big = build_big_post()

    demo_size, demo_inputs = measure(curator_client, demo)
    big_size, big_inputs = measure(curator_client, big)

    assert demo_size <= MAX_HTML_BYTES and demo_inputs <= MAX_INPUTS, (demo_size, demo_inputs)
    assert big_size <= MAX_HTML_BYTES and big_inputs <= MAX_INPUTS, (big_size, big_inputs)
    assert 'name="images-' not in curator_client.get(change_url(big)).content.decode()


def test_a_live_big_posts_editor_is_its_working_copy_within_the_same_budget(curator_client):
    live = build_big_post(published=True)

    opened = curator_client.get(change_url(live))
    html = curator_client.get(opened["Location"]).content

    assert opened.status_code == 302
    assert opened["Location"] == change_url(Post.objects.get(working_copy_of=live))
    assert len(html) <= MAX_HTML_BYTES


def test_the_page_runs_the_same_queries_for_a_small_and_a_big_post(curator_client):
    small = build_big_post(sections=1, entries=2, images=3)
    big = build_big_post()
    curator_client.get(change_url(small))  # the session and content types, once

    with CaptureQueriesContext(connection) as small_queries:
        curator_client.get(change_url(small))
    with CaptureQueriesContext(connection) as big_queries:
        curator_client.get(change_url(big))

    assert len(big_queries) == len(small_queries) == QUERIES, (len(big_queries), len(small_queries))


def test_the_outline_shows_heading_kind_images_and_checklist_state(curator_client):
    post = PostFactory()
    section = SectionFactory(post=post, title="Keynotes", order=0)
    ready = EntryFactory(section=section, order=0, heading="Ready entry")
    GalleryImageFactory(entry=ready, alt_text="A slide")
    todo = EntryFactory(section=section, order=1, heading="Unfinished", summary="")
    GalleryImageFactory(entry=todo, alt_text="")
    GalleryImageFactory(entry=todo, alt_text="")

    response = curator_client.get(change_url(post))
    outline = response.context["outline"]

    assert [s.section.title for s in outline] == ["Keynotes"]
    assert [(e.entry.display_heading, e.image_count, e.notes) for e in outline[0].entries] == [
        ("Ready entry", 1, []),
        ("Unfinished", 2, ["no summary", "2 images without alt text"]),
    ]
    html = response.content.decode()
    assert "To do: no summary, 2 images without alt text" in html
    assert reverse("admin:reviews_entry_change", args=[todo.pk]) in html
    assert reverse("admin:reviews_entry_add") + f"?section={section.pk}&amp;kind=keynote" in html


def test_saving_the_post_form_sends_no_part_of_its_sections(curator_client, big_post):
    data = form_data(curator_client.get(change_url(big_post)).content.decode())
    data["intro"] = "A new intro"

    response = curator_client.post(change_url(big_post), data)

    assert response.status_code == 302
    assert not [name for name in data if name.startswith(("sections-", "images-"))]
    assert len(data) < 40
    big_post.refresh_from_db()
    assert big_post.intro == "A new intro"
    assert GalleryImage.objects.filter(entry__section__post=big_post).count() == 200


def _entries(section):
    return list(section.entries.order_by("order").values_list("heading", flat=True))


def test_a_move_button_reorders_entries_without_javascript(curator_client):
    post = PostFactory()
    section = SectionFactory(post=post, order=0)
    _, second, _ = (
        EntryFactory(section=section, order=n, heading=h) for n, h in enumerate(["A", "B", "C"])
    )

    response = curator_client.post(
        reorder_url(post) + f"?kind=entry&parent={section.pk}", {"move": f"{second.pk}:up"}
    )

    assert response.status_code == 302
    assert response["Location"] == change_url(post) + "#outline"
    assert _entries(section) == ["B", "A", "C"]
    revision = post.revisions.get()
    assert revision.summary == f"Reordered entries in “{section}”"


def test_a_drag_saves_the_new_order_and_answers_the_post_version(curator_client):
    post = PostFactory()
    sections = [SectionFactory(post=post, order=n, title=t) for n, t in enumerate("XYZ")]
    version = post.version

    response = curator_client.post(
        reorder_url(post),
        {"kind": "section", "ids": ",".join(str(s.pk) for s in reversed(sections))},
        HTTP_ACCEPT="application/json",
    )

    assert response.json() == {
        "version": version + 1,
        "ids": [s.pk for s in reversed(sections)],
    }
    assert list(post.sections.order_by("order").values_list("title", flat=True)) == list("ZYX")


def test_a_reorder_from_a_stale_outline_is_refused_in_plain_words(curator_client):
    post = PostFactory()
    section = SectionFactory(post=post, order=0)
    entries = [EntryFactory(section=section, order=n, heading=str(n)) for n in range(3)]

    response = curator_client.post(
        reorder_url(post),
        {"kind": "entry", "parent": section.pk, "ids": f"{entries[1].pk},{entries[0].pk}"},
        HTTP_ACCEPT="application/json",
    )

    assert response.status_code == 400
    assert response.json() == {
        "error": "The outline changed since you opened it (something was added or removed): "
        "reload the page and move it again."
    }
    assert _entries(section) == ["0", "1", "2"]


def test_an_entry_of_another_post_cannot_be_reordered_through_this_one(curator_client):
    post, other = PostFactory(), PostFactory()
    foreign = SectionFactory(post=other, order=0)

    response = curator_client.post(
        reorder_url(post), {"kind": "entry", "parent": foreign.pk, "ids": ""}
    )

    assert response.status_code == 404


def test_a_contributor_cannot_reorder_a_published_post(contributor_client, contributor):
    post = PostFactory(published=True, created_by=contributor)
    sections = [SectionFactory(post=post, order=n, title=t) for n, t in enumerate("AB")]

    response = contributor_client.post(
        reorder_url(post), {"kind": "section", "ids": f"{sections[1].pk},{sections[0].pk}"}
    )

    assert response.status_code == 403
    assert list(Section.objects.order_by("order").values_list("title", flat=True)) == ["A", "B"]


def test_a_new_section_and_entry_go_after_their_siblings_and_return_to_the_outline(
    curator_client,
):
    post = PostFactory()
    SectionFactory(post=post, order=4)
    response = curator_client.post(
        reverse("admin:reviews_section_add"), {"post": post.pk, "title": "Posters"}
    )
    assert response["Location"] == change_url(post) + "#outline"
    section = Section.objects.get(title="Posters")
    assert section.order == 5

    response = curator_client.post(
        reverse("admin:reviews_entry_add"),
        {
            "section": section.pk,
            "kind": "free",
            "heading": "Poster session",
            "summary": "Many posters.",
            "link_label": "[Link]",
            "images-TOTAL_FORMS": "0",
            "images-INITIAL_FORMS": "0",
        },
    )
    assert response["Location"] == change_url(post) + "#outline"
    assert Entry.objects.get(heading="Poster session").order == 0


def test_the_markdown_export_of_the_stored_post_is_one_click_away(curator_client):
    post = PostFactory(title="A review")
    page = curator_client.get(change_url(post)).content.decode()
    url = reverse("admin:reviews_post_markdown", args=[post.pk])
    assert f'href="{url}"' in page

    response = curator_client.get(url)

    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode().startswith("---\nlayout: post\ntitle: A review\n")


def test_who_may_not_change_the_post_sees_the_outline_without_moves_or_adds(
    contributor_client, contributor
):
    post = PostFactory(published=True, created_by=contributor)
    SectionFactory(post=post, order=0, title="Keynotes")

    response = contributor_client.get(change_url(post))

    assert response.status_code == 200
    assert [s.section.title for s in response.context["outline"]] == ["Keynotes"]
    html = response.content.decode()
    assert "outline-move" not in html
    assert "Add keynote" not in html
    assert 'id="outline-reorder"' not in html
