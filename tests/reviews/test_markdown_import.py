from pathlib import Path

import pytest

from papers.models import Conference, Paper
from reviews.markdown_export import canonical, render_post_markdown
from reviews.markdown_import import MarkdownImportError, MarkdownSource, import_post
from reviews.models import Entry, GalleryImage, Keynote, Post, Section
from tests.factories import ConferenceFactory, PaperFactory

pytestmark = pytest.mark.django_db

FILES = Path(__file__).parent / "markdown_files"


def export(slug):
    return render_post_markdown(Post.objects.get(slug=slug))


@pytest.mark.parametrize(
    "name",
    ["2024-05-02-iclr-2024-extra-sections.md", "unknown-blocks.md"],
)
def test_importing_a_canonical_file_and_exporting_it_gives_the_same_bytes(name):
    report = import_post(source=FILES / name)
    assert export(report.slug) == (FILES / name).read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["icml-2023-messy.md", "neurips-2022-no-selected-papers.md"])
def test_importing_a_non_canonical_file_exports_its_canonical_form(name):
    report = import_post(source=FILES / name)
    expected = (FILES / name.replace(".md", ".expected.md")).read_text(encoding="utf-8")
    assert export(report.slug) == expected
