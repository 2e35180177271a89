"""The paper change page's autosave endpoint and banner."""

import json

import pytest
from django.urls import reverse

from papers.models import PaperAutosave
from tests.factories import PaperFactory

pytestmark = pytest.mark.django_db


def test_edits_posted_by_the_script_are_offered_back_on_the_change_page(curator, curator_client):
    paper = PaperFactory()
    body = {"form": [["title", "Typed"], ["review_excerpts-0-text", "New row"]], "version": 1}

    response = curator_client.post(
        reverse("admin:papers_paper_autosave", args=[paper.pk]),
        json.dumps(body),
        content_type="application/json",
    )

    saved = PaperAutosave.objects.get(paper=paper, user=curator)
    assert response.json() == {"saved_at": saved.saved_at.isoformat()}
    page = curator_client.get(reverse("admin:papers_paper_change", args=[paper.pk]))
    assert page.context["autosave_data"]["form"] == body["form"]
    html = page.content.decode()
    assert 'data-form="paper_form"' in html
    assert (
        f"Your unsaved edits of this paper from {saved.saved_at:%Y-%m-%d %H:%M} UTC were kept."
        in html
    )


def test_discarding_forgets_the_kept_edits(curator, curator_client):
    paper = PaperFactory()
    PaperAutosave.objects.create(paper=paper, user=curator, form_data=[], paper_version=1)

    response = curator_client.post(
        reverse("admin:papers_paper_autosave", args=[paper.pk]) + "?discard=1"
    )

    assert response.json() == {"discarded": True}
    assert not PaperAutosave.objects.exists()


def test_a_contributor_gets_no_autosave_of_a_paper(contributor_client):
    paper = PaperFactory()

    response = contributor_client.post(
        reverse("admin:papers_paper_autosave", args=[paper.pk]),
        json.dumps({"form": [["title", "T"]], "version": 1}),
        content_type="application/json",
    )

    assert (response.status_code, response.json()) == (
        403,
        {"error": "Only curators may import or change paper records."},
    )
    assert not PaperAutosave.objects.exists()
