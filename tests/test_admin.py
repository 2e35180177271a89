"""The admin is the curators' product: every page renders, and the example post can be entered."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from papers.models import Paper
from reviews.models import Entry, GalleryImage, Post
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
    keynote = KeynoteFactory(conference=conference, title="Delusion of Scaling", speaker="Ommer")
    paper = PaperFactory(conference=conference, title="HyenaDNA")
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
        "sections-TOTAL_FORMS": "2",
        "sections-INITIAL_FORMS": "0",
        "sections-0-title": "Keynotes",
        "sections-0-order": "0",
        "sections-0-entries-TOTAL_FORMS": "1",
        "sections-0-entries-INITIAL_FORMS": "0",
        "sections-0-entries-0-kind": "keynote",
        "sections-0-entries-0-keynote": keynote.pk,
        "sections-0-entries-0-summary": "Ommer starts us off.",
        "sections-0-entries-0-link_label": "[Paper link]",
        "sections-0-entries-0-order": "0",
        "sections-0-entries-0-images-TOTAL_FORMS": "2",
        "sections-0-entries-0-images-INITIAL_FORMS": "0",
        "sections-0-entries-0-images-0-external_url": "http://x.org/om1.png",
        "sections-0-entries-0-images-0-alt_text": "Slide 1",
        "sections-0-entries-0-images-0-order": "0",
        "sections-0-entries-0-images-1-external_url": "http://x.org/om2.png",
        "sections-0-entries-0-images-1-alt_text": "Slide 2",
        "sections-0-entries-0-images-1-order": "1",
        "sections-1-title": "Selected papers",
        "sections-1-order": "1",
        "sections-1-entries-TOTAL_FORMS": "1",
        "sections-1-entries-INITIAL_FORMS": "0",
        "sections-1-entries-0-kind": "paper",
        "sections-1-entries-0-paper": paper.pk,
        "sections-1-entries-0-summary": "Eric Nguyen et al present HyenaDNA.",
        "sections-1-entries-0-link_url": "https://arxiv.org/abs/2306.15794",
        "sections-1-entries-0-link_label": "[Paper link]",
        "sections-1-entries-0-order": "0",
        "sections-1-entries-0-images-TOTAL_FORMS": "0",
        "sections-1-entries-0-images-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def test_a_curator_enters_a_whole_post_with_nested_inlines(curator_client):
    response = curator_client.post(reverse("admin:reviews_post_add"), _post_form())
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    post = Post.objects.get(slug="neurips-2023-health-bio")
    assert [s.title for s in post.sections.all()] == ["Keynotes", "Selected papers"]
    keynote_entry = post.sections.get(title="Keynotes").entries.get()
    assert keynote_entry.display_heading == "Delusion of Scaling - Ommer"
    assert [i.external_url for i in keynote_entry.images.all()] == [
        "http://x.org/om1.png",
        "http://x.org/om2.png",
    ]
    assert list(post.tags.names()) == ["conference review"]


def test_an_entry_with_two_targets_is_a_form_error_not_a_crash(curator_client):
    data = _post_form()
    data["sections-0-entries-0-paper"] = Paper.objects.get().pk
    response = curator_client.post(reverse("admin:reviews_post_add"), data)
    assert response.status_code == 200
    assert b"Constraint" in response.content or b"constraint" in response.content
    assert not Post.objects.exists()
    assert not Entry.objects.exists()


def test_a_gallery_image_without_a_source_is_refused(curator_client):
    data = _post_form()
    data["sections-0-entries-0-images-1-external_url"] = ""
    response = curator_client.post(reverse("admin:reviews_post_add"), data)
    assert response.status_code == 200
    assert not GalleryImage.objects.exists()


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
        "topics": "drug discovery",
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
