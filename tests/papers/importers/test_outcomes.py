"""Outcomes read from OpenReview's venue ids and decisions, arXiv comments and BibTeX entries."""

import pytest

from papers.importers import arxiv, bibtex, openreview
from papers.importers.outcomes import outcome_from_words
from papers.models import Paper
from papers.services import import_openreview
from tests.factories import PaperFactory
from tests.fixtures import PAPER_FILES

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("venue_id", "venue", "decision", "submission", "expected"),
    [
        ("ICLR.cc/2024/Conference", "ICLR 2024 oral", "", "Submission", "accepted_oral"),
        ("ICLR.cc/2024/Conference", "ICLR 2024 spotlight", "", "Submission", "accepted_spotlight"),
        ("ICLR.cc/2024/Conference", "ICLR 2024 poster", "", "Submission", "accepted_poster"),
        ("ICLR.cc/2023/Conference", "ICLR 2023 notable top 5%", "", "Submission", "accepted_oral"),
        ("NeurIPS.cc/2023/Conference", "NeurIPS 2023", "", "Submission", "accepted"),
        ("ICLR.cc/2024/Conference/Rejected_Submission", "Submitted to ICLR 2024", "Reject",
         "Submission", "rejected"),
        ("ICLR.cc/2024/Conference/Withdrawn_Submission",
         "ICLR 2024 Conference Withdrawn Submission", "", "Submission", "withdrawn"),
        ("ICLR.cc/2024/Conference/Desk_Rejected_Submission", "", "", "Submission",
         "desk_rejected"),
        ("ICLR.cc/2025/Conference/Submission", "Submitted to ICLR 2025", "", "Submission",
         "under_review"),
        ("", "", "Accept (Oral)", "Blind_Submission", "accepted_oral"),
        ("", "", "Accept: notable-top-25%", "Blind_Submission", "accepted_spotlight"),
        ("", "", "Reject", "Blind_Submission", "rejected"),
        ("", "", "", "Withdrawn_Submission", "withdrawn"),
        ("", "", "", "Blind_Submission", ""),
    ],
)  # fmt: skip
def test_openreview_outcome_from_venue_id_venue_and_decision(
    venue_id, venue, decision, submission, expected
):
    assert openreview._outcome(venue_id, venue, decision, submission) == expected


def test_words_that_say_nothing_give_no_outcome():
    assert outcome_from_words("Long paper, 12 pages", "") == ""


def test_an_arxiv_comment_tells_acceptance_and_only_acceptance():
    atom = """<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom">
    <entry><id>http://arxiv.org/abs/2306.15794v2</id><title>Accepted one</title>
    <arxiv:comment>Accepted at NeurIPS 2023 (spotlight)</arxiv:comment></entry>
    <entry><id>http://arxiv.org/abs/2306.15795v1</id><title>Withdrawn one</title>
    <arxiv:comment>Withdrawn from ICLR; 12 pages</arxiv:comment></entry></feed>"""
    records = arxiv.parse_atom(atom.encode())
    assert [record.outcome for record in records] == ["accepted_spotlight", ""]


def test_a_bibtex_entry_in_proceedings_is_accepted_and_a_misc_says_nothing():
    records = bibtex.parse_bibtex(
        b"@inproceedings{a, title={In proceedings}, booktitle={ICML}, year={2023}, note={Oral}}\n"
        b"@misc{b, title={A preprint}, year={2023}}\n"
    )
    assert [record.outcome for record in records] == ["accepted_oral", ""]


def test_a_curated_outcome_survives_re_import_and_unknown_is_filled():
    paper = PaperFactory(openreview_id="Acc3pTedXy", title="Sparse Attention")
    assert paper.outcome == Paper.Outcome.UNKNOWN
    import_openreview(source=PAPER_FILES / "openreview_v2_accepted_forum.json")
    paper.refresh_from_db()
    assert paper.outcome == Paper.Outcome.ACCEPTED_POSTER
    paper.outcome = Paper.Outcome.ACCEPTED_ORAL
    paper.save()
    report = import_openreview(source=PAPER_FILES / "openreview_v2_accepted_forum.json")
    paper.refresh_from_db()
    assert paper.outcome == Paper.Outcome.ACCEPTED_ORAL
    assert "outcome" in report.papers[0].kept
