import io
import re

import pytest
from django.core.management import call_command
from django.db.models import Count

from papers.models import Author, Paper, PaperLink, PaperVideo, PeerReviewExcerpt
from reviews.demo import load_demo
from reviews.models import Entry, GalleryImage, Keynote, Post

pytestmark = pytest.mark.django_db

NEURIPS = "neurips-2023-health-bio-conference-review"
LINSLEY = "Neural scaling laws for phenotypic drug discovery"


def snapshot():
    """Everything the demo creates, as comparable values (no primary keys)."""
    return {
        "posts": sorted(Post.objects.values_list("slug", "status", "published_at")),
        "entries": Entry.objects.count(),
        "images": sorted(GalleryImage.objects.values_list("alt_text", "image")),
        "papers": sorted(Paper.objects.values_list("title", "decision", "outcome")),
        "authors": Author.objects.count(),
        "links": PaperLink.objects.count(),
        "excerpts": sorted(PeerReviewExcerpt.objects.values_list("reviewer_label", "text")),
        "keynotes": Keynote.objects.count(),
        "covers": sorted(Post.objects.values_list("cover_image", flat=True)),
    }


def test_load_demo_creates_three_published_posts_a_draft_and_a_scheduled_post():
    call_command("load_demo", stdout=io.StringIO())
    assert list(Post.objects.published().values_list("slug", "conference__slug")) == [
        ("iclr-2024-drug-discovery-and-genomics", "iclr-2024"),
        (NEURIPS, "neurips-2023"),
        ("icml-2022-molecules-and-proteins", "icml-2022"),
    ]
    draft = Post.objects.get(slug="icml-2022-workshop-notes")
    scheduled = Post.objects.get(slug="neurips-2023-benchmarks-roundup")
    assert (draft.status, draft.published_at, draft.is_public) == ("draft", None, False)
    assert (scheduled.status, scheduled.is_public) == ("published", False)


def test_neurips_post_keeps_two_keynotes_twelve_papers_and_56_uploaded_slides():
    load_demo()
    post = Post.objects.get(slug=NEURIPS)
    assert [s.title for s in post.sections.all()] == ["Keynotes", "Selected papers"]
    entries = Entry.objects.filter(section__post=post)
    assert entries.filter(kind=Entry.Kind.KEYNOTE).count() == 2
    assert entries.filter(kind=Entry.Kind.PAPER).count() == 12
    images = GalleryImage.objects.filter(entry__section__post=post)
    assert images.count() == 56
    assert images.filter(external_url="").count() == 56
    assert images.exclude(renditions={}).count() == 56
    assert sorted(post.tags.names()) == ["biology", "conference review", "health"]
    assert post.cover_image.name.startswith("covers/")
    assert [f["width"] for f in post.cover_renditions["files"]] == [400, 400, 1280]


def test_load_demo_twice_gives_the_same_content_and_keeps_the_files():
    call_command("load_demo", stdout=io.StringIO())
    first = snapshot()
    call_command("load_demo", stdout=io.StringIO())
    assert snapshot() == first
    assert GalleryImage.objects.count() == 56 + 9 + 9 + 2 + 2


def test_no_demo_image_points_off_the_machine():
    load_demo()
    assert GalleryImage.objects.exclude(external_url="").count() == 0
    assert Post.objects.exclude(cover_image_url="").count() == 0
    assert Post.objects.filter(cover_image="").count() == 0


def test_demo_slides_have_descriptive_alt_text():
    load_demo()
    assert not GalleryImage.objects.filter(alt_text="").exists()
    first = GalleryImage.objects.filter(entry__section__post__slug=NEURIPS).order_by(
        "entry__section__order", "entry__order", "order"
    )[0]
    assert first.alt_text == (
        "Slide 1 of 4: Delusion of Scaling and Democratization of Generative Models - Björn Ommer"
    )


def test_every_demo_paper_has_authors_tldr_findings_abstract_topics_and_featured_reviews():
    load_demo()
    papers = Paper.objects.annotate(
        n_authors=Count("authorships", distinct=True),
        n_featured=Count("review_excerpts", distinct=True),
    )
    assert papers.count() == 18
    assert [p.title for p in papers if p.n_authors < 2 or p.n_featured < 1] == []
    assert [p.title for p in papers if not (p.tldr and p.findings and p.abstract)] == []
    assert PeerReviewExcerpt.objects.filter(featured=False).count() == 0
    assert PeerReviewExcerpt.objects.filter(source_kind="meta_review").count() == 2
    video = PaperVideo.objects.approved().get()
    assert video.paper.title.startswith("HyenaDNA")


def test_linsley_paper_has_the_example_facts_and_is_featured_in_the_iclr_post():
    load_demo()
    paper = Paper.objects.get(title=LINSLEY)
    assert [a.author.name for a in paper.authorships.all()] == [
        "Drew Linsley",
        "John Griffin",
        "Jason Parker Brown",
        "Adam N Roose",
        "Michael Frank",
        "Peter Linsley",
        "Steven Finkbeiner",
        "Jeremy Linsley",
    ]
    assert (paper.decision, paper.outcome) == (
        "ICLR 2024 Conference Withdrawn Submission",
        "withdrawn",
    )
    assert sorted(paper.topics.names()) == [
        "Computational Drug Discovery Methods",
        "Genetics, Bioinformatics, and Biomedical Research",
        "Machine Learning in Materials Science",
    ]
    assert list(paper.review_excerpts.values_list("reviewer_label", "field")) == [
        ("Reviewer 1", "strengths"),
        ("Reviewer 1", "weaknesses"),
        ("Reviewer 2", "strengths"),
        ("Reviewer 2", "weaknesses"),
        ("Reviewer 3", "strengths"),
        ("Reviewer 3", "weaknesses"),
    ]
    first_entry = Entry.objects.filter(section__post__slug__startswith="iclr-2024").first()
    assert first_entry.paper == paper


def test_demo_post_page_serves_56_slides_and_the_cover_from_local_uploads_with_srcset(client):
    load_demo()
    content = client.get(f"/posts/{NEURIPS}/").content.decode()
    slides = re.findall(r'<img src="(/media/gallery/[^"]+)" srcset="([^"]+)"', content)
    assert len(slides) == 56
    assert all("/media/renditions/" in srcset for _, srcset in slides)
    cover = re.findall(r'<img class="post-cover" src="(/media/covers/[^"]+)" srcset="', content)
    assert len(cover) == 1
    sources = re.findall(r'(?:src|srcset|data-full)="([^"]*)"', content)
    assert [s for s in sources if "://" in s] == []
    assert "schwabpatrick.com/img" not in content


def test_demo_paper_page_shows_its_peer_review_excerpts(client):
    load_demo()
    paper = Paper.objects.get(title=LINSLEY)
    content = client.get(paper.get_absolute_url()).content.decode()
    assert (
        '<strong class="outcome outcome-withdrawn">Withdrawn</strong> · '
        "ICLR 2024 Conference Withdrawn Submission"
    ) in content
    assert "<dt>Reviews</dt><dd>3</dd>" in content
    assert content.count('<figure class="review-excerpt">') == 6
    assert content.count('<article class="review-card review-official"') == 3
    assert "An early look at an important dataset" in content
