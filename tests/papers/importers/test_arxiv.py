"""arXiv API Atom responses become paper records; re-imports update them."""

import pytest
from django.core.management import CommandError, call_command

from papers.importers.arxiv import normalize_id
from papers.importers.records import ImportFailed
from papers.models import Paper
from papers.services import import_arxiv, import_openreview
from tests.fixtures import PAPER_FILES

pytestmark = pytest.mark.django_db

FILES = PAPER_FILES
ATOM = FILES / "arxiv_two_entries.xml"


def test_an_atom_response_becomes_papers_with_authors_categories_and_links():
    report = import_arxiv(source=ATOM)

    assert len(report.created) == 2
    paper = Paper.objects.get(arxiv_id="2306.15794")
    assert paper.title == (
        "HyenaDNA: Long-Range Genomic Sequence Modeling at Single Nucleotide Resolution"
    )
    assert paper.abstract.startswith("Genomic (DNA) sequences encode an enormous amount")
    assert "\n" not in paper.abstract
    assert (paper.arxiv_version, paper.primary_category, paper.doi) == (
        "v2",
        "cs.LG",
        "10.48550/arXiv.2306.15794",
    )
    assert paper.comment == "NeurIPS 2023 (Spotlight)"
    assert paper.publication_date.isoformat() == "2023-06-27"
    assert paper.conference is None
    assert [(a.author.name, a.affiliation) for a in paper.authorships.order_by("order")] == [
        ("Eric Nguyen", "Stanford University"),
        ("Michael Poli", ""),
        ("Marjan Faizi", "Harvard University; Broad Institute"),
    ]
    assert sorted(paper.topics.names()) == ["cs.LG", "q-bio.GN"]
    assert [(link.kind, link.url) for link in paper.links.order_by("order")] == [
        ("arxiv", "https://arxiv.org/abs/2306.15794v2"),
        ("pdf", "https://arxiv.org/pdf/2306.15794v2"),
    ]
    old = Paper.objects.get(arxiv_id="hep-th/9901001")
    assert (old.arxiv_version, old.primary_category) == ("v1", "hep-th")


def test_a_new_version_updates_the_record_and_its_links_without_duplicates():
    import_arxiv(source=ATOM)
    newer = ATOM.read_text().replace("2306.15794v2", "2306.15794v3")
    report = import_arxiv(data=newer)

    paper = Paper.objects.get(arxiv_id="2306.15794")
    assert Paper.objects.count() == 2
    assert paper.arxiv_version == "v3"
    assert [link.url for link in paper.links.order_by("order")] == [
        "https://arxiv.org/abs/2306.15794v3",
        "https://arxiv.org/pdf/2306.15794v3",
    ]
    assert report.lines()[0] == (
        "Updated “HyenaDNA: Long-Range Genomic Sequence Modeling at Single Nucleotide "
        "Resolution”: changed arxiv_version, arxiv link, pdf link."
    )


def test_an_arxiv_import_completes_the_paper_already_imported_from_openreview():
    import_openreview(source=FILES / "openreview_v2_accepted_forum.json")
    atom = ATOM.read_text().replace(
        "HyenaDNA: Long-Range Genomic Sequence Modeling at Single Nucleotide\n  Resolution",
        "Sparse Attention for Long Genomic Sequences",
    )
    import_arxiv(data=atom)

    paper = Paper.objects.get(openreview_id="Acc3pTedXy")
    assert paper.arxiv_id == "2306.15794"
    assert paper.comment == "NeurIPS 2023 (Spotlight)"
    assert [a.author.name for a in paper.authorships.order_by("order")] == [
        "Eli Okafor",
        "Hana Sato",
    ]
    assert Paper.objects.count() == 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2306.15794", "2306.15794"),
        ("arXiv:2306.15794v2", "2306.15794"),
        ("https://arxiv.org/abs/2306.15794v1", "2306.15794"),
        ("https://arxiv.org/pdf/hep-th/9901001v1", "hep-th/9901001"),
    ],
)
def test_arxiv_ids_are_read_in_every_common_spelling(text, expected):
    assert normalize_id(text) == expected


def test_an_arxiv_error_entry_is_reported():
    with pytest.raises(ImportFailed, match=r"^arXiv answered with an error: incorrect id format"):
        import_arxiv(source=FILES / "arxiv_error.xml")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("<feed><entry>", "The file is not well-formed XML: no element found: line 1, column 13."),
        ("<html></html>", "The file is not an arXiv API response: expected an Atom <feed>."),
        (
            '<feed xmlns="http://www.w3.org/2005/Atom"></feed>',
            "The arXiv response holds no entries (unknown id?).",
        ),
    ],
)
def test_malformed_xml_is_refused_with_a_clear_message(content, message):
    with pytest.raises(ImportFailed) as error:
        import_arxiv(data=content)
    assert str(error.value) == message


def test_an_entity_bomb_is_refused_without_expanding_it():
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><feed>&b;</feed>'
    )
    with pytest.raises(ImportFailed, match="forbidden constructs"):
        import_arxiv(data=bomb)
    assert Paper.objects.count() == 0


def test_the_command_imports_a_saved_response(capsys):
    call_command("import_arxiv", str(ATOM))
    out = capsys.readouterr().out
    assert "Created “A Note on Strings in Curved Backgrounds”: 1 author(s)" in out


def test_the_command_refuses_something_that_is_not_an_id():
    with pytest.raises(CommandError, match="“not-an-id” is not an arXiv id"):
        call_command("import_arxiv", "not-an-id")
