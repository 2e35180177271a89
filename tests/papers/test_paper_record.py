"""The paper page's record: venue and year, DOI, arXiv id and category, links, citations."""

import datetime

import pytest
from django.urls import reverse

from papers.models import Paper
from papers.pages import refresh_paper_pages
from tests.factories import AuthorshipFactory, ConferenceFactory, PaperFactory, PaperLinkFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def paper():
    conference = ConferenceFactory(
        short_name="NeurIPS", year=2023, full_name="Neural Information Processing Systems"
    )
    paper = PaperFactory(
        conference=conference,
        title="HyenaDNA",
        venue="NeurIPS 2023 spotlight",
        outcome=Paper.Outcome.ACCEPTED_SPOTLIGHT,
        doi="10.48550/arXiv.2306.15794",
        arxiv_id="2306.15794",
        arxiv_version="v2",
        primary_category="cs.LG",
        primary_area="applications to physical sciences",
        publication_date=datetime.date(2023, 6, 27),
    )
    AuthorshipFactory(paper=paper, author__name="Eric Nguyen", order=0)
    for order, (kind, url) in enumerate(
        [
            ("code", "https://github.com/HazyResearch/hyena-dna"),
            ("data", "https://huggingface.co/datasets/hg38"),
            ("project", "https://hazyresearch.stanford.edu/blog/hyena-dna"),
            ("slides", "https://example.org/slides.pdf"),
        ]
    ):
        PaperLinkFactory(paper=paper, kind=kind, url=url, order=order)
    return paper


def page(client, paper):
    return client.get(reverse("papers:paper-detail", args=[paper.slug])).content.decode()


def test_the_record_shows_the_venue_with_its_year_the_doi_and_the_arxiv_category(client, paper):
    html = page(client, paper)
    assert (
        f'<dt>Venue</dt><dd><a href="{paper.conference.get_absolute_url()}">Neural Information '
        'Processing Systems</a> <span class="meta">(2023)</span> · NeurIPS 2023 spotlight</dd>'
    ) in html
    assert (
        '<dt>DOI</dt><dd><a href="https://doi.org/10.48550/arXiv.2306.15794">'
        "10.48550/arXiv.2306.15794</a></dd>"
    ) in html
    assert (
        '<dt>arXiv</dt><dd><a href="https://arxiv.org/abs/2306.15794v2">2306.15794v2</a> '
        '<span class="arxiv-category">[cs.LG]</span></dd>'
    ) in html
    assert "<dt>Area</dt><dd>Applications to physical sciences</dd>" in html


def test_code_data_project_and_slides_are_linked_and_videos_stay_apart(client, paper):
    from papers.models import PaperVideo

    PaperVideo.objects.create(
        paper=paper, url="https://www.youtube.com/watch?v=abc", state=PaperVideo.State.APPROVED
    )
    html = page(client, paper)
    for kind, label, url in [
        ("code", "Code", "https://github.com/HazyResearch/hyena-dna"),
        ("data", "Data", "https://huggingface.co/datasets/hg38"),
        ("project", "Project page", "https://hazyresearch.stanford.edu/blog/hyena-dna"),
        ("slides", "Slides", "https://example.org/slides.pdf"),
    ]:
        assert f'<li class="paper-link paper-link-{kind}"><a href="{url}">{label}</a></li>' in html
    assert "paper-link-video" not in html


def test_a_stored_javascript_link_is_left_out(client, paper):
    Paper.objects.get(pk=paper.pk).links.filter(kind="code").update(url="javascript:alert(1)")
    refresh_paper_pages(paper_ids=[paper.pk])  # the update went around the signals too
    html = page(client, paper)
    assert "javascript:" not in html
    assert "paper-link-code" not in html


def test_the_citation_formats_and_the_copy_button_are_offered(client, paper):
    html = page(client, paper)
    slug = paper.slug
    assert (
        f'<li><a href="/papers/{slug}.bib" download>BibTeX</a></li>'
        f'<li><a href="/papers/{slug}.ris" download>RIS</a></li>'
        f'<li><a href="/papers/{slug}.csl.json" download>CSL-JSON</a></li>'
    ) in html
    assert (
        '<p class="citation-text" id="citation-text">Nguyen, E. (2023). HyenaDNA. Neural '
        "Information Processing Systems. https://doi.org/10.48550/arXiv.2306.15794</p>"
    ) in html
    # Shown by the script; without JavaScript the citation is text to select by hand.
    assert (
        '<button type="button" class="copy-citation-button" data-copy-from="citation-text" hidden>'
        in html
    )
    assert '<script src="/static/js/copy-citation.js" defer></script>' in html
    assert "<script>" not in html


def test_a_paper_with_no_record_fields_shows_only_the_citations(client):
    paper = PaperFactory(conference=None)
    html = page(client, paper)
    for term in ("Venue", "DOI", "arXiv", "Area", "Links"):
        assert f"<dt>{term}</dt>" not in html
    assert "<dt>Cite</dt>" in html


@pytest.mark.parametrize("size", [1, 12])
def test_the_record_adds_no_query_per_link(client, django_assert_num_queries, size):
    paper = PaperFactory()
    for order in range(size):
        AuthorshipFactory(paper=paper, order=order)
        PaperLinkFactory(paper=paper, kind="code", order=order)
    # the paper with its stored page, the posts featuring it
    with django_assert_num_queries(2):
        html = page(client, paper)
    assert html.count('class="paper-link paper-link-code"') == size


def test_a_conference_without_a_full_name_is_not_followed_by_its_year_twice(client, paper):
    paper.conference.full_name = ""
    paper.conference.save()
    html = page(client, paper)
    assert (
        f'<dt>Venue</dt><dd><a href="{paper.conference.get_absolute_url()}">NeurIPS 2023</a> · '
        "NeurIPS 2023 spotlight</dd>"
    ) in html
