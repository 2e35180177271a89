"""The admin is the curators' product: every page renders, and the example post can be entered."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from papers.models import Paper
from reviews.models import Entry, GalleryImage, Keynote, Post
from reviews.workflow.roles import CURATORS
from tests.factories import (
    AuthorFactory,
    ConferenceFactory,
    EntryFactory,
    GalleryImageFactory,
    KeynoteFactory,
    PaperFactory,
    PaperLinkFactory,
    PeerReviewExcerptFactory,
    PostFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

MODELS = {
    "papers.conference": ConferenceFactory,
    "papers.author": AuthorFactory,
    "papers.paper": PaperFactory,
    "papers.peerreviewexcerpt": PeerReviewExcerptFactory,
    "reviews.post": PostFactory,
    "reviews.keynote": KeynoteFactory,
    "reviews.entry": EntryFactory,
}


@pytest.fixture
def content():
    image = GalleryImageFactory()
    PaperLinkFactory(paper=image.entry.paper)
    PeerReviewExcerptFactory(paper=image.entry.paper)
    return image


@pytest.mark.parametrize("model", sorted(MODELS))
def test_changelist_add_and_change_pages_render_for_a_curator(curator_client, content, model):
    app_label, model_name = model.split(".")
    obj = MODELS[model]()
    for url in [
        reverse(f"admin:{app_label}_{model_name}_changelist"),
        reverse(f"admin:{app_label}_{model_name}_changelist") + "?q=a",
        reverse(f"admin:{app_label}_{model_name}_add"),
        reverse(f"admin:{app_label}_{model_name}_change", args=[obj.pk]),
    ]:
        response = curator_client.get(url)
        assert response.status_code == 200, url
        assert b'id="content"' in response.content


def test_non_staff_users_cannot_reach_the_admin(client):
    user = UserFactory(username="reader")
    client.force_login(user)
    response = client.get(reverse("admin:reviews_post_changelist"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_staff_without_the_curator_role_sees_no_content(client):
    client.force_login(UserFactory(username="intern", is_staff=True))
    assert client.get(reverse("admin:reviews_post_changelist")).status_code == 403


def test_curator_group_has_exactly_the_content_permissions():
    group = Group.objects.get(name=CURATORS)
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {"add_post", "change_post", "delete_post", "view_post", "change_paper"} <= codenames
    assert {"add_galleryimage", "add_peerreviewexcerpt", "add_tag"} <= codenames
    assert not codenames & {"add_user", "change_user", "change_group", "delete_logentry"}


def _post_form(**overrides):
    conference = ConferenceFactory(short_name="NeurIPS", slug="neurips-2023")
    KeynoteFactory(conference=conference, title="Delusion of Scaling", speaker="Ommer")
    PaperFactory(conference=conference, title="HyenaDNA")
    data = {
        "title": "NeurIPS 2023 Health & Bio Conference Review",
        "subtitle": "What happened in health and bio?",
        "slug": "neurips-2023-health-bio",
        "conference": conference.pk,
        "author_name": "Patrick Schwab",
        "new_tags": '"conference review"',
        "status": "draft",
        "published_at_0": "",
        "published_at_1": "",
        "cover_image_url": "http://schwabpatrick.com/img/neurips23-img.png",
        "social_url": "",
        "intro": "Unable to keep up?",
        "conclusion": "Overall, exciting.",
        "disclaimer": "DISCLAIMER: personal curation.",
        "reading_time": "5 min",
    }
    data.update(overrides)
    return data


def _entry_form(section, **overrides):
    """The entry page's fields with two gallery images given by address."""
    data = {
        "section": section.pk,
        "kind": "keynote",
        "keynote": Keynote.objects.get().pk,
        "summary": "Ommer starts us off.",
        "link_label": "[Video link]",
        "heading_blank_line": "on",
        "images-TOTAL_FORMS": "2",
        "images-INITIAL_FORMS": "0",
        "images-0-external_url": "http://x.org/om1.png",
        "images-0-alt_text": "Slide 1",
        "images-0-order": "0",
        "images-1-external_url": "http://x.org/om2.png",
        "images-1-alt_text": "Slide 2",
        "images-1-order": "1",
    }
    data.update(overrides)
    return data


def _add_section(client, post, title):
    response = client.post(reverse("admin:reviews_section_add"), {"post": post.pk, "title": title})
    assert response.status_code == 302
    return post.sections.get(title=title)


def test_a_curator_enters_a_whole_post_its_sections_and_entries(curator_client):
    response = curator_client.post(reverse("admin:reviews_post_add"), _post_form())
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    post = Post.objects.get(slug="neurips-2023-health-bio")
    keynotes = _add_section(curator_client, post, "Keynotes")
    papers = _add_section(curator_client, post, "Selected papers")
    response = curator_client.post(reverse("admin:reviews_entry_add"), _entry_form(keynotes))
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:reviews_post_change", args=[post.pk]) + "#outline"
    paper_entry = _entry_form(
        papers,
        kind="paper",
        keynote="",
        paper=Paper.objects.get().pk,
        summary="Eric Nguyen et al present HyenaDNA.",
        link_url="https://arxiv.org/abs/2306.15794",
        link_label="[Paper link]",
        **{"images-TOTAL_FORMS": "0"},
    )
    assert curator_client.post(reverse("admin:reviews_entry_add"), paper_entry).status_code == 302

    assert [(s.title, s.order) for s in post.sections.all()] == [
        ("Keynotes", 0),
        ("Selected papers", 1),
    ]
    keynote_entry = keynotes.entries.get()
    assert keynote_entry.display_heading == "Delusion of Scaling - Ommer"
    assert [i.external_url for i in keynote_entry.images.all()] == [
        "http://x.org/om1.png",
        "http://x.org/om2.png",
    ]
    assert papers.entries.get().paper.title == "HyenaDNA"
    assert list(post.tags.names()) == ["conference review"]


def test_an_entry_with_two_targets_is_refused_in_plain_words(curator_client):
    curator_client.post(reverse("admin:reviews_post_add"), _post_form())
    section = _add_section(curator_client, Post.objects.get(), "Keynotes")
    data = _entry_form(section, paper=Paper.objects.get().pk)
    response = curator_client.post(reverse("admin:reviews_entry_add"), data)
    assert response.status_code == 200
    assert response.context["errors"] == [
        [
            "A keynote entry needs a keynote (and no paper), a paper entry a paper (and no "
            "keynote), and a free entry a heading (and neither)."
        ]
    ]
    assert b"onstraint" not in response.content
    assert not Entry.objects.exists()


def test_a_gallery_image_without_a_source_is_refused(curator_client):
    curator_client.post(reverse("admin:reviews_post_add"), _post_form())
    section = _add_section(curator_client, Post.objects.get(), "Keynotes")
    data = _entry_form(section, **{"images-1-external_url": ""})
    response = curator_client.post(reverse("admin:reviews_entry_add"), data)
    assert response.status_code == 200
    assert not GalleryImage.objects.exists()
    assert not Entry.objects.exists()


def test_bulk_publish_and_unpublish(curator_client):
    drafts = [PostFactory(), PostFactory()]
    url = reverse("admin:reviews_post_changelist")
    ids = [p.pk for p in drafts]
    curator_client.post(url, {"action": "publish", "_selected_action": ids})
    assert Post.objects.published().count() == 2
    curator_client.post(url, {"action": "unpublish", "_selected_action": ids})
    assert Post.objects.published().count() == 0
    assert set(Post.objects.values_list("status", flat=True)) == {"unpublished"}


def test_paper_admin_saves_authors_and_excerpts(curator_client):
    paper = PaperFactory()
    author = AuthorFactory(name="Drew Linsley")
    data = {
        "title": paper.title,
        "slug": paper.slug,
        "conference": paper.conference.pk,
        "decision": "ICLR 2024 Conference Withdrawn Submission",
        "outcome": "withdrawn",
        "version": paper.version,
        "new_topics": "drug discovery",
        "tldr": "Scaling in drug discovery.",
        "contribution": "",
        "findings": '["DNNs do not improve with scale."]',
        "abstract": "",
        "authorships-TOTAL_FORMS": "1",
        "authorships-INITIAL_FORMS": "0",
        "authorships-0-author": author.pk,
        "authorships-0-affiliation": "Brown University",
        "authorships-0-order": "0",
        "links-TOTAL_FORMS": "0",
        "links-INITIAL_FORMS": "0",
        "review_excerpts-TOTAL_FORMS": "1",
        "review_excerpts-INITIAL_FORMS": "0",
        "review_excerpts-0-source_kind": "official_review",
        "review_excerpts-0-reviewer_label": "Reviewer 8xQz",
        "review_excerpts-0-rating": "3",
        "review_excerpts-0-rating_scale": "10",
        "review_excerpts-0-text": "The experimental rationales are not clearly specified.",
        "review_excerpts-0-featured": "on",
        "review_excerpts-0-hidden": "on",
        "review_excerpts-0-order": "0",
    }
    response = curator_client.post(reverse("admin:papers_paper_change", args=[paper.pk]), data)
    assert response.status_code == 302
    paper.refresh_from_db()
    assert paper.decision == "ICLR 2024 Conference Withdrawn Submission"
    assert paper.outcome == paper.Outcome.WITHDRAWN
    assert paper.findings == ["DNNs do not improve with scale."]
    assert list(paper.topics.names()) == ["drug discovery"]
    assert paper.authorships.get().affiliation == "Brown University"
    assert (paper.review_excerpts.get().featured, paper.review_excerpts.get().hidden) == (
        True,
        True,
    )


def test_tags_are_found_by_autocomplete_and_new_ones_can_be_typed(curator_client):
    from taggit.models import Tag

    genomics = Tag.objects.create(name="genomics", slug="genomics")
    Tag.objects.create(name="radiology", slug="radiology")
    found = curator_client.get(
        "/admin/autocomplete/",
        {"app_label": "reviews", "model_name": "post", "field_name": "tags", "term": "gen"},
    ).json()
    assert [item["text"] for item in found["results"]] == ["genomics"]

    data = _post_form(new_tags='protein design, "health, bio"', tags=[genomics.pk])
    response = curator_client.post(reverse("admin:reviews_post_add"), data)
    assert response.status_code == 302
    post = Post.objects.get(slug="neurips-2023-health-bio")
    assert sorted(post.tags.names()) == ["genomics", "health, bio", "protein design"]
