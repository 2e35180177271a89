"""No lost updates on paper records: the second of two open forms is refused, input kept."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from papers.models import Paper
from papers.services import import_bibtex
from tests.factories import PaperFactory, staff_member
from tests.fixtures import PAPER_FILES
from tests.reviews.forms import form_data

pytestmark = pytest.mark.django_db

BIBTEX = PAPER_FILES / "papers.bib"


@pytest.fixture
def second_client(db):
    from reviews.workflow.roles import CURATORS

    client = Client()
    client.force_login(staff_member("second-curator", CURATORS))
    return client


def _load(client, paper):
    response = client.get(reverse("admin:papers_paper_change", args=[paper.pk]))
    assert response.status_code == 200
    return form_data(response.content.decode(), "paper_form")


def test_the_second_of_two_curators_editing_a_paper_is_refused_and_keeps_their_input(
    curator_client, second_client
):
    paper = PaperFactory(title="Before", tldr="Short.")
    url = reverse("admin:papers_paper_change", args=[paper.pk])
    first, second = _load(curator_client, paper), _load(second_client, paper)
    first["title"] = "Title from the first curator"
    second["tldr"] = "TL;DR from the second curator"

    assert curator_client.post(url, first).status_code == 302
    response = second_client.post(url, second)

    assert response.status_code == 200
    assert "Someone else saved this paper after you opened it." in response.content.decode()
    assert response.context["adminform"].form["tldr"].value() == "TL;DR from the second curator"
    paper.refresh_from_db()
    assert (paper.title, paper.tldr, paper.version) == ("Title from the first curator", "Short.", 2)


def test_paper_imports_refuse_a_user_without_the_papers_change_permission():
    from reviews.workflow.roles import CONTRIBUTORS

    contributor = staff_member("contributor", CONTRIBUTORS)
    before = Paper.objects.count()

    with pytest.raises(PermissionDenied, match="Only curators may import"):
        import_bibtex(source=BIBTEX, by=contributor)

    assert Paper.objects.count() == before
