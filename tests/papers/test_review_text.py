"""The stored HTML of review fields (papers.review_text) and every writer that keeps it current."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from papers.models import Paper, PeerReviewExcerpt
from papers.review_text import excerpt_html
from papers.services import import_openreview
from tests.factories import PaperFactory, PeerReviewExcerptFactory

pytestmark = pytest.mark.django_db


def forum(**fields):
    """A forum with one official review of the given fields, as OpenReview's API v2 sends it."""
    return [
        {"id": "Fo0rum0007", "invitations": ["V.cc/2024/Conference/-/Submission"],
         "content": {"title": {"value": "Stored review HTML"}}},
        {"id": "rEview0007", "forum": "Fo0rum0007",
         "invitations": ["V.cc/2024/Conference/Submission7/-/Official_Review"],
         "signatures": ["V.cc/2024/Conference/Submission7/Reviewer_ab3X"],
         "content": {name: {"value": text} for name, text in fields.items()}},
    ]  # fmt: skip


def test_excerpt_html_escapes_and_folds_the_rest_behind_show_more():
    first = " ".join(["A <b>bold</b> & short start."] * 15)
    second = " ".join(["The folded part."] * 20)
    html = excerpt_html(f"{first}\n\n{second}")
    shown = " ".join(["A &lt;b&gt;bold&lt;/b&gt; &amp; short start."] * 15)
    assert html == (
        f"<p>{shown}</p>\n"
        f'<details class="show-more"><summary>Show more</summary><p>{second}</p></details>'
    )
    assert excerpt_html("One line\nand the next.") == "<p>One line<br>and the next.</p>"


def test_saving_an_excerpt_renders_its_text_and_editing_the_text_renders_it_again():
    excerpt = PeerReviewExcerptFactory(text="Clear\r\nand short.")
    assert excerpt.text_html == "<p>Clear<br>and short.</p>"
    excerpt.text = "Rewritten by a curator."
    excerpt.save(update_fields=["text"])
    assert PeerReviewExcerpt.objects.get(pk=excerpt.pk).text_html == (
        "<p>Rewritten by a curator.</p>"
    )


def test_saving_other_fields_only_leaves_the_stored_html_alone():
    excerpt = PeerReviewExcerptFactory(text="Kept.")
    PeerReviewExcerpt.objects.filter(pk=excerpt.pk).update(text_html="<p>as stored</p>")
    excerpt.featured = True
    excerpt.save(update_fields=["featured"])
    assert PeerReviewExcerpt.objects.get(pk=excerpt.pk).text_html == "<p>as stored</p>"


def test_editing_an_excerpt_in_the_admin_refreshes_its_page_html(curator_client):
    excerpt = PeerReviewExcerptFactory(text="Before the edit.", reviewer_label="Reviewer ab3X")
    Paper.objects.filter(pk=excerpt.paper_id).update(listed=True)
    data = {
        "paper": excerpt.paper_id,
        "source_kind": "official_review",
        "reviewer_label": "Reviewer ab3X",
        "rating_scale": "10",
        "scores": "{}",
        "extra": "{}",
        "field": "weaknesses",
        "text": "After the edit: <script> is text.\r\n\r\nA second paragraph.",
        "order": "0",
    }
    response = curator_client.post(
        reverse("admin:papers_peerreviewexcerpt_change", args=[excerpt.pk]), data
    )
    assert response.status_code == 302
    excerpt.refresh_from_db()
    assert excerpt.text_html == (
        "<p>After the edit: &lt;script&gt; is text.</p>\n\n<p>A second paragraph.</p>"
    )
    html = curator_client.get(excerpt.paper.get_absolute_url()).content.decode()
    assert "<h4>Weaknesses</h4><p>After the edit: &lt;script&gt; is text.</p>" in html
    assert "Before the edit." not in html


def test_an_import_stores_each_field_rendered_and_a_reimport_renders_the_new_ones():
    import_openreview(data=forum(summary="Imported summary."))
    excerpt = PeerReviewExcerpt.objects.get()
    assert excerpt.text_html == "<p>Imported summary.</p>"
    excerpt.text = "Trimmed by a curator."
    excerpt.save()

    import_openreview(data=forum(summary="Imported summary.", weaknesses="Added\nlater."))
    stored = dict(PeerReviewExcerpt.objects.values_list("field", "text_html"))
    assert stored == {
        "summary": "<p>Trimmed by a curator.</p>",  # the curator's text stays, and its HTML
        "weaknesses": "<p>Added<br>later.</p>",
    }


def test_the_data_migration_fills_rows_written_before_the_column():
    migration = importlib.import_module("papers.migrations.0010_peerreviewexcerpt_text_html")
    excerpts = [PeerReviewExcerptFactory(text=f"Old & <plain> {n}.") for n in range(3)]
    PeerReviewExcerpt.objects.update(text_html="")  # as the AddField leaves existing rows
    migration.render_text_html(apps, schema_editor=None)
    assert list(PeerReviewExcerpt.objects.order_by("pk").values_list("text_html", flat=True)) == [
        f"<p>Old &amp; &lt;plain&gt; {n}.</p>" for n in range(len(excerpts))
    ]


def test_a_paper_factory_excerpt_shows_its_stored_html_on_the_page(client):
    paper = PaperFactory(listed=True)
    PeerReviewExcerptFactory(paper=paper, field="summary", text="Shown\nas stored.")
    html = client.get(paper.get_absolute_url()).content.decode()
    assert "<h4>Summary</h4><p>Shown<br>as stored.</p></section>" in html
