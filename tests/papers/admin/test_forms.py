"""The paper admin's findings: an ordered list typed one per line, never "Enter a valid JSON."."""

import pytest
from django.urls import reverse

from papers.admin.forms import LinesField
from tests.factories import PaperFactory
from tests.reviews.forms import form_data

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        (
            "Longer context helps.\r\n\r\n  Bigger models classify better.  \n",
            [
                "Longer context helps.",
                "Bigger models classify better.",
            ],
        ),
        ('["Pasted", "as JSON"]', ["Pasted", "as JSON"]),
        ("[not json] is a sentence", ["[not json] is a sentence"]),
        ("", []),
    ],
)
def test_findings_are_read_one_per_line(typed, stored):
    assert LinesField(required=False).clean(typed) == stored


def test_the_paper_form_shows_and_saves_findings_as_lines(curator_client):
    paper = PaperFactory(findings=["First.", "Second."])
    url = reverse("admin:papers_paper_change", args=[paper.pk])
    page = curator_client.get(url).content.decode()
    assert 'class="lines-editor"' in page
    data = form_data(page, "paper_form")
    assert data["findings"] == "First.\nSecond."

    data["findings"] = "Second.\nFirst.\nThird, added."
    response = curator_client.post(url, data)

    assert response.status_code == 302, response.context["errors"]
    paper.refresh_from_db()
    assert paper.findings == ["Second.", "First.", "Third, added."]


def test_topics_are_picked_by_autocomplete_and_new_ones_typed(curator_client):
    from taggit.models import Tag

    paper = PaperFactory()
    existing = Tag.objects.create(name="genomics", slug="genomics")
    url = reverse("admin:papers_paper_change", args=[paper.pk])
    page = curator_client.get(url).content.decode()
    assert 'data-ajax--url="/admin/autocomplete/"' in page
    data = form_data(page, "paper_form")
    data.update(topics=[str(existing.pk)], new_topics='protein design, "scaling, laws"')

    response = curator_client.post(url, data)

    assert response.status_code == 302, response.context["errors"]
    assert sorted(paper.topics.names()) == ["genomics", "protein design", "scaling, laws"]


@pytest.mark.parametrize(
    ("typed", "names"),
    [
        ("drug discovery", ["drug discovery"]),
        ("genomics, protein design", ["genomics", "protein design"]),
        ('"scaling, laws", ml', ["ml", "scaling, laws"]),
        ("  ", []),
    ],
)
def test_new_topics_are_separated_by_commas_only(typed, names):
    from papers.admin.forms import typed_tag_names

    assert sorted(typed_tag_names(typed)) == names
