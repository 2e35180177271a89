"""OpenReview forums (API v2 and v1) become complete paper records with attributed excerpts."""

import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from papers.importers.records import ImportFailed
from papers.models import Author, Conference, Paper, PeerReviewExcerpt
from papers.services import import_openreview
from tests.fixtures import PAPER_FILES
from tests.papers.importers.test_fetch import server  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

FILES = PAPER_FILES
WITHDRAWN = FILES / "openreview_v2_withdrawn_forum.json"
ACCEPTED = FILES / "openreview_v2_accepted_forum.json"
V1 = FILES / "openreview_v1_forum.json"


def notes(path):
    return json.loads(path.read_text())


def test_a_v2_forum_becomes_a_paper_with_every_submission_field():
    report = import_openreview(source=WITHDRAWN)

    paper = Paper.objects.get()
    assert report.created == [paper]
    assert paper.title == "Neural Scaling Laws for Phenotypic Drug Discovery"
    assert paper.openreview_id == "Hx3kQ9aB2c"
    assert paper.tldr.startswith("Scaling networks and data")
    assert paper.abstract.endswith("introduce a pretraining task that does.")
    assert paper.decision == "ICLR 2024 Conference Withdrawn Submission"
    assert paper.outcome == Paper.Outcome.WITHDRAWN
    assert paper.venue == "ICLR 2024 Conference Withdrawn Submission"
    assert (
        paper.primary_area
        == "applications to physical sciences (physics, chemistry, biology, etc.)"
    )
    assert paper.bibtex.startswith("@misc{\nlindqvist2024neural,")
    assert str(paper.conference) == "ICLR 2024"
    assert [a.author.name for a in paper.authorships.order_by("order")] == [
        "Dana Lindqvist",
        "José Ferreira",
        "Mira van der Berg",
    ]
    assert Author.objects.get(name="Dana Lindqvist").openreview_id == "~Dana_Lindqvist1"
    assert Author.objects.get(name="Mira van der Berg").openreview_id == ""
    assert sorted(paper.topics.names()) == [
        "drug discovery",
        "high content screening",
        "scaling laws",
    ]
    assert [(link.kind, link.url) for link in paper.links.order_by("order")] == [
        ("openreview", "https://openreview.net/forum?id=Hx3kQ9aB2c"),
        ("pdf", "https://openreview.net/pdf/5f6e0b1c2d3a4b5c6d7e8f90a1b2c3d4e5f60718.pdf"),
    ]


def test_each_official_review_becomes_excerpts_per_field_with_scores_and_anonymous_labels():
    import_openreview(source=WITHDRAWN)

    excerpts = list(PeerReviewExcerpt.objects.order_by("order"))
    assert [(e.reviewer_label, e.field) for e in excerpts[:4]] == [
        ("Reviewer ab3X", "summary"),
        ("Reviewer ab3X", "strengths"),
        ("Reviewer ab3X", "weaknesses"),
        ("Reviewer ab3X", "questions"),
    ]
    assert len(excerpts) == 12
    assert {e.reviewer_label for e in excerpts} == {
        "Reviewer ab3X",
        "Reviewer Qm7T",
        "Reviewer zP01",
    }
    first = excerpts[0]
    assert first.source_kind == PeerReviewExcerpt.SourceKind.OFFICIAL_REVIEW
    assert first.rating == Decimal("6.0")
    assert first.rating_label == "6: marginally above the acceptance threshold"
    assert first.confidence == Decimal("3.0")
    assert first.confidence_label == "3: You are fairly confident in your assessment."
    assert first.scores == {
        "soundness": {"value": 3.0, "label": "3 good"},
        "presentation": {"value": 2.0, "label": "2 fair"},
        "contribution": {"value": 3.0, "label": "3 good"},
    }
    assert first.source_url == "https://openreview.net/forum?id=Hx3kQ9aB2c&noteId=rEv1aaaaaa"
    assert not any(e.featured for e in excerpts)


def test_review_fields_the_app_does_not_know_are_kept_as_raw_json():
    import_openreview(source=WITHDRAWN)

    excerpt = PeerReviewExcerpt.objects.filter(reviewer_label="Reviewer Qm7T").first()
    assert excerpt.extra == {
        "flag_for_ethics_review": ["No ethics review needed."],
        "code_of_conduct": "Yes",
        "details_of_ethics_concerns": "None.",
    }


def test_an_accepted_forum_as_a_bare_list_brings_its_meta_review_and_decision():
    report = import_openreview(data=notes(ACCEPTED))

    paper = report.created[0]
    assert paper.outcome == Paper.Outcome.ACCEPTED_POSTER
    assert paper.decision == "Accept (poster)"
    meta = paper.review_excerpts.get(source_kind="meta_review")
    assert meta.reviewer_label == "Area Chair Wx9q"
    assert meta.text == "All reviewers agree the long-context results are convincing."
    assert meta.extra["justification_for_why_not_lower_score"] == "Strong empirical results."
    decision = paper.review_excerpts.get(source_kind="decision")
    assert (decision.reviewer_label, decision.text) == (
        "Program Chairs",
        "The committee agrees with the area chair.",
    )
    assert paper.publication_date.isoformat() == "2024-01-16"


def test_a_v1_forum_reads_plain_values_tldr_and_anon_reviewer_signatures():
    report = import_openreview(source=V1)

    paper = report.created[0]
    assert paper.tldr == "Protein structure from sequence alone."
    assert paper.outcome == Paper.Outcome.ACCEPTED_POSTER
    assert paper.decision == "Accept (Poster)"
    assert str(paper.conference) == "ICLR 2019"
    reviews = paper.review_excerpts.filter(source_kind="official_review").order_by("order")
    assert [(e.reviewer_label, e.rating, e.field) for e in reviews] == [
        ("Reviewer 5", Decimal("7.0"), "review"),
        ("Reviewer 2", Decimal("5.0"), "review"),
    ]
    assert reviews[0].extra == {"title": "Solid contribution"}
    assert paper.review_excerpts.get(source_kind="meta_review").reviewer_label == "Area Chair 1"


def test_one_note_alone_is_accepted():
    submission = notes(WITHDRAWN)["notes"][0]
    report = import_openreview(data=submission)
    assert [p.title for p in report.created] == [
        "Neural Scaling Laws for Phenotypic Drug Discovery"
    ]
    assert report.warnings == [
        "Forum Hx3kQ9aB2c has no official reviews: the paper was read without review excerpts."
    ]


def test_reimporting_a_forum_updates_instead_of_duplicating_and_reports_nothing_changed():
    import_openreview(source=WITHDRAWN)
    report = import_openreview(source=WITHDRAWN)

    assert Paper.objects.count() == 1
    assert PeerReviewExcerpt.objects.count() == 12
    assert report.created == []
    assert report.updated == []
    assert report.lines() == ["Unchanged “Neural Scaling Laws for Phenotypic Drug Discovery”."]


def test_reimport_keeps_curator_edits_updates_the_rest_and_says_what_changed():
    import_openreview(source=WITHDRAWN)
    paper = Paper.objects.get()
    paper.title = "Scaling Laws in Phenotypic Screening"
    paper.save()
    excerpt = paper.review_excerpts.order_by("order").first()
    excerpt.text, excerpt.featured, excerpt.order = "A shortened quote.", True, 99
    excerpt.save()
    data = notes(WITHDRAWN)
    data["notes"][0]["content"]["title"]["value"] = "Neural Scaling Laws, Revised"
    data["notes"][0]["content"]["abstract"]["value"] = "A new abstract."
    data["notes"][1]["content"]["rating"]["value"] = "8: accept, good paper"

    report = import_openreview(data=data)

    paper.refresh_from_db()
    excerpt.refresh_from_db()
    assert paper.title == "Scaling Laws in Phenotypic Screening"
    assert paper.abstract == "A new abstract."
    assert (excerpt.text, excerpt.featured, excerpt.order) == ("A shortened quote.", True, 99)
    assert excerpt.rating == Decimal("8.0")
    assert report.lines() == [
        "Updated “Scaling Laws in Phenotypic Screening”: changed abstract; "
        "kept curator edits to title; 4 review excerpt(s) refreshed."
    ]
    assert paper.provenance["abstract"] == {"source": "openreview", "value": "A new abstract."}


def test_a_field_the_curator_cleared_and_refilled_by_hand_is_kept():
    paper_before = import_openreview(source=WITHDRAWN).created[0]
    paper_before.tldr = "Our own one-liner."
    paper_before.save()
    import_openreview(source=WITHDRAWN)
    assert Paper.objects.get().tldr == "Our own one-liner."


def test_the_import_command_reads_a_file_and_prints_the_report(capsys):
    call_command("import_openreview", str(ACCEPTED))
    out = capsys.readouterr().out
    assert (
        "Created “Sparse Attention for Long Genomic Sequences”: 2 author(s), 10 review excerpt(s), 2 link(s)."
        in out
    )


def test_a_dry_run_reports_what_would_be_created_and_saves_nothing(capsys):
    call_command("import_openreview", str(ACCEPTED), "--dry-run")
    out = capsys.readouterr().out
    assert "Created “Sparse Attention for Long Genomic Sequences”" in out
    assert "Dry run: nothing was saved." in out
    assert (Paper.objects.count(), Conference.objects.count(), Author.objects.count()) == (0, 0, 0)


def test_the_conference_option_attaches_papers_to_a_chosen_conference():
    conference = Conference.objects.create(short_name="ICLR", year=2024, slug="iclr24")
    call_command("import_openreview", str(V1), "--conference", "iclr24")
    assert Paper.objects.get().conference == conference


# Bad input


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b'{"notes": [',
            "The file is not valid JSON: Expecting value: line 1 column 12 (char 11).",
        ),
        (
            b'"a string"',
            'Expected OpenReview notes: {"notes": [...]}, a list of notes, or one note.',
        ),
        (b'{"notes": []}', "The file holds no OpenReview notes."),
        (
            b'[{"id": "x1"}]',
            "Note x1 is not an OpenReview note: it needs an id and a content object.",
        ),
    ],
)
def test_malformed_json_is_refused_with_a_clear_message(tmp_path, content, message):
    path = tmp_path / "forum.json"
    path.write_bytes(content)
    with pytest.raises(ImportFailed) as error:
        import_openreview(source=path)
    assert str(error.value) == message
    assert Paper.objects.count() == 0


def test_a_note_without_a_title_is_refused():
    data = notes(WITHDRAWN)
    del data["notes"][0]["content"]["title"]
    with pytest.raises(ImportFailed, match=r"^Note Hx3kQ9aB2c has no title.$"):
        import_openreview(data=data)
    assert Paper.objects.count() == 0


def test_a_single_note_of_an_unknown_type_is_refused_naming_the_type():
    review = notes(WITHDRAWN)["notes"][1]
    review["invitations"] = ["ICLR.cc/2024/Conference/Submission4321/-/Poster_Vote"]
    with pytest.raises(ImportFailed) as error:
        import_openreview(data=review)
    assert str(error.value).startswith("Note rEv1aaaaaa is of unknown type “Poster_Vote”")


def test_replies_of_an_unknown_type_are_skipped_and_named_in_the_report():
    data = notes(WITHDRAWN)
    data["notes"][4]["invitations"] = ["ICLR.cc/2024/Conference/Submission4321/-/Poster_Vote"]
    report = import_openreview(data=data)
    assert report.warnings == ["Skipped note cMnt111111 of unknown type “Poster_Vote”."]


def test_replies_without_their_submission_are_refused():
    data = notes(WITHDRAWN)
    del data["notes"][0]
    with pytest.raises(ImportFailed, match=r"^Forum Hx3kQ9aB2c has no submission note"):
        import_openreview(data=data)


def test_a_50_mb_file_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "huge.json"
    with path.open("wb") as handle:
        handle.seek(50 * 1024 * 1024 - 1)
        handle.write(b"\0")
    with pytest.raises(
        ImportFailed, match=r"^The file is larger than 10 MB, the limit for imports.$"
    ):
        import_openreview(source=path)


def test_a_failure_in_the_second_forum_leaves_nothing_of_the_first():
    good = notes(ACCEPTED)
    bad = notes(WITHDRAWN)["notes"]
    bad[0]["content"]["title"]["value"] = "x" * 501
    with pytest.raises(
        ImportFailed, match="cannot be saved: title: Ensure this value has at most 500"
    ):
        import_openreview(data=good + bad)
    assert (
        Paper.objects.count(),
        PeerReviewExcerpt.objects.count(),
        Conference.objects.count(),
    ) == (
        0,
        0,
        0,
    )


def test_the_same_forum_twice_in_one_file_is_refused():
    data = notes(ACCEPTED)
    duplicate = json.loads(json.dumps(data[0]))
    duplicate["forum"] = "Acc3pTedXy"
    with pytest.raises(ImportFailed, match=r"^Note Acc3pTedXy appears twice in the file.$"):
        import_openreview(data=[*data, duplicate])
    assert Paper.objects.count() == 0


def test_the_command_turns_bad_input_into_a_command_error(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text("{not json")
    with pytest.raises(CommandError, match="The file is not valid JSON"):
        call_command("import_openreview", str(path))


def test_a_reimport_that_only_meets_curator_edits_reports_them_as_unchanged():
    import_openreview(source=WITHDRAWN)
    Paper.objects.update(title="Our Title")
    data = notes(WITHDRAWN)
    data["notes"][0]["content"]["title"]["value"] = "Their New Title"
    report = import_openreview(data=data)
    assert report.lines() == ["Unchanged “Our Title”: kept curator edits to title."]


def test_the_forum_option_fetches_the_live_api(server, settings, capsys):  # noqa: F811
    settings.PAPERS_OPENREVIEW_APIS = [server.url]
    server.script = [(200, V1.read_bytes())]
    call_command("import_openreview", "--forum", "B1gV1aNtwH")
    assert "Created “Learning to Read Protein Structures”" in capsys.readouterr().out
    assert server.paths == ["/notes?forum=B1gV1aNtwH"]


def test_a_v2_field_hidden_from_the_public_is_read_as_empty():
    data = notes(WITHDRAWN)
    data["notes"][0]["content"]["pdf"] = {"readers": ["ICLR.cc/2024/Conference"]}
    paper = import_openreview(data=data).created[0]
    assert [link.kind for link in paper.links.all()] == ["openreview"]


def test_a_resubmission_with_the_same_title_under_a_new_forum_is_a_new_paper():
    import_openreview(source=WITHDRAWN)
    data = notes(WITHDRAWN)
    for note in data["notes"]:
        note["forum"] = "NewF0rum25"
    data["notes"][0]["id"] = "NewF0rum25"
    import_openreview(data=data)
    assert sorted(Paper.objects.values_list("openreview_id", flat=True)) == [
        "Hx3kQ9aB2c",
        "NewF0rum25",
    ]


def test_mixed_case_topics_are_not_mistaken_for_curator_edits():
    data = notes(WITHDRAWN)
    data["notes"][0]["content"]["keywords"]["value"] = ["Zebra", "apple", "Mango"]
    import_openreview(data=data)
    assert import_openreview(data=data).lines()[0].startswith("Unchanged")


def test_a_javascript_pdf_link_from_openreview_is_left_out_with_a_warning():
    submission = notes(WITHDRAWN)["notes"][0]
    submission["content"]["pdf"] = {"value": "javascript:alert(1)"}

    report = import_openreview(data=submission)

    paper = Paper.objects.get()
    assert [link.kind for link in paper.links.all()] == ["openreview"]
    assert report.warnings == [
        "Forum Hx3kQ9aB2c has no official reviews: the paper was read without review excerpts.",
        "“Neural Scaling Laws for Phenotypic Drug Discovery”: the pdf link “javascript:alert(1)” "
        "left out: Only http and https addresses are allowed; got “javascript:”.",
    ]


def test_code_data_project_and_slides_fields_become_links():
    data = notes(ACCEPTED)
    content = data[0]["content"]
    content["code"] = {"value": "Code: https://github.com/example/sparse-attention."}
    content["dataset"] = {"value": "https://zenodo.org/records/123"}
    content["project_page"] = {"value": "https://example.org/sparse"}
    content["slides"] = {"value": "/attachment?id=Acc3pTedXy&name=slides"}
    content["code_url"] = {"value": "not a link"}

    import_openreview(data=data)

    links = list(Paper.objects.get().links.order_by("order").values_list("kind", "url"))
    assert links[-4:] == [
        ("code", "https://github.com/example/sparse-attention"),
        ("data", "https://zenodo.org/records/123"),
        ("project", "https://example.org/sparse"),
        ("slides", "https://openreview.net/attachment?id=Acc3pTedXy&name=slides"),
    ]
