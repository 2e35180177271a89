"""Walk every public URL pattern with drafts present: no trace of them anywhere."""

import io

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from papers.models import Paper, PaperVideo
from papers.videos import approve_videos, suggest_video
from reviews.media.renditions import rendition_names
from reviews.models import Entry, GalleryImage, PartAutosave, Post
from reviews.workflow.roles import CURATORS
from search.query import search
from tests.conftest import with_unpublished_changes
from tests.factories import (
    AuthorFactory,
    AuthorshipFactory,
    ConferenceFactory,
    EntryFactory,
    GalleryImageFactory,
    KeynoteFactory,
    PaperFactory,
    PeerReviewExcerptFactory,
    PostFactory,
    SectionFactory,
    staff_member,
)
from tests.imagefiles import png_upload

pytestmark = pytest.mark.django_db

NOT_PUBLIC = ("admin/", "media/", "static/")


def url_patterns(patterns=None, namespace=None):
    """(qualified name, pattern) for every named route outside the admin."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if str(pattern.pattern).startswith(NOT_PUBLIC):
            continue
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or namespace
            yield from url_patterns(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            assert pattern.name, f"unnamed public route {pattern.pattern}"
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), pattern


@pytest.fixture
def draft_only(media_root):
    """A draft with its own conference, paper, keynote, uploaded cover and uploaded slide."""
    conference = ConferenceFactory(short_name="Zebraconf", listed=False)
    post = PostFactory(
        conference=conference,
        title="Zebra owned draft",
        slug="zebra-owned-draft",
        cover_image=png_upload("zebra-cover.png"),
    )
    paper = PaperFactory(conference=conference, title="Zebra stripes as camouflage", listed=False)
    paper.topics.set(["zebra-topic"])
    AuthorshipFactory(paper=paper, author=AuthorFactory(name="Zebedee Zebrowski"))
    PeerReviewExcerptFactory(paper=paper, text="Zebra excerpt, quoted.", featured=True)
    keynote = KeynoteFactory(
        conference=conference, title="Zebra keynote", speaker="Zelda Zebra", listed=False
    )
    section = SectionFactory(post=post, order=0)
    entry = EntryFactory(section=section, order=0, paper=paper)
    EntryFactory(section=section, order=1, kind=Entry.Kind.KEYNOTE, paper=None, keynote=keynote)
    slide = GalleryImageFactory(entry=entry, image=png_upload("zebra-slide.png"), external_url="")
    call_command("rebuild_search_index", stdout=io.StringIO())
    post.refresh_from_db()
    slide.refresh_from_db()
    return {"post": post, "paper": paper, "keynote": keynote, "slide": slide}


def upload_names(draft_only):
    """The stored files of the draft: cover and slide, with every rendition of each."""
    post, slide = draft_only["post"], draft_only["slide"]
    names = [post.cover_image.name, slide.image.name]
    names += rendition_names(post.cover_renditions) + rendition_names(slide.renditions)
    assert len(names) > 2, "the uploads have renditions"
    return names


@pytest.fixture
def public_site(post_builder, hidden_posts, draft_only):
    post = post_builder(entries=2, title="Visible review", slug="visible-review")
    # The draft features a paper that a public post also features.
    shared = hidden_posts[0].sections.get().entries.get()
    shared.pk = None
    shared.section = post.sections.get()
    shared.order = 99
    shared.save()
    with_unpublished_changes(post)
    # Unsaved edits kept by autosave on the public post's own section and entry pages.
    keeper = staff_member("autosaver", CURATORS)
    section = post.sections.get()
    PartAutosave.objects.create(
        section=section, user=keeper, form_data=[["title", "Zebra kept title"]], part_version=1
    )
    PartAutosave.objects.create(
        entry=section.entries.first(),
        user=keeper,
        form_data=[["summary", "Zebra kept summary"], ["images-0-alt_text", "Zebra kept alt"]],
        part_version=1,
    )
    call_command("rebuild_search_index", stdout=io.StringIO())
    return post


def arguments_for(name, post):
    """URL kwargs that point at public objects; a new route must be added here."""
    paper = post.sections.get().entries.exclude(paper=None).order_by("order").last().paper
    keynote = public_keynote(post)
    slugs = {
        "reviews:post-detail": post.slug,
        "reviews:post-markdown": post.slug,
        "reviews:post-bibtex": post.slug,
        "papers:paper-bibtex": paper.slug,
        "papers:paper-ris": paper.slug,
        "papers:paper-csl-json": paper.slug,
        "papers:conference-bibtex": post.conference.slug,
        "reviews:tag-detail": "conference-review",
        "reviews:tag-feed-rss": "conference-review",
        "reviews:tag-feed-atom": "conference-review",
        "reviews:conference-feed-rss": post.conference.slug,
        "reviews:conference-feed-atom": post.conference.slug,
        "papers:conference-detail": post.conference.slug,
        "papers:paper-detail": paper.slug,
        "papers:paper-suggest-video": paper.slug,
        "api:post-detail": post.slug,
        "api:paper-detail": paper.slug,
        "api:conference-detail": post.conference.slug,
        "papers:author-detail": paper.authorships.first().author.slug,
        "api:author-detail": paper.authorships.first().author.slug,
    }
    pks = {
        "reviews:keynote-detail": {"pk": keynote.pk},
        "reviews:keynote-suggest-video": {"pk": keynote.pk},
        "api:keynote-detail": {"keynote_id": keynote.pk},
    }
    assert name in slugs or name in pks, (
        f"{name} is not covered by the drafts test: add it to arguments_for"
    )
    return pks[name] if name in pks else {"slug": slugs[name]}


def public_keynote(post):
    """The public post's keynote, made on first use (with a waiting video suggestion)."""
    section = post.sections.get()
    entry = section.entries.filter(kind=Entry.Kind.KEYNOTE).first()
    if entry is None:
        keynote = KeynoteFactory(conference=post.conference, title="Visible keynote", listed=False)
        entry = EntryFactory(
            section=section, order=100, kind=Entry.Kind.KEYNOTE, paper=None, keynote=keynote
        )
    return entry.keynote


@pytest.fixture
def waiting_suggestions(public_site):
    """Videos readers suggested for the public paper and keynote, not yet approved."""
    paper = public_site.sections.get().entries.exclude(paper=None).order_by("order").last().paper
    suggest_video(
        target=paper,
        url="https://www.youtube.com/watch?v=zebrazebra1",
        title="Zebra suggested talk",
        suggested_by="Zebra fan",
        address="198.51.100.1",
    )
    suggest_video(
        target=public_keynote(public_site),
        url="https://vimeo.com/9999999",
        title="Zebra keynote recording",
        address="198.51.100.1",
    )
    call_command("rebuild_search_index", stdout=io.StringIO())
    return public_site


def test_every_public_url_shows_no_trace_of_drafts_or_scheduled_posts(
    client, public_site, waiting_suggestions
):
    """Nor of video suggestions waiting for a curator (titles, names, addresses: "zebra")."""
    visited = []
    for name, pattern in url_patterns():
        kwargs = arguments_for(name, public_site) if pattern.pattern.converters else {}
        url = reverse(name, kwargs=kwargs)
        response = client.get(url)
        assert response.status_code == 200, url
        body = b"".join(response) if response.streaming else response.content
        assert b"zebra" not in body.lower(), f"{url} shows a draft"
        visited.append(url)
    assert len(visited) >= 16
    assert "/papers/" in visited and "/sitemap.xml" in visited and "/feed/atom/" in visited


def test_a_paper_featured_by_a_draft_and_a_public_post_lists_only_the_public_one(
    client, public_site
):
    paper = Paper.objects.get(entries__section__post=public_site, entries__order=99)
    response = client.get(paper.get_absolute_url())
    assert [post.slug for post in response.context["featured_in"]] == ["visible-review"]


@pytest.mark.parametrize(
    "url",
    [
        "/posts/zebra-draft-review/",
        "/posts/zebra-scheduled-review/",
        "/tags/zebra-draft-tag/",
        "/tags/zebra-scheduled-tag/",
        "/tags/zebra-draft-tag/feed/",
        "/tags/zebra-draft-tag/feed/atom/",
        "/posts/visible-review-changes/",
        "/posts/visible-review-changes.md",
        "/posts/visible-review-changes.bib",
        "/tags/zebra-copy-tag/",
    ],
)
def test_draft_pages_and_draft_only_tags_are_not_found(client, public_site, url):
    response = client.get(url)
    assert response.status_code == 404
    assert b"zebra" not in response.content.lower()


def test_tag_counts_ignore_drafts(client, public_site):
    response = client.get("/tags/")
    counts = {tag.name: (tag.post_count, tag.paper_count) for tag in response.context["tags"]}
    assert counts["conference review"] == (1, 0)
    assert "zebra-draft-tag" not in counts


def test_staff_preview_a_draft_with_a_banner_and_no_caching(curator_client, public_site):
    response = curator_client.get("/posts/zebra-draft-review/")
    assert response.status_code == 200
    assert b'<p class="draft-banner" role="status">Draft: only staff' in response.content
    assert "no-cache" in response["Cache-Control"]
    assert b'<meta name="robots" content="noindex">' in response.content


def test_public_posts_carry_no_draft_banner_and_may_be_cached(client, public_site):
    response = client.get("/posts/visible-review/")
    assert b"draft-banner" not in response.content
    assert not response.has_header("Cache-Control")


@pytest.mark.parametrize(
    "url",
    [
        "/papers/zebra-stripes-as-camouflage/",
        "/papers/zebra-stripes-as-camouflage.bib",
        "/papers/zebra-stripes-as-camouflage.ris",
        "/papers/zebra-stripes-as-camouflage.csl.json",
        "/conferences/zebraconf-2023/",
        "/conferences/zebraconf-2023.bib",
        "/conferences/zebraconf-2023/feed/",
        "/conferences/zebraconf-2023/feed/atom/",
        "/tags/zebra-topic/",
        "/tags/zebra-topic/feed/",
        "/posts/zebra-owned-draft.md",
        "/posts/zebra-owned-draft.bib",
        "/authors/zebedee-zebrowski/",
    ],
)
def test_what_only_a_draft_features_is_not_found(client, public_site, url):
    response = client.get(url)
    assert response.status_code == 404
    assert b"zebra" not in response.content.lower()


@pytest.mark.parametrize(
    "query", ["Zebra stripes as camouflage", "Zebrowski", "Zebra excerpt", "Zebra keynote"]
)
def test_search_finds_nothing_that_only_a_draft_features(public_site, query):
    results = search(query=query)
    assert (results.total, [facet.count for facet in results.facets]) == (0, [0, 0, 0, 0, 0])


def test_the_search_page_offers_no_draft_only_conference(client, public_site):
    response = client.get("/search/", {"q": "study"})
    assert response.context["results"].total > 0
    assert "zebraconf-2023" not in [c.slug for c in response.context["conferences"]]
    assert b"zebraconf" not in response.content.lower()


def test_draft_uploads_and_their_renditions_are_not_found_for_readers(
    client, public_site, draft_only
):
    for name in upload_names(draft_only):
        response = client.get(f"/media/{name}")
        assert response.status_code == 404, name


def test_a_curator_gets_draft_uploads_uncached(curator_client, public_site, draft_only):
    for name in upload_names(draft_only):
        response = curator_client.get(f"/media/{name}")
        assert response.status_code == 200, name
        assert response["Content-Type"].startswith("image/"), name
        assert "private" in response["Cache-Control"] and "no-cache" in response["Cache-Control"]
        with default_storage.open(name, "rb") as stored:
            assert b"".join(response.streaming_content) == stored.read(), name


def test_a_contributor_gets_the_uploads_of_their_own_draft_only(
    client, contributor, public_site, draft_only
):
    client.force_login(contributor)
    slide = draft_only["slide"].image.name
    assert client.get(f"/media/{slide}").status_code == 404
    Post.objects.filter(pk=draft_only["post"].pk).update(created_by=contributor)
    response = client.get(f"/media/{slide}")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


def test_uploads_become_public_with_their_post(client, public_site, draft_only):
    post = draft_only["post"]
    post.status = Post.Status.PUBLISHED
    post.save()
    for name in upload_names(draft_only):
        response = client.get(f"/media/{name}")
        b"".join(response.streaming_content)  # closes the file
        assert (response.status_code, response["Cache-Control"]) == (
            200,
            "public, max-age=86400",
        ), name
    assert GalleryImage.objects.filter(entry__section__post=post).count() == 1


@pytest.mark.parametrize("query", ["Zebra suggested talk", "Zebra fan", "zebrazebra1"])
def test_search_finds_no_waiting_video_suggestion(waiting_suggestions, query):
    results = search(query=query)
    assert results.total == 0


def test_a_suggestion_shows_once_approved_so_the_walk_above_could_see_one(
    client, waiting_suggestions, curator
):
    video = PaperVideo.objects.get(title="Zebra suggested talk")
    approve_videos(videos=PaperVideo.objects.filter(pk=video.pk), by=curator)
    assert b"Zebra suggested talk" in client.get(video.paper.get_absolute_url()).content
    assert b"Zebra suggested talk" in client.get(f"/api/v1/papers/{video.paper.slug}/").content
