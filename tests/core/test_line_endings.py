"""Every text field is stored with LF line endings, whoever saves the row."""

import pytest

from core.line_endings import normalise_line_endings
from tests.factories import EntryFactory, GalleryImageFactory, PaperFactory, SectionFactory

pytestmark = pytest.mark.django_db


def test_crlf_and_lone_cr_become_lf():
    assert normalise_line_endings("a\r\nb\rc\n") == "a\nb\nc\n"


def test_sections_entries_images_and_papers_are_saved_with_lf():
    section = SectionFactory(body="One\r\nTwo")
    entry = EntryFactory(section=section, summary="Sum\r\nmary")
    image = GalleryImageFactory(entry=entry, caption="Cap\rtion")
    paper = PaperFactory(abstract="Ab\r\nstract")
    for row in (section, entry, image, paper):
        row.refresh_from_db()
    assert (section.body, entry.summary, image.caption, paper.abstract) == (
        "One\nTwo",
        "Sum\nmary",
        "Cap\ntion",
        "Ab\nstract",
    )
