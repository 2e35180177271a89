"""A paper's stored page follows every curator edit of what it shows, and never shows what
only a draft has."""

from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command

from papers.authors import merge_authors
from papers.models import Paper, PaperVideo
from papers.pages import PAPER_PAGE, paper_page, refresh_paper_pages, with_page
from papers.services import set_reviews_hidden
from papers.videos import approve_videos, reject_videos
from reviews.workflow.publishing import unpublish_post
from tests.factories import (
    AuthorFactory,
    AuthorshipFactory,
    EntryFactory,
    PaperFactory,
    PaperLinkFactory,
    PaperVideoFactory,
    PeerReviewExcerptFactory,
    PostFactory,
)

pytestmark = pytest.mark.django_db


def stored(paper) -> str:
    return Paper.objects.values_list("page_html", flat=True).get(pk=paper.pk)


def live(paper) -> str:
    return PAPER_PAGE.render(PAPER_PAGE.load(Paper.objects.filter(pk=paper.pk)).get())


def reader_page(client, paper) -> str:
    return client.get(paper.get_absolute_url()).content.decode()


@pytest.fixture
def paper():
    paper = PaperFactory(title="Long-range genomes", tldr="Reads far.", listed=True)
    paper.topics.set(["genomics"])
    AuthorshipFactory(paper=paper, author=AuthorFactory(name="Ada Lovelace"), order=0)
    PeerReviewExcerptFactory(
        paper=paper, note_id="r1", reviewer_label="Reviewer ab3X", field="summary",
        text="Clear and careful.", rating=6, order=10,
    )  # fmt: skip
    PeerReviewExcerptFactory(
        paper=paper, note_id="r1", reviewer_label="Reviewer ab3X", field="questions",
        text="Why only one genome?", order=11,
    )  # fmt: skip
    PeerReviewExcerptFactory(
        paper=paper, note_id="r2", reviewer_label="Reviewer zP01", field="summary",
        text="Lacks baselines.", rating=4, order=20,
    )  # fmt: skip
    return paper


def test_a_saved_paper_stores_the_page_readers_get(client, paper):
    page = stored(paper)
    assert page == live(paper)
    assert "<h1>Long-range genomes</h1>" in page
    assert '<meta name="citation_title" content="Long-range genomes">' in page
    assert '<a href="/tags/genomics/">genomics</a>' in page
    html = reader_page(client, paper)
    head, body = page.split("<!-- paper page body -->")
    assert head.strip() in html
    assert body.strip() in html


def test_no_static_address_is_stored(paper):
    assert "/static/" not in stored(paper)


def test_hiding_a_field_or_a_whole_review_changes_the_stored_page(paper, curator):
    question = paper.review_excerpts.get(field="questions")
    question.hidden = True
    question.save()
    assert "Why only one genome?" not in stored(paper)
    set_reviews_hidden(excerpts=paper.review_excerpts.filter(note_id="r2"), hidden=True, by=curator)
    page = stored(paper)
    assert "Lacks baselines." not in page
    assert "Reviewer zP01" not in page
    assert "<dt>Reviews</dt><dd>1</dd>" in page
    assert page == live(paper)


def test_pinning_an_excerpt_puts_it_on_the_stored_page(paper):
    excerpt = paper.review_excerpts.get(note_id="r1", field="summary")
    excerpt.featured = True
    excerpt.save()
    assert '<div class="pinned-excerpts">' in stored(paper)
    assert '"reviewBody": "Clear and careful."' in stored(paper)


def test_approving_and_rejecting_a_video_changes_the_stored_page(paper, curator):
    PaperVideoFactory(paper=paper, title="Waiting talk", state=PaperVideo.State.WAITING)
    assert "Waiting talk" not in stored(paper)
    videos = PaperVideo.objects.filter(paper=paper)
    approve_videos(videos=videos, by=curator)
    assert "Waiting talk" in stored(paper)
    reject_videos(videos=videos, by=curator)
    assert "Waiting talk" not in stored(paper)
    assert stored(paper) == live(paper)


def test_merging_and_renaming_authors_changes_the_stored_page(paper):
    duplicate = paper.authorships.get().author
    kept = AuthorFactory(name="Augusta Ada King")
    merge_authors(keep=kept, others=[duplicate], by=None)
    assert f'<a href="/authors/{kept.slug}/">Augusta Ada King</a>' in stored(paper)
    assert "Ada Lovelace" not in stored(paper)
    kept.name = "Ada King"
    kept.save()
    assert f'<a href="/authors/{kept.slug}/">Ada King</a>' in stored(paper)


def test_links_topics_and_conference_edits_change_the_stored_page(paper):
    PaperLinkFactory(paper=paper, kind="code", url="https://example.org/code", title="Code")
    assert '<a href="https://example.org/code">Code</a>' in stored(paper)
    paper.topics.add("proteins")
    assert '<a href="/tags/proteins/">proteins</a>' in stored(paper)
    paper.conference.short_name = "GenomeConf"
    paper.conference.save()
    assert "GenomeConf" in stored(paper)
    assert stored(paper) == live(paper)


def test_a_save_of_what_the_page_does_not_show_leaves_it_alone(paper):
    Paper.objects.filter(pk=paper.pk).update(page_html="<p>kept</p>")
    paper.bibtex = "@article{x}"
    paper.save(update_fields=["bibtex"])
    assert stored(paper) == "<p>kept</p>"


def test_a_paper_written_around_the_signals_is_shown_live_not_empty(client):
    (paper,) = Paper.objects.bulk_create([Paper(title="Bulk made", slug="bulk-made", listed=True)])
    assert stored(paper) == ""
    assert "<h1>Bulk made</h1>" in reader_page(client, paper)
    assert paper_page(with_page(Paper.objects.all()).get()).body.count("<h1>Bulk made</h1>") == 1


def test_a_restored_backup_and_the_command_render_every_page_again(paper):
    Paper.objects.filter(pk=paper.pk).update(page_html="", title="Restored title")
    apps.get_app_config("papers").after_restore()
    assert "<h1>Restored title</h1>" in stored(paper)
    Paper.objects.update(page_html="")
    out = StringIO()
    call_command("refresh_paper_pages", stdout=out)
    assert out.getvalue() == "Refreshed 1 of 1 paper pages.\n"
    assert refresh_paper_pages(paper_ids=[paper.pk]) == []


def test_a_draft_featuring_the_paper_is_never_on_its_page(client, paper):
    EntryFactory(paper=paper, section__post__title="Secret draft post")
    assert "Secret draft post" not in stored(paper)
    html = reader_page(client, paper)
    assert "Secret draft post" not in html
    assert "Not featured in a review yet." in html


def test_unpublishing_the_featuring_post_takes_it_off_the_page(client, paper, curator):
    post = PostFactory(published=True, title="Public review post")
    EntryFactory(paper=paper, section__post=post)
    assert "Public review post</a>" in reader_page(client, paper)
    unpublish_post(post=post, by=curator)
    html = reader_page(client, paper)
    assert "Public review post" not in html
    assert "Public review post" not in stored(paper)


def test_a_paper_only_a_draft_features_has_no_public_page(client):
    paper = PaperFactory(title="Secret draft paper", listed=False)
    EntryFactory(paper=paper)
    assert "Secret draft paper" in stored(paper)  # stored, shown to no reader
    assert client.get(paper.get_absolute_url()).status_code == 404


def test_topics_are_stored_by_name_in_the_page_and_its_json_ld_whatever_their_order(paper):
    paper.topics.set(["zoology", "Alignment", "genomics"])
    page = stored(paper)
    positions = [page.index(f">{name}</a>") for name in ("Alignment", "genomics", "zoology")]
    assert positions == sorted(positions)
    assert '"keywords": ["Alignment", "genomics", "zoology"]' in page
    assert page == live(paper)
