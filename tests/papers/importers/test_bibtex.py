"""BibTeX downloads with stable keys that parse back; .bib files create papers."""

import pytest
from django.test import Client
from django.urls import reverse

from papers.importers.bibtex import parse_bibtex, render_bibtex
from papers.importers.records import ImportFailed
from papers.models import Paper
from papers.selectors import papers_for_citation
from papers.services import import_arxiv, import_bibtex, import_openreview
from tests.factories import (
    AuthorFactory,
    AuthorshipFactory,
    ConferenceFactory,
    EntryFactory,
    PaperFactory,
    PostFactory,
    SectionFactory,
)
from tests.fixtures import PAPER_FILES

pytestmark = pytest.mark.django_db

FILES = PAPER_FILES


@pytest.fixture
def imported():
    import_openreview(source=FILES / "openreview_v2_withdrawn_forum.json")
    import_openreview(source=FILES / "openreview_v2_accepted_forum.json")
    import_arxiv(source=FILES / "arxiv_two_entries.xml")
    Paper.objects.update(listed=True)  # imported papers are public once a curator lists them
    return list(papers_for_citation().order_by("pk"))


def test_the_export_matches_the_expected_file_exactly(imported):
    assert render_bibtex(imported) == (FILES / "expected_export.bib").read_text()


def test_exported_entries_parse_back_to_the_same_papers(imported):
    records = parse_bibtex(render_bibtex(imported))
    assert [r.title for r in records] == [p.title for p in imported]
    assert [[a.name for a in r.authors] for r in records] == [
        [a.author.name for a in p.authorships.all()] for p in imported
    ]
    assert [r.arxiv_id for r in records] == ["", "", "2306.15794", "hep-th/9901001"]
    assert [r.openreview_id for r in records] == ["Hx3kQ9aB2c", "Acc3pTedXy", "", ""]


def test_special_characters_and_awkward_names_survive_the_round_trip():
    paper = PaperFactory(
        title="50% Faster & Cheaper: {Braces}, $\\alpha$-Nets and Ünïcode", conference=None
    )
    AuthorshipFactory(paper=paper, author=AuthorFactory(name="Michael, Frank"), order=0)
    AuthorshipFactory(paper=paper, author=AuthorFactory(name="Ludwig van Beethoven"), order=1)
    [record] = parse_bibtex(render_bibtex(papers_for_citation(Paper.objects.all())))
    assert record.title == paper.title
    assert [a.name for a in record.authors] == ["Michael, Frank", "Ludwig van Beethoven"]


def test_citation_keys_are_deduplicated_in_paper_order():
    conference = ConferenceFactory(year=2024)
    papers = []
    for _ in range(3):
        paper = PaperFactory(conference=conference, title="Attention Is Enough")
        AuthorshipFactory(paper=paper, author=AuthorFactory(name="Ada Müller"), order=0)
        papers.append(paper)
    text = render_bibtex(papers_for_citation(Paper.objects.order_by("pk")))
    assert [line for line in text.splitlines() if line.startswith("@")] == [
        "@misc{muller2024attention,",
        "@misc{muller2024attentionb,",
        "@misc{muller2024attentionc,",
    ]


def test_accepted_papers_are_proceedings_and_preprints_are_arxiv_eprints(imported):
    text = render_bibtex(imported)
    assert "@inproceedings{okafor2024sparse," in text
    assert "@misc{nguyen2023hyenadna," in text
    assert "\tarchivePrefix = {arXiv},\n\tprimaryClass = {cs.LG}," in text


def test_a_bib_file_creates_papers_with_decoded_latex():
    report = import_bibtex(source=FILES / "papers.bib")

    assert len(report.created) == 2
    hyena = Paper.objects.get(arxiv_id="2306.15794")
    assert hyena.title.startswith("HyenaDNA: Long-Range")
    assert hyena.venue == "Advances in Neural Information Processing Systems"
    assert hyena.publication_date.isoformat() == "2023-12-01"
    assert sorted(hyena.topics.names()) == ["genomics", "long context"]
    strings = Paper.objects.get(arxiv_id="")
    assert strings.title == "A Note on Strings in Curved Backgrounds & Elsewhere"
    assert [a.author.name for a in strings.authorships.all()] == ["Jürgen Schäfer"]
    assert [link.url for link in strings.links.all()] == ["https://example.org/strings"]


def test_importing_the_same_bib_file_twice_creates_no_duplicates():
    import_bibtex(source=FILES / "papers.bib")
    report = import_bibtex(source=FILES / "papers.bib")
    assert Paper.objects.count() == 2
    assert report.created == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            (FILES / "malformed.bib").read_text(),
            "The BibTeX file is malformed at line 1: Unexpected block start: `@misc`. "
            "Was still looking for field-value closing `}`",
        ),
        (
            "@misc{a, title={One}}\n@misc{a, title={Two}}",
            "The BibTeX file has two entries with the key “a”.",
        ),
        ("@misc{a, author={Nobody}}", "BibTeX entry “a” has no title."),
        ("just some words", "The BibTeX file holds no entries."),
    ],
)
def test_bad_bibtex_is_refused_with_a_clear_message_and_nothing_saved(content, message):
    with pytest.raises(ImportFailed) as error:
        import_bibtex(
            data=content + "\n@misc{ok, title={Fine}}" if "no entries" not in message else content
        )
    assert str(error.value) == message
    assert Paper.objects.count() == 0


# Downloads


def test_a_paper_downloads_as_a_bib_attachment(client, imported):
    paper = imported[1]
    response = client.get(reverse("papers:paper-bibtex", args=[paper.slug]))
    assert response["Content-Type"] == "application/x-bibtex; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{paper.slug}.bib"'
    assert response.content.decode().startswith("@inproceedings{okafor2024sparse,")


@pytest.mark.parametrize("size", [1, 7])
def test_a_conference_downloads_all_its_papers_in_constant_queries(
    client, django_assert_num_queries, size
):
    conference = ConferenceFactory()
    for _ in range(size):
        AuthorshipFactory(paper=PaperFactory(conference=conference))
    # conference, papers, authorships, links
    with django_assert_num_queries(4):
        response = client.get(reverse("papers:conference-bibtex", args=[conference.slug]))
    assert response.content.decode().count("@misc{") == size


def test_a_published_post_downloads_its_papers_in_entry_order(client):
    post = PostFactory(published=True)
    section = SectionFactory(post=post)
    second = EntryFactory(section=section, order=1, paper__title="Zebra Findings").paper
    first = EntryFactory(section=section, order=0, paper__title="Yak Findings").paper
    EntryFactory(section=section, order=2, paper=first)
    response = client.get(reverse("reviews:post-bibtex", args=[post.slug]))
    titles = [line for line in response.content.decode().splitlines() if "title = " in line]
    assert titles == [f"\ttitle = {{{first.title}}},", f"\ttitle = {{{second.title}}},"]


def test_a_draft_posts_bib_is_hidden_from_readers_and_shown_to_staff(curator_client):
    post = PostFactory()
    EntryFactory(section__post=post)
    url = reverse("reviews:post-bibtex", args=[post.slug])
    assert Client().get(url).status_code == 404
    response = curator_client.get(url)
    assert response.status_code == 200
    assert "@misc{" in response.content.decode()
    assert "no-cache" in response["Cache-Control"]


def test_the_import_bibtex_command_reports_each_paper(capsys):
    from django.core.management import call_command

    call_command("import_bibtex", str(FILES / "papers.bib"))
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "Created “HyenaDNA: Long-Range Genomic Sequence Modeling at Single Nucleotide "
        "Resolution”: 3 author(s), 0 review excerpt(s), 1 link(s).",
        "Created “A Note on Strings in Curved Backgrounds & Elsewhere”: 1 author(s), "
        "0 review excerpt(s), 1 link(s).",
    ]


@pytest.mark.parametrize("size", [1, 6])
def test_a_posts_bib_runs_a_fixed_number_of_queries(client, django_assert_num_queries, size):
    post = PostFactory(published=True)
    section = SectionFactory(post=post)
    for i in range(size):
        entry = EntryFactory(section=section, order=i)
        AuthorshipFactory(paper=entry.paper)
    # post, entries, papers + conferences, authorships, links
    with django_assert_num_queries(5):
        response = client.get(reverse("reviews:post-bibtex", args=[post.slug]))
    assert response.content.decode().count("@misc{") == size


def test_a_javascript_url_in_bibtex_is_left_out_with_a_warning_and_the_rest_imported():
    bib = (
        "@inproceedings{evil2024,\n  title = {A Paper With a Hostile Link},\n"
        "  author = {Doe, Jane},\n  year = {2024},\n  url = {javascript:alert(1)}\n}\n"
        "@misc{fine2024,\n  title = {A Fine Paper},\n  author = {Roe, Rick},\n"
        "  year = {2024},\n  url = {https://example.org/fine}\n}\n"
    )

    report = import_bibtex(data=bib.encode())

    assert [paper.title for paper in report.created] == [
        "A Paper With a Hostile Link",
        "A Fine Paper",
    ]
    assert list(Paper.objects.get(title="A Paper With a Hostile Link").links.all()) == []
    assert [link.url for link in Paper.objects.get(title="A Fine Paper").links.all()] == [
        "https://example.org/fine"
    ]
    assert report.warnings == [
        "“A Paper With a Hostile Link”: the paper link “javascript:alert(1)” left out: "
        "Only http and https addresses are allowed; got “javascript:”."
    ]
