"""A paper cited as RIS, CSL-JSON and a plain line, agreeing with its BibTeX on type and venue."""

import datetime
import json

import pytest
from django.urls import reverse

from papers.citations import csl_items, entry_type, name_parts, plain_citation, render_ris
from papers.importers.bibtex import render_bibtex
from papers.models import Paper
from papers.selectors import papers_for_citation
from tests.factories import (
    AuthorFactory,
    AuthorshipFactory,
    ConferenceFactory,
    PaperFactory,
    PaperLinkFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def accepted():
    conference = ConferenceFactory(
        short_name="ICLR",
        year=2024,
        full_name="International Conference on Learning Representations",
    )
    paper = PaperFactory(
        conference=conference,
        title="Neural Scaling Laws for Phenotypic Drug Discovery",
        abstract="We study scale.",
        outcome=Paper.Outcome.ACCEPTED_POSTER,
        venue="ICLR 2024 poster",
        publication_date=datetime.date(2024, 1, 16),
    )
    for order, name in enumerate(["Drew Linsley", "Adam N Roose", "Michael, Frank"]):
        AuthorshipFactory(paper=paper, author=AuthorFactory(name=name), order=order)
    PaperLinkFactory(paper=paper, kind="openreview", url="https://openreview.net/forum?id=Acc3")
    paper.topics.set(["drug discovery", "scaling"])
    return loaded(paper)


def loaded(paper):
    return papers_for_citation(Paper.objects.filter(pk=paper.pk)).prefetch_related("topics").get()


def test_the_plain_citation_reads_like_apa(accepted):
    assert plain_citation(accepted) == (
        "Linsley, D., Roose, A. N., & Michael, Frank (2024). Neural Scaling Laws for Phenotypic "
        "Drug Discovery. International Conference on Learning Representations. "
        "https://openreview.net/forum?id=Acc3"
    )


def test_a_preprint_is_cited_by_its_arxiv_id_and_a_doi_wins_the_address():
    paper = PaperFactory(
        conference=None,
        title="HyenaDNA",
        arxiv_id="2306.15794",
        doi="10.1000/xyz",
        publication_date=datetime.date(2023, 6, 27),
    )
    AuthorshipFactory(paper=paper, author=AuthorFactory(name="Eric Nguyen"))
    assert plain_citation(loaded(paper)) == (
        "Nguyen, E. (2023). HyenaDNA. arXiv preprint arXiv:2306.15794. https://doi.org/10.1000/xyz"
    )


def test_ris_has_one_record_per_paper_with_crlf_lines(accepted):
    assert render_ris([accepted]) == (
        "TY  - CPAPER\r\n"
        "TI  - Neural Scaling Laws for Phenotypic Drug Discovery\r\n"
        "AU  - Linsley, Drew\r\n"
        "AU  - Roose, Adam N\r\n"
        "AU  - Michael, Frank\r\n"
        "PY  - 2024\r\n"
        "DA  - 2024/01/16\r\n"
        "T2  - International Conference on Learning Representations\r\n"
        "AB  - We study scale.\r\n"
        "UR  - https://openreview.net/forum?id=Acc3\r\n"
        "KW  - drug discovery\r\n"
        "KW  - scaling\r\n"
        "ER  - \r\n"
    )


def test_csl_json_items_carry_the_bibtex_key_and_split_names(accepted):
    assert csl_items([accepted]) == [
        {
            "id": "linsley2024neural",
            "type": "paper-conference",
            "title": "Neural Scaling Laws for Phenotypic Drug Discovery",
            "author": [
                {"family": "Linsley", "given": "Drew"},
                {"family": "Roose", "given": "Adam N"},
                {"literal": "Michael, Frank"},
            ],
            "issued": {"date-parts": [[2024, 1, 16]]},
            "container-title": "International Conference on Learning Representations",
            "URL": "https://openreview.net/forum?id=Acc3",
            "abstract": "We study scale.",
            "keyword": "drug discovery, scaling",
        }
    ]


def test_the_entry_type_of_the_source_is_kept_in_every_format(accepted):
    Paper.objects.filter(pk=accepted.pk).update(
        bibtex="@article{linsley2024, title={Neural scaling}}", venue="Nature Methods"
    )
    paper = loaded(accepted)

    assert entry_type(paper) == "article"
    assert render_bibtex([paper]).startswith("@article{linsley2024neural,")
    assert "\tjournal = {Nature Methods}," in render_bibtex([paper])
    assert render_ris([paper]).startswith("TY  - JOUR\r\n")
    assert "JO  - Nature Methods\r\n" in render_ris([paper])
    assert csl_items([paper])[0]["type"] == "article-journal"


def test_without_a_source_type_an_accepted_paper_is_in_proceedings_and_others_are_misc(accepted):
    assert entry_type(accepted) == "inproceedings"
    Paper.objects.filter(pk=accepted.pk).update(outcome=Paper.Outcome.WITHDRAWN)
    assert entry_type(loaded(accepted)) == "misc"


@pytest.mark.parametrize(
    ("name", "parts"),
    [
        ("Drew Linsley", ("Drew", "Linsley")),
        ("Ludwig van Beethoven", ("Ludwig", "van Beethoven")),
        ("Michael, Frank", ("", "Michael, Frank")),
        ("Plato", ("", "Plato")),
    ],
)
def test_names_split_into_given_and_family(name, parts):
    assert name_parts(name) == parts


# The downloads


def test_the_ris_and_csl_json_downloads_sit_beside_the_bibtex(client, accepted):
    ris = client.get(reverse("papers:paper-ris", args=[accepted.slug]))
    csl = client.get(reverse("papers:paper-csl-json", args=[accepted.slug]))

    assert ris["Content-Type"] == "application/x-research-info-systems; charset=utf-8"
    assert ris["Content-Disposition"] == f'attachment; filename="{accepted.slug}.ris"'
    assert ris.content.decode() == render_ris([accepted])
    assert csl["Content-Type"] == "application/vnd.citationstyles.csl+json"
    assert json.loads(csl.content) == csl_items([accepted])
    assert reverse("papers:paper-csl-json", args=[accepted.slug]).endswith(".csl.json")


def test_a_draft_papers_citations_are_not_found(client):
    paper = PaperFactory(listed=False, conference=ConferenceFactory(listed=False))
    for name in ("papers:paper-ris", "papers:paper-csl-json"):
        assert client.get(reverse(name, args=[paper.slug])).status_code == 404


@pytest.mark.parametrize("name", ["papers:paper-ris", "papers:paper-csl-json"])
@pytest.mark.parametrize("authors", [1, 8])
def test_a_citation_download_takes_the_same_queries_for_one_author_or_eight(
    client, django_assert_num_queries, name, authors
):
    paper = PaperFactory()
    for order in range(authors):
        AuthorshipFactory(paper=paper, order=order)
        PaperLinkFactory(paper=paper)
    with django_assert_num_queries(4):
        assert client.get(reverse(name, args=[paper.slug])).status_code == 200
