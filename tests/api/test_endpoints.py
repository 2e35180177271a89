"""Each endpoint's shape on fixture data: exact values, absolute links to the public pages."""

import datetime

import pytest

from papers.models import Paper, PaperLink, PaperVideo, PeerReviewExcerpt
from reviews.models import Entry
from tests.api.conftest import SITE
from tests.conftest import build_post
from tests.factories import (
    ConferenceFactory,
    EntryFactory,
    KeynoteFactory,
    KeynoteVideoFactory,
    PaperFactory,
    PaperLinkFactory,
    PaperVideoFactory,
    PeerReviewExcerptFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db


def paper_of_post(post):
    return Paper.objects.get(entries__section__post=post)


@pytest.fixture
def post():
    conference = ConferenceFactory(short_name="Neurips", year=2023, slug="neurips-2023")
    return build_post(
        entries=1,
        conference=conference,
        slug="neurips-review",
        title="Review",
        published_at=datetime.datetime(2024, 1, 15, 12, 0, tzinfo=datetime.UTC),
    )


def test_post_list_gives_summaries_with_public_links(api_get, post):
    response, body = api_get("/posts/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert body["count"] == 1
    assert (body["next"], body["previous"]) == (None, None)
    summary = body["results"][0]
    assert summary["slug"] == "neurips-review"
    assert summary["conference"] == {
        "slug": "neurips-2023",
        "short_name": "Neurips",
        "year": 2023,
        "url": f"{SITE}/conferences/neurips-2023/",
    }
    assert summary["tags"] == ["conference-review"]
    assert summary["url"] == f"{SITE}/posts/neurips-review/"
    assert summary["markdown_url"] == f"{SITE}/posts/neurips-review.md"
    assert summary["bibtex_url"] == f"{SITE}/posts/neurips-review.bib"
    assert summary["published_at"] == "2024-01-15T12:00:00Z"


@pytest.mark.parametrize(
    ("query", "count"),
    [
        ("conference=neurips-2023", 1),
        ("conference=other-2023", 0),
        ("tag=conference-review", 1),
        ("tag=Conference-Review", 1),
        ("tag=genomics", 0),
        ("year=2023", 1),
        ("year=2024", 0),
    ],
)
def test_post_list_filters(api_get, post, query, count):
    build_post(entries=0, conference=ConferenceFactory(year=2022), tags=("other",))

    _, body = api_get(f"/posts/?{query}")

    assert body["count"] == count


def test_post_detail_has_sections_entries_and_images_with_renditions(api_get, post):
    image = post.sections.get().entries.get().images.first()
    renditions = {
        "source": "gallery/2024/01/slide.png",
        "type": "image/png",
        "width": 2000,
        "height": 1000,
        "files": [
            {"name": "renditions/slide-1600.webp", "width": 1600, "type": "image/webp"},
            {"name": "renditions/slide-400.png", "width": 400, "type": "image/png"},
        ],
    }
    type(image).objects.filter(pk=image.pk).update(renditions=renditions)
    keynote = KeynoteFactory(conference=post.conference, title="Opening", speaker="Grace")
    section = SectionFactory(post=post, order=1, title="Keynotes")
    EntryFactory(section=section, order=0, kind=Entry.Kind.KEYNOTE, keynote=keynote, paper=None)

    response, body = api_get("/posts/neurips-review/")

    assert response.status_code == 200
    assert [s["title"] for s in body["sections"]] == ["Selected papers", "Keynotes"]
    entry = body["sections"][0]["entries"][0]
    paper = post.sections.get(order=0).entries.get().paper
    assert entry["kind"] == "paper"
    assert entry["heading"] == paper.title
    assert entry["paper"] == {
        "slug": paper.slug,
        "title": paper.title,
        "url": f"{SITE}/papers/{paper.slug}/",
    }
    assert entry["images"][0] == {
        "url": image.external_url,
        "alt_text": image.alt_text,
        "caption": "",
        "width": 2000,
        "height": 1000,
        "renditions": [
            {"url": f"{SITE}/media/renditions/slide-400.png", "width": 400, "type": "image/png"},
            {
                "url": f"{SITE}/media/renditions/slide-1600.webp",
                "width": 1600,
                "type": "image/webp",
            },
        ],
    }
    assert entry["images"][1]["renditions"] == []
    talk = body["sections"][1]["entries"][0]
    assert talk["keynote"] == {"id": keynote.pk, "title": "Opening", "speaker": "Grace"}
    assert talk["heading"] == "Opening - Grace"


def test_paper_detail_has_authors_reviews_links_and_videos(api_get, post):
    paper = Paper.objects.get(entries__section__post=post)
    PaperLinkFactory(paper=paper, kind=PaperLink.Kind.CODE, url="https://github.com/x/y", order=0)
    PaperVideoFactory(paper=paper, url="https://video.example/1", title="Talk")
    PaperVideoFactory(paper=paper, state=PaperVideo.State.WAITING, title="Not approved yet")
    PeerReviewExcerptFactory(
        paper=paper, reviewer_label="Reviewer ab3X", rating=6, featured=True, field="strengths"
    )
    PeerReviewExcerptFactory(paper=paper, reviewer_label="Reviewer cd4Y", rating=8)
    PeerReviewExcerptFactory(
        paper=paper,
        source_kind=PeerReviewExcerpt.SourceKind.META_REVIEW,
        reviewer_label="",
        featured=True,
        rating=None,
    )

    response, body = api_get(f"/papers/{paper.slug}/")

    assert response.status_code == 200
    assert [(a["name"], a["affiliation"]) for a in body["authors"]] == [
        (a.author.name, "Example University") for a in paper.authorships.order_by("order")
    ]
    assert body["topics"] == ["genomics", "topic-0"]
    assert body["links"] == [{"kind": "code", "url": "https://github.com/x/y", "title": ""}]
    assert body["videos"] == [
        {
            "url": "https://video.example/1",
            "title": "Talk",
            "host": "",
            "embed_url": "",
            "thumbnail_url": "",
            "suggested_by": "",
        }
    ]
    assert body["bibtex_url"] == f"{SITE}/papers/{paper.slug}.bib"
    assert body["ris_url"] == f"{SITE}/papers/{paper.slug}.ris"
    assert body["csl_json_url"] == f"{SITE}/papers/{paper.slug}.csl.json"
    reviews = body["reviews"]
    assert (reviews["review_count"], reviews["mean_rating"], reviews["rating_scale"]) == (
        2,
        "7.0",
        10,
    )
    assert [e["attribution"] for e in reviews["excerpts"]] == [
        "Reviewer ab3X, rating 6/10",
        "Meta-review",
    ]
    assert reviews["excerpts"][0]["field"] == "strengths"


@pytest.mark.parametrize(
    ("query", "count"),
    [
        ("conference=neurips-2023", 1),
        ("year=2023", 1),
        ("year=2020", 0),
        ("topic=genomics", 1),
        ("topic=topic-3", 0),
        ("decision=Accept%20(poster)", 1),
        ("outcome=accepted", 1),
        ("outcome=rejected", 0),
    ],
)
def test_paper_list_filters(api_get, post, query, count):
    Paper.objects.update(decision="Accept (poster)", outcome=Paper.Outcome.ACCEPTED)

    _, body = api_get(f"/papers/?{query}")

    assert body["count"] == count


def test_keynote_detail_lists_approved_videos_only(api_get, post):
    keynote = KeynoteFactory(conference=post.conference, title="Opening", speaker="Grace")
    KeynoteVideoFactory(keynote=keynote, url="https://vimeo.com/76979871", title="Recording")
    KeynoteVideoFactory(keynote=keynote, title="Waiting", state="waiting")

    response, body = api_get(f"/keynotes/{keynote.pk}/")
    _, missing = api_get("/keynotes/999999/")

    assert response.status_code == 200
    assert body["videos"] == [
        {
            "url": "https://vimeo.com/76979871",
            "title": "Recording",
            "host": "vimeo",
            "embed_url": "https://player.vimeo.com/video/76979871?dnt=1&autoplay=1",
            "thumbnail_url": "",
            "suggested_by": "",
        }
    ]
    assert missing["status"] == 404


def test_conferences_keynotes_and_tags(api_get, post):
    keynote = KeynoteFactory(conference=post.conference, title="Opening", speaker="Grace")

    _, conferences = api_get("/conferences/")
    _, conference = api_get("/conferences/neurips-2023/")
    _, keynotes = api_get("/keynotes/?conference=neurips-2023")
    _, tags = api_get("/tags/")

    assert [c["slug"] for c in conferences["results"]] == ["neurips-2023"]
    assert conference["bibtex_url"] == f"{SITE}/conferences/neurips-2023.bib"
    assert keynotes["results"] == [
        {
            "id": keynote.pk,
            "title": "Opening",
            "speaker": "Grace",
            "affiliation": "",
            "speakers": [
                {
                    "name": "Grace",
                    "slug": "grace",
                    "openreview_id": "",
                    "orcid": "",
                    "url": f"{SITE}/authors/grace/",
                    "affiliation": "",
                }
            ],
            "summary": "",
            "video_url": "",
            "videos": [],
            "conference": {
                "slug": "neurips-2023",
                "short_name": "Neurips",
                "year": 2023,
                "url": f"{SITE}/conferences/neurips-2023/",
            },
            "url": f"{SITE}/keynotes/{keynote.pk}/",
        }
    ]
    assert [(t["slug"], t["post_count"], t["paper_count"]) for t in tags["results"]] == [
        ("conference-review", 1, 0),
        ("genomics", 0, 1),
        ("topic-0", 0, 1),
    ]


def test_search_gives_results_and_facets(api_get, post):
    response, body = api_get("/search/?q=topic")

    assert response.status_code == 200
    assert {f["key"]: f["count"] for f in body["facets"]} == {
        "paper": 1,
        "post": 0,
        "keynote": 0,
        "entry": 1,
        "review": 0,
    }
    assert body["count"] == 2
    assert body["results"][0]["kind"] == "paper"
    assert body["results"][0]["url"].startswith(f"{SITE}/papers/")
    assert "<mark>" in body["results"][0]["title_html"]


def test_search_filters_and_facets_by_paper_outcome(api_get):
    PaperFactory(title="Colugo oral", outcome=Paper.Outcome.ACCEPTED_ORAL)
    PaperFactory(title="Colugo rejected", outcome=Paper.Outcome.REJECTED)
    _, body = api_get("/search/?q=colugo&outcome=rejected")
    assert [r["title_html"] for r in body["results"]] == ["<mark>Colugo</mark> rejected"]
    assert body["outcomes"] == [
        {"key": "accepted_oral", "label": "Accepted (oral)", "count": 1, "selected": False},
        {"key": "rejected", "label": "Rejected", "count": 1, "selected": True},
    ]
    response, problem = api_get("/search/?q=colugo&outcome=maybe")
    assert response.status_code == 400
    assert "outcome" in str(problem)


def test_search_without_a_query_is_empty(api_get, post):
    _, body = api_get("/search/")

    assert (body["count"], body["results"]) == (0, [])


def test_the_author_list_finds_people_by_part_of_their_name(api_get, post):
    author = paper_of_post(post).authorships.order_by("order").first().author
    author.name = "Ada Lovelace"
    author.save()

    _, everyone = api_get("/authors/")
    response, found = api_get("/authors/?q=LOVE")

    assert response.status_code == 200
    assert author.slug in [a["slug"] for a in everyone["results"]]
    assert [a["slug"] for a in found["results"]] == [author.slug]
    assert found["results"][0]["url"] == f"{SITE}/authors/{author.slug}/"


def test_an_author_carries_what_their_page_shows(api_get, post):
    paper = paper_of_post(post)
    author = paper.authorships.order_by("order").first().author
    paper.authorships.filter(author=author).update(affiliation="Oxford")

    response, body = api_get(f"/authors/{author.slug}/")

    assert response.status_code == 200
    assert body["name"] == author.name
    assert [p["slug"] for p in body["papers"]] == [paper.slug]
    assert body["affiliations"] == [{"name": "Oxford", "years": "2023"}]
    assert [p["slug"] for p in body["posts"]] == ["neurips-review"]
    assert body["coauthors"] == [] or all(c["slug"] != author.slug for c in body["coauthors"])


def test_a_paper_shows_its_reviews_as_cards_like_its_page(api_get, post):
    paper = paper_of_post(post)
    for field, text in [("summary", "It scales."), ("weaknesses", "Small data.")]:
        PeerReviewExcerptFactory(
            paper=paper,
            source_kind=PeerReviewExcerpt.SourceKind.OFFICIAL_REVIEW,
            note_id="note-1",
            reviewer_label="Reviewer ab3X",
            rating=6,
            rating_scale=10,
            rating_label="6: marginally above the acceptance threshold",
            field=field,
            text=text,
        )

    _, body = api_get(f"/papers/{paper.slug}/")

    cards = body["reviews"]["official_reviews"]
    assert [c["label"] for c in cards] == ["Reviewer ab3X"]
    assert cards[0]["rating"] == "6/10"
    assert cards[0]["rating_label"] == "marginally above the acceptance threshold"
    assert [(f["label"], f["text"]) for f in cards[0]["fields"]] == [
        ("Summary", "It scales."),
        ("Weaknesses", "Small data."),
    ]
