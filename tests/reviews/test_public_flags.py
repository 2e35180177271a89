"""Stored public flags: every write that changes what a post makes public moves them."""

import datetime
import random

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from taggit.models import Tag

from core.backup import export_site, import_site
from papers.authors import merge_authors
from papers.models import Author, Authorship, Conference, Paper, TaggedPaper
from reviews.markdown.importer import import_post
from reviews.models import Entry, Keynote, Post, PublicTopic, TaggedPost, published_condition
from reviews.visibility import (
    public_authors,
    public_conferences,
    public_flag_drift,
    public_keynotes,
    public_papers,
    public_topics,
    refresh_public_flags,
)
from reviews.workflow import drafts
from reviews.workflow.editing import save_entry, save_post
from reviews.workflow.publishing import publish_post, unpublish_post
from tests.core.backup.archives import edit_records, empty_the_instance, rewrite
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
from tests.fixtures import POSTS

pytestmark = pytest.mark.django_db

YESTERDAY = datetime.timedelta(days=-1)


def flags(*rows):
    """The stored public_from of each row, read back from the database."""
    return [type(row).objects.get(pk=row.pk).public_from for row in rows]


@pytest.fixture
def draft():
    """A draft reviewing one paper (with one author, one topic) of an unlisted conference."""
    conference = ConferenceFactory(listed=False)
    post = PostFactory(conference=conference)
    paper = PaperFactory(conference=conference, listed=False)
    AuthorshipFactory(paper=paper, author=AuthorFactory(name="Ada Lovelace"))
    paper.topics.add("graphs")
    post.tags.add("reviews")
    EntryFactory(section=SectionFactory(post=post), paper=paper)
    return post


def test_a_draft_makes_nothing_public(draft):
    paper = draft.sections.get().entries.get().paper
    assert flags(paper, paper.conference, paper.authorships.get().author) == [None, None, None]
    assert list(PublicTopic.objects.all()) == []


def test_publishing_stores_the_post_time_on_everything_it_makes_public(draft, curator):
    paper = Paper.objects.get(entries__section__post=draft)
    post = publish_post(post=draft, by=curator)
    author = Author.objects.get(name="Ada Lovelace")
    assert flags(paper, paper.conference, author) == [post.published_at] * 3
    assert dict(PublicTopic.objects.values_list("tag__name", "public_from")) == {
        "graphs": post.published_at,
        "reviews": post.published_at,
    }
    assert (list(public_papers()), list(public_authors())) == ([paper], [author])


def test_unpublishing_clears_the_flags(draft, curator):
    paper = Paper.objects.get(entries__section__post=draft)
    unpublish_post(post=publish_post(post=draft, by=curator), by=curator)
    assert flags(paper, paper.conference, Author.objects.get()) == [None, None, None]
    assert (list(public_papers()), list(public_topics()), list(public_conferences())) == (
        [],
        [],
        [],
    )


def test_a_scheduled_post_makes_its_records_public_when_due_with_no_save(draft, curator):
    due = timezone.now() + datetime.timedelta(days=2)
    paper = Paper.objects.get(entries__section__post=draft)
    publish_post(post=draft, by=curator, at=due)
    assert flags(paper) == [due]
    assert (list(public_papers()), list(public_authors()), list(public_topics())) == ([], [], [])
    with time_machine.travel(due + datetime.timedelta(seconds=1)):
        assert list(public_papers()) == [paper]
        assert list(public_conferences()) == [paper.conference]
        assert list(public_authors()) == [Author.objects.get()]
        assert sorted(t.name for t in public_topics()) == ["graphs", "reviews"]


def test_the_earliest_of_two_posts_wins_and_the_other_takes_over_when_it_goes():
    paper = PaperFactory(listed=False, conference=ConferenceFactory(listed=False))
    earlier = PostFactory(published=True, published_at=timezone.now() - datetime.timedelta(days=9))
    later = PostFactory(published=True)
    for post in (earlier, later):
        EntryFactory(section__post=post, paper=paper)
    assert flags(paper) == [earlier.published_at]
    earlier.delete()
    assert flags(paper) == [later.published_at]


def test_deleting_the_post_clears_the_flags(draft, curator):
    paper = Paper.objects.get(entries__section__post=draft)
    publish_post(post=draft, by=curator).delete()
    assert flags(paper, paper.conference, Author.objects.get()) == [None, None, None]
    assert list(PublicTopic.objects.all()) == []


def test_moving_an_entry_to_a_draft_hides_its_paper_and_refreshes_both_bodies(curator):
    paper = PaperFactory(title="Moving Graphs", listed=False)
    live = PostFactory(published=True)
    entry = EntryFactory(section=SectionFactory(post=live), paper=paper)
    EntryFactory(section=entry.section)
    target = SectionFactory(post=PostFactory())
    assert "Moving Graphs" in Post.objects.get(pk=live.pk).body_html
    entry = Entry.objects.get(pk=entry.pk)
    entry.section = target
    save_entry(entry=entry, by=curator, expected_version=entry.version)
    assert flags(paper) == [None]
    assert "Moving Graphs" not in Post.objects.get(pk=live.pk).body_html
    assert "Moving Graphs" in Post.objects.get(pk=target.post_id).body_html


def test_publishing_a_working_copy_moves_the_flags_to_its_papers(curator, media_root):
    old, new = PaperFactory(listed=False), PaperFactory(listed=False)
    live = PostFactory(published=True)
    EntryFactory(section=SectionFactory(post=live), paper=old)
    copy = drafts.open_working_copy(post=live, by=curator)
    entry = Entry.objects.get(section__post=copy)
    assert flags(old, new) == [live.published_at, None]
    entry.paper = new
    save_entry(entry=entry, by=curator, expected_version=entry.version)
    assert flags(old, new) == [live.published_at, None]
    drafts.publish_changes(copy=copy, by=curator)
    assert flags(old, new) == [None, live.published_at]


def test_a_post_moved_to_another_conference_takes_the_flag_with_it(curator):
    first, second = ConferenceFactory(listed=False), ConferenceFactory(listed=False)
    post = PostFactory(published=True, conference=first)
    post.conference = second
    save_post(post=post, by=curator, expected_version=post.version, changed=["conference"])
    assert flags(first, second) == [None, post.published_at]


def test_an_imported_draft_with_a_date_makes_nothing_public_until_published():
    import_post(source=POSTS / "2024-05-02-iclr-2024-extra-sections.md")
    post = Post.objects.get()
    papers = list(Paper.objects.filter(entries__section__post=post).distinct())
    assert post.published_at is not None
    assert papers
    assert {paper.public_from for paper in papers} == {None}
    assert list(PublicTopic.objects.all()) == []
    post.status = Post.Status.PUBLISHED
    post.save()
    assert set(flags(*papers, post.conference)) == {post.published_at}
    assert public_flag_drift() == {}


def test_a_restore_recomputes_flags_a_backup_carries_wrong(draft, curator, settings, tmp_path):
    post = publish_post(post=draft, by=curator)
    archive = export_site(destination=tmp_path / "site.zip").path
    stale = rewrite(
        archive,
        tmp_path / "stale.zip",
        data=lambda lines: [
            line
            for line in edit_records(
                "papers.paper", lambda r: r["fields"].update(public_from=None)
            )(lines)
            if '"reviews.publictopic"' not in line
        ],
    )
    empty_the_instance(settings, tmp_path)
    import_site(source=stale)
    paper = Paper.objects.get()
    assert flags(paper, paper.conference, Author.objects.get()) == [post.published_at] * 3
    assert PublicTopic.objects.count() == 2
    assert public_flag_drift() == {}


def test_merging_authors_moves_the_flag_to_the_kept_one(curator):
    kept, merged = AuthorFactory(name="A. Lovelace"), AuthorFactory(name="Ada Lovelace")
    paper = PaperFactory(listed=False)
    AuthorshipFactory(paper=paper, author=merged)
    post = PostFactory(published=True)
    EntryFactory(section__post=post, paper=paper)
    assert flags(kept, merged) == [None, post.published_at]
    merge_authors(keep=kept, others=[merged], by=curator)
    assert flags(kept) == [post.published_at]


def test_a_keynote_speaker_is_public_by_name_and_listed_records_lend_always():
    speaker = AuthorFactory(name="Grace Hopper")
    keynote = KeynoteFactory(speaker="Grace Hopper", listed=False)
    EntryFactory(
        section__post=PostFactory(published=True),
        kind=Entry.Kind.KEYNOTE,
        paper=None,
        keynote=keynote,
    )
    listed = PaperFactory(listed=True, conference=ConferenceFactory(listed=False))
    assert flags(keynote) == flags(speaker) != [None]
    assert flags(listed) == [None]
    assert list(public_conferences().filter(pk=listed.conference_id)) == [listed.conference]


def test_the_command_reports_drift_and_stores_the_right_flags(draft, curator, capsys):
    post = publish_post(post=draft, by=curator)
    paper = Paper.objects.get()
    Paper.objects.update(public_from=None)
    PublicTopic.objects.filter(tag__name="graphs").delete()
    with pytest.raises(CommandError, match="drifted"):
        call_command("refresh_public_flags", "--check")
    graphs = Tag.objects.get(name="graphs").pk
    assert capsys.readouterr().out == (
        f"papers.Paper: 1 drifted ({paper.pk})\ntaggit.Tag: 1 drifted ({graphs})\n"
    )
    assert flags(paper) == [None]
    call_command("refresh_public_flags")
    assert capsys.readouterr().out.endswith("Stored 2 public flag(s).\n")
    assert flags(paper) == [post.published_at]
    call_command("refresh_public_flags", "--check")
    assert capsys.readouterr().out == "Public flags match the posts.\n"


def test_a_refresh_changes_nothing_when_the_flags_are_right(draft, curator):
    publish_post(post=draft, by=curator)
    assert set(map(len, refresh_public_flags().values())) == {0}


# The definition the flags replaced: Exists() over published, due posts, built per request.
def old_papers():
    featured = Entry.objects.filter(published_condition("section__post__"), paper=OuterRef("pk"))
    return Paper.objects.filter(Q(listed=True) | Exists(featured))


def old_keynotes():
    featured = Entry.objects.filter(published_condition("section__post__"), keynote=OuterRef("pk"))
    return Keynote.objects.filter(Q(listed=True) | Exists(featured))


def old_conferences():
    return Conference.objects.filter(
        Q(listed=True)
        | Exists(Post.objects.published().filter(conference=OuterRef("pk")))
        | Exists(old_papers().filter(conference=OuterRef("pk")))
        | Exists(old_keynotes().filter(conference=OuterRef("pk")))
    )


def old_authors():
    papers = Authorship.objects.filter(author=OuterRef("pk"), paper__in=old_papers())
    keynotes = old_keynotes().filter(speaker=OuterRef("name"))
    return Author.objects.filter(Exists(papers) | Exists(keynotes))


def old_topics():
    posts = TaggedPost.objects.filter(published_condition("content_object__"), tag=OuterRef("pk"))
    papers = TaggedPaper.objects.filter(tag=OuterRef("pk"), content_object__in=old_papers())
    return Tag.objects.filter(Exists(posts) | Exists(papers))


def pks(queryset):
    return set(queryset.values_list("pk", flat=True))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_flags_give_the_sets_the_old_subqueries_gave(seed):
    """Random posts (drafts, published, scheduled, unpublished) over a shared pool of records."""
    rng = random.Random(seed)
    now = timezone.now()
    conferences = [ConferenceFactory(listed=rng.random() < 0.2) for _ in range(4)]
    authors = [AuthorFactory(name=f"Person {n}") for n in range(8)]
    papers = []
    for _ in range(12):
        paper = PaperFactory(conference=rng.choice(conferences), listed=rng.random() < 0.15)
        for order, author in enumerate(rng.sample(authors, 2)):
            AuthorshipFactory(paper=paper, author=author, order=order)
        paper.topics.add(rng.choice(["graphs", "vision", "speech", "theory"]))
        papers.append(paper)
    keynotes = [
        KeynoteFactory(
            conference=rng.choice(conferences),
            speaker=rng.choice(authors).name,
            listed=rng.random() < 0.15,
        )
        for _ in range(5)
    ]
    for _ in range(10):
        status = rng.choice(list(Post.Status))
        published_at = now + datetime.timedelta(hours=rng.randint(-72, 72))
        post = PostFactory(
            conference=rng.choice(conferences),
            status=status,
            published_at=None if status == Post.Status.DRAFT else published_at,
        )
        post.tags.add(rng.choice(["reviews", "graphs", "hardware"]))
        section = SectionFactory(post=post)
        for paper in rng.sample(papers, 3):
            EntryFactory(section=section, paper=paper)
        if rng.random() < 0.5:
            EntryFactory(
                section=section, kind=Entry.Kind.KEYNOTE, paper=None, keynote=rng.choice(keynotes)
            )
    for hours in (0, 25, 73):
        with time_machine.travel(now + datetime.timedelta(hours=hours)):
            assert pks(public_papers()) == pks(old_papers())
            assert pks(public_keynotes()) == pks(old_keynotes())
            assert pks(public_conferences()) == pks(old_conferences())
            assert pks(public_authors()) == pks(old_authors())
            assert pks(public_topics()) == pks(old_topics())
    assert public_flag_drift() == {}
