"""Venue imports run as tasks with the acting user's rights, exactly as from the admin."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from papers.models import Paper
from papers.tasks import import_bibtex_file
from tests.fixtures import PAPER_FILES

pytestmark = pytest.mark.django_db


def staged(name="imports/papers.bib"):
    return default_storage.save(name, ContentFile((PAPER_FILES / "papers.bib").read_bytes()))


def test_a_staged_bibtex_file_is_imported_for_a_curator_and_then_removed(curator, media_root):
    name = staged()
    result = import_bibtex_file.enqueue(name=name, user_id=curator.pk)
    assert result.status == "SUCCESSFUL"
    assert result.return_value["created"] == Paper.objects.count() > 0
    assert result.return_value["updated"] == 0
    assert not default_storage.exists(name)


def test_a_contributor_may_not_import_papers_through_a_task_either(contributor, media_root):
    name = staged()
    result = import_bibtex_file.enqueue(name=name, user_id=contributor.pk)
    assert result.status == "FAILED"
    assert result.errors[0].exception_class_path == ("django.core.exceptions.PermissionDenied")
    assert "Only curators may import or change paper records." in result.errors[0].traceback
    assert Paper.objects.count() == 0
    assert default_storage.exists(name)
