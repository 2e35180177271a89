"""A curator's unsaved edits of a paper: kept per user and paper, curators only, cleared by a save,
and never a reason to drop the cached public pages."""

import pytest
from django.core.exceptions import PermissionDenied

from core.autosave import AutosaveRefused
from core.models import ContentVersion
from papers.autosave import autosave_paper_edits, discard_paper_autosave, pending_paper_autosave
from papers.models import PaperAutosave
from papers.services import save_paper
from tests.factories import PaperFactory, staff_member

pytestmark = pytest.mark.django_db


def test_edits_are_kept_once_per_user_and_replaced_by_the_next(curator):
    paper = PaperFactory()
    autosave_paper_edits(paper=paper, by=curator, form_data=[["title", "One"]], paper_version=1)

    autosave_paper_edits(
        paper=paper,
        by=curator,
        form_data=[["title", "Two"], ["review_excerpts-0-text", "A\r\nB"], ["version", "1"]],
        paper_version=1,
    )

    saved = pending_paper_autosave(paper=paper, by=curator)
    assert saved.form_data == [["title", "Two"], ["review_excerpts-0-text", "A\nB"]]
    assert PaperAutosave.objects.count() == 1


def test_keeping_edits_leaves_the_cached_pages_alone(curator):
    paper = PaperFactory()
    ContentVersion.objects.update_or_create(pk=1, defaults={"number": 7})

    autosave_paper_edits(paper=paper, by=curator, form_data=[["title", "T"]], paper_version=1)

    assert ContentVersion.objects.get(pk=1).number == 7


def test_a_contributor_may_not_keep_edits_of_a_paper():
    from reviews.workflow.roles import CONTRIBUTORS

    contributor = staff_member("contributor", CONTRIBUTORS)

    with pytest.raises(PermissionDenied, match="Only curators"):
        autosave_paper_edits(
            paper=PaperFactory(), by=contributor, form_data=[["title", "T"]], paper_version=1
        )

    assert PaperAutosave.objects.count() == 0


def test_a_malformed_form_state_is_refused_in_words(curator):
    with pytest.raises(AutosaveRefused, match=r"list of \[name, value\] pairs of text"):
        autosave_paper_edits(paper=PaperFactory(), by=curator, form_data={"a": 1}, paper_version=1)


def test_saving_the_paper_clears_the_savers_kept_edits_only(curator):
    from reviews.workflow.roles import CURATORS

    other = staff_member("other-curator", CURATORS)
    paper = PaperFactory()
    for user in (curator, other):
        autosave_paper_edits(paper=paper, by=user, form_data=[["title", "T"]], paper_version=1)

    save_paper(paper=paper, by=curator, expected_version=paper.version)

    assert list(PaperAutosave.objects.values_list("user__username", flat=True)) == ["other-curator"]
    assert discard_paper_autosave(paper=paper, by=other) == 1
