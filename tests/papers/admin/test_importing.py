"""Curators import from the admin: a preview first, then one click saves it."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from papers.models import Paper, PeerReviewExcerpt
from tests.factories import PaperFactory
from tests.fixtures import PAPER_FILES
from tests.papers.importers.test_fetch import server  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

FILES = PAPER_FILES
URL = reverse("admin:papers_paper_import")


def upload(name):
    return SimpleUploadedFile(name, (FILES / name).read_bytes())


def token_of(html: str) -> str:
    """The staged preview's token, from the confirm form's hidden field."""
    return re.search(r'name="token" value="([^"]+)"', html).group(1)


def test_the_add_page_and_the_list_link_to_the_import_page(curator_client):
    for page in ("admin:papers_paper_add", "admin:papers_paper_changelist"):
        html = curator_client.get(reverse(page)).content.decode()
        assert f'<a href="{URL}">Import from OpenReview / arXiv</a>' in html


def test_an_uploaded_forum_is_previewed_and_saved_only_on_confirmation(curator_client):
    response = curator_client.post(
        URL, {"source": "openreview", "file": upload("openreview_v2_accepted_forum.json")}
    )
    html = response.content.decode()
    assert (
        "Created “Sparse Attention for Long Genomic Sequences”: 2 author(s), "
        "10 review excerpt(s), 2 link(s)." in html
    )
    assert "<li>Decision: Accept (poster)</li>" in html
    assert Paper.objects.count() == 0
    assert "papers_import_pending" not in curator_client.session  # the payload is staged

    response = curator_client.post(URL, {"confirm": "Save", "token": token_of(html)})

    paper = Paper.objects.get()
    assert response.url == reverse("admin:papers_paper_change", args=[paper.pk])
    assert PeerReviewExcerpt.objects.filter(paper=paper).count() == 10


def test_an_arxiv_id_is_fetched_and_previewed(curator_client, server, settings):  # noqa: F811
    settings.PAPERS_ARXIV_API = server.url + "/api/query"
    server.script = [(200, (FILES / "arxiv_two_entries.xml").read_bytes())]
    response = curator_client.post(URL, {"source": "arxiv", "identifier": "arXiv:2306.15794v2"})
    assert "Created “HyenaDNA: Long-Range Genomic" in response.content.decode()
    assert server.paths == ["/api/query?id_list=2306.15794&max_results=1"]
    assert Paper.objects.count() == 0


def test_a_broken_file_shows_the_error_on_the_form_and_saves_nothing(curator_client):
    bad = SimpleUploadedFile("forum.json", b"{broken")
    response = curator_client.post(URL, {"source": "openreview", "file": bad})
    assert "The file is not valid JSON: Expecting property name" in response.content.decode()
    assert Paper.objects.count() == 0


def test_an_id_and_a_file_together_are_refused(curator_client):
    response = curator_client.post(
        URL,
        {"source": "arxiv", "identifier": "2306.15794", "file": upload("arxiv_two_entries.xml")},
    )
    assert "Paste an id or upload a file (one of the two)." in response.content.decode()


def test_a_preview_is_saved_once_and_only_by_the_curator_who_made_it(curator_client):
    from django.test import Client

    from reviews.workflow.roles import CURATORS
    from tests.factories import staff_member

    html = curator_client.post(
        URL, {"source": "openreview", "file": upload("openreview_v2_accepted_forum.json")}
    ).content.decode()
    client = Client()
    client.force_login(staff_member("other-curator", CURATORS))

    other = client.post(URL, {"confirm": "Save", "token": token_of(html)}, follow=True)
    first = curator_client.post(URL, {"confirm": "Save", "token": token_of(html)})
    again = curator_client.post(URL, {"confirm": "Save", "token": token_of(html)}, follow=True)

    assert "Nothing to import: the preview expired." in other.content.decode()
    assert first.status_code == 302
    assert "Nothing to import: the preview expired." in again.content.decode()
    assert Paper.objects.count() == 1


def test_confirming_without_a_preview_says_so(curator_client):
    response = curator_client.post(URL, {"confirm": "Save"}, follow=True)
    assert "Nothing to import: the preview expired. Start again." in response.content.decode()


def test_staff_without_add_permission_cannot_import(client):
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="viewer", is_staff=True))
    assert client.get(URL).status_code == 403


def test_the_bibtex_action_downloads_the_selected_papers(curator_client):
    papers = [PaperFactory(title="Alpha Paper"), PaperFactory(title="Beta Paper")]
    response = curator_client.post(
        reverse("admin:papers_paper_changelist"),
        {"action": "download_bibtex", "_selected_action": [p.pk for p in papers]},
    )
    assert response["Content-Disposition"] == 'attachment; filename="papers.bib"'
    text = response.content.decode()
    assert text.index("title = {Alpha Paper}") < text.index("title = {Beta Paper}")


def test_a_50_mb_upload_is_refused_with_its_size(curator_client):
    huge = SimpleUploadedFile("forum.json", b" " * (50 * 1024 * 1024))
    response = curator_client.post(URL, {"source": "openreview", "file": huge})
    assert "The file is 50.0 MB; imports are limited to 10 MB." in response.content.decode()
    assert Paper.objects.count() == 0


def test_a_curator_features_excerpts_from_the_excerpt_list_but_orders_them_on_the_paper(
    curator_client,
):
    """The list edits flags only: order goes through the paper page's reorder service."""
    from tests.factories import PeerReviewExcerptFactory

    paper = PaperFactory()
    first = PeerReviewExcerptFactory(paper=paper, order=0)
    second = PeerReviewExcerptFactory(paper=paper, order=1)
    response = curator_client.post(
        reverse("admin:papers_peerreviewexcerpt_changelist"),
        {
            "form-TOTAL_FORMS": "2",
            "form-INITIAL_FORMS": "2",
            "form-0-id": first.pk,
            "form-0-order": "5",
            "form-1-id": second.pk,
            "form-1-order": "0",
            "form-1-featured": "on",
            "_save": "Save",
        },
    )
    assert response.status_code == 302
    assert list(paper.review_excerpts.order_by("order").values_list("pk", "order", "featured")) == [
        (first.pk, 0, False),
        (second.pk, 1, True),
    ]


# A whole venue


def test_a_venue_file_is_previewed_paper_by_paper_then_saved(curator_client):
    response = curator_client.post(
        URL, {"source": "openreview_venue", "file": upload("openreview_v2_venue.json")}
    )
    html = response.content.decode()
    assert (
        '<p class="venue-import-summary">The venue file: 3 paper(s) read '
        "(2 created, 0 updated, 0 unchanged, 1 failed).</p>" in html
    )
    assert "<td>Failed</td>" in html
    assert "Note NoT1tle000 has no title." in html
    assert Paper.objects.count() == 0

    response = curator_client.post(URL, {"confirm": "Save", "token": token_of(html)})

    html = response.content.decode()
    paper = Paper.objects.get(openreview_id="Acc3pTedXy")
    assert Paper.objects.count() == 2
    assert "<h2>Import report</h2>" in html
    change_url = reverse("admin:papers_paper_change", args=[paper.pk])
    assert f'<a href="{change_url}">Sparse Attention for Long Genomic Sequences</a>' in html


def test_a_venue_id_is_fetched_and_saved_with_its_report(curator_client, server, settings):  # noqa: F811
    settings.PAPERS_OPENREVIEW_APIS = [server.url]
    settings.PAPERS_OPENREVIEW_SPACING = 0
    server.script = [(200, (FILES / "openreview_v2_venue.json").read_bytes())]

    response = curator_client.post(
        URL,
        {
            "source": "openreview_venue",
            "identifier": "https://openreview.net/group?id=ICLR.cc/2024/Conference",
        },
    )

    assert (
        "ICLR.cc/2024/Conference: 3 paper(s) read (2 created, 0 updated, 0 unchanged, 1 failed)."
        in response.content.decode()
    )
    assert Paper.objects.count() == 2
    assert server.paths[0].startswith(
        "/notes?invitation=ICLR.cc%2F2024%2FConference%2F-%2FSubmission"
    )


def test_a_bad_venue_id_is_refused_on_the_form(curator_client):
    response = curator_client.post(
        URL, {"source": "openreview_venue", "identifier": "NeurIPS 2023"}
    )
    assert "“NeurIPS 2023” is not an OpenReview venue id" in response.content.decode()
    assert Paper.objects.count() == 0
