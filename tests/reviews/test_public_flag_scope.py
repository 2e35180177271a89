"""Writes refresh only the public flags they touch, and get the ones the whole-site refresh gets.

`public_flag_drift()` runs the whole-site refresh (rolled back): an empty drift after a write
means the scoped refresh that write ran stored exactly what the whole-site one would.
"""

import datetime
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from papers.models import Author, Authorship, Paper
from reviews.markdown.importer import MarkdownSource, import_post
from reviews.models import Entry, Post, PublicTopic, Section
from reviews.visibility import public_flag_drift, refresh_public_flags
from reviews.workflow.publishing import publish_post, unpublish_post
from tests.factories import (
    AuthorFactory,
    AuthorshipFactory,
    ConferenceFactory,
    EntryFactory,
    KeynoteFactory,
    PaperFactory,
    PostFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db


def flags(*rows):
    return [type(row).objects.get(pk=row.pk).public_from for row in rows]


def review(*papers: str, name="2023-12-20-review.md", keynotes=()) -> MarkdownSource:
    lines = ["---", "title: NeurIPS 2023 in review", "tags:", "- review", "---", "", "Intro."]
    if keynotes:
        lines += ["", "<h3>Keynotes</h3>", ""]
        lines += [line for talk in keynotes for line in (f"<h4>{talk}</h4>", "", "A talk.", "")]
    lines += ["", "<h3>Selected papers</h3>", ""]
    for title in papers:
        lines += [f"<h4>{title}</h4>", "", f"Why {title} matters.", ""]
    return MarkdownSource(name, "\n".join(lines).encode())


@pytest.fixture
def published_review(curator):
    """An imported, published review of two papers; the second has an author and a topic."""
    import_post(source=review("Graph Nets", "Sparse Codes"))
    sparse = Paper.objects.get(title="Sparse Codes")
    AuthorshipFactory(paper=sparse, author=AuthorFactory(name="Only Here"))
    sparse.topics.add("sparsity")
    return publish_post(post=Post.objects.get(slug="review"), by=curator)


def test_a_new_import_stores_the_flags_the_whole_site_refresh_would(published_review):
    papers = Paper.objects.order_by("title")
    assert flags(*papers) == [published_review.published_at] * 2
    assert flags(published_review.conference) == [published_review.published_at]
    assert public_flag_drift() == {}


def test_an_update_dropping_an_entry_hides_what_only_it_made_public(published_review):
    sparse = Paper.objects.get(title="Sparse Codes")
    author = Author.objects.get(name="Only Here")

    import_post(source=review("Graph Nets"), update=True)

    assert flags(sparse, author) == [None, None]
    assert flags(Paper.objects.get(title="Graph Nets")) == [published_review.published_at]
    assert not PublicTopic.objects.filter(tag__name="sparsity").exists()
    assert PublicTopic.objects.filter(tag__name="review").exists()
    assert public_flag_drift() == {}


def test_unpublishing_clears_what_the_post_made_public(published_review, curator):
    unpublish_post(post=published_review, by=curator)

    assert flags(*Paper.objects.all(), published_review.conference) == [None, None, None]
    assert list(PublicTopic.objects.all()) == []
    assert public_flag_drift() == {}


def test_a_paper_shared_by_two_posts_keeps_the_flag_of_the_one_left(published_review, curator):
    sparse = Paper.objects.get(title="Sparse Codes")
    other = PostFactory(published=True, published_at=timezone.now() + datetime.timedelta(hours=1))
    EntryFactory(section=SectionFactory(post=other), paper=sparse)
    assert flags(sparse) == [published_review.published_at]

    unpublish_post(post=published_review, by=curator)

    assert flags(sparse, Author.objects.get(name="Only Here")) == [other.published_at] * 2
    assert flags(Paper.objects.get(title="Graph Nets")) == [None]
    assert public_flag_drift() == {}


def test_a_drafts_import_reads_no_flag_and_leaves_none_stale(published_review):
    graph_nets = Paper.objects.get(title="Graph Nets")
    talk = ["Open Problems - Grace Hopper (Navy)"]
    import_post(source=review("Graph Nets", "New Idea", name="2023-12-21-draft.md", keynotes=talk))

    with CaptureQueriesContext(connection) as queries:
        import_post(
            source=review("New Idea", name="2023-12-21-draft.md", keynotes=talk), update=True
        )

    assert [q["sql"] for q in queries if '"earliest"' in q["sql"]] == []
    assert flags(graph_nets, Paper.objects.get(title="New Idea")) == [
        published_review.published_at,
        None,
    ]
    assert flags(Author.objects.get(name="Grace Hopper")) == [None]
    assert public_flag_drift() == {}


def test_an_entry_switched_to_another_paper_clears_the_one_it_left(published_review):
    entry = Entry.objects.get(paper__title="Sparse Codes")
    sparse, replacement = entry.paper, PaperFactory(listed=False)

    entry.paper = replacement
    entry.save()

    assert flags(sparse, replacement) == [None, published_review.published_at]
    assert public_flag_drift() == {}


def test_a_paper_moved_to_another_conference_clears_the_one_it_left():
    before, after = ConferenceFactory(listed=False), ConferenceFactory(listed=False)
    paper = PaperFactory(conference=before, listed=True)
    assert flags(before) != [None]

    paper.conference = after
    paper.save()

    assert flags(before) == [None]
    assert flags(after) != [None]
    assert public_flag_drift() == {}


def test_an_authorship_given_to_another_author_clears_the_one_it_left(published_review):
    authorship = Authorship.objects.get(author__name="Only Here")
    left, taken = authorship.author, AuthorFactory(name="Now Here")

    authorship.author = taken
    authorship.save(update_fields=["author"])

    assert flags(left, taken) == [None, published_review.published_at]
    assert public_flag_drift() == {}


def test_a_row_loaded_without_its_links_falls_back_to_the_whole_site(published_review):
    entry = Entry.objects.only("pk", "section", "kind", "heading").get(paper__title="Sparse Codes")
    sparse = Paper.objects.get(title="Sparse Codes")

    entry.paper, entry.kind, entry.heading = None, Entry.Kind.FREE, "A note"
    entry.save()

    assert flags(sparse) == [None]
    assert public_flag_drift() == {}


def test_a_scoped_refresh_leaves_records_outside_its_scope_alone(published_review):
    graph_nets = Paper.objects.get(title="Graph Nets")
    Paper.objects.filter(pk=graph_nets.pk).update(public_from=None)
    sparse = Paper.objects.get(title="Sparse Codes")

    changed = refresh_public_flags(papers=[sparse.pk])

    assert changed["papers.Paper"] == []
    assert flags(graph_nets) == [None]
    assert public_flag_drift() == {"papers.Paper": [graph_nets.pk]}
    assert refresh_public_flags(papers=[graph_nets.pk])["papers.Paper"] == [graph_nets.pk]
    assert public_flag_drift() == {}


def world(rng):
    """Posts of every status over a shared pool of listed and unlisted records."""
    now = timezone.now()
    conferences = [ConferenceFactory(listed=rng.random() < 0.2) for _ in range(3)]
    authors = [AuthorFactory(name=f"Person {n}") for n in range(6)]
    papers = []
    for _ in range(8):
        paper = PaperFactory(conference=rng.choice(conferences), listed=rng.random() < 0.15)
        AuthorshipFactory(paper=paper, author=rng.choice(authors))
        paper.topics.add(rng.choice(["graphs", "vision", "speech"]))
        papers.append(paper)
    keynotes = [
        KeynoteFactory(conference=rng.choice(conferences), speaker=rng.choice(authors).name)
        for _ in range(3)
    ]
    for _ in range(6):
        status = rng.choice(list(Post.Status))
        post = PostFactory(
            conference=rng.choice(conferences),
            status=status,
            published_at=None
            if status == Post.Status.DRAFT
            else now + datetime.timedelta(hours=rng.randint(-48, 48)),
        )
        post.tags.add(rng.choice(["reviews", "graphs"]))
        section = SectionFactory(post=post)
        for paper in rng.sample(papers, 2):
            EntryFactory(section=section, paper=paper)
        EntryFactory(
            section=section, kind=Entry.Kind.KEYNOTE, paper=None, keynote=rng.choice(keynotes)
        )
    return conferences, authors, papers


def change_something(rng, conferences, authors, papers):
    """One random write of the kinds that move flags, through the ORM's signals."""
    action = rng.choice(["status", "entry", "section", "conference", "listed", "author", "drop"])
    post = rng.choice(list(Post.objects.all()) or [PostFactory(published=True)])
    if action == "status":
        published = post.status != Post.Status.PUBLISHED
        post.status = Post.Status.PUBLISHED if published else Post.Status.DRAFT
        post.published_at = post.published_at or timezone.now()
        post.save()
    elif action == "entry" and (entries := list(Entry.objects.filter(paper__isnull=False))):
        entry = rng.choice(entries)
        entry.paper = rng.choice(papers)
        entry.save()
    elif action == "section":
        section = rng.choice(list(Section.objects.all()))
        section.post = post
        section.save()
    elif action == "conference":
        post.conference = rng.choice(conferences)
        post.save()
        paper = rng.choice(papers)
        paper.conference = rng.choice(conferences)
        paper.save()
    elif action == "listed":
        paper = rng.choice(papers)
        paper.listed = not paper.listed
        paper.save()
    elif action == "author":
        authorship = rng.choice(list(Authorship.objects.all()))
        authorship.author = rng.choice(authors)
        authorship.save()
    elif action == "drop":
        post.delete()


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_random_writes_leave_the_flags_the_whole_site_refresh_gives(seed):
    rng = random.Random(seed)
    records = world(rng)
    assert public_flag_drift() == {}
    for _ in range(12):
        change_something(rng, *records)
        assert public_flag_drift() == {}
