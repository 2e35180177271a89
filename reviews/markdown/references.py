"""The records a post names, found or created for an import: its conference (from the title),
keynotes and papers (matched in one query each, new ones saved in bulk) and its tags."""

import re

from django.db.models import Q
from django.utils.text import slugify
from taggit.models import Tag

from core.side_effects import run_or_defer
from papers.cards import queue_card_refresh
from papers.models import Conference, Paper
from reviews.models import Keynote, TaggedPost
from reviews.selectors import speaker_links
from reviews.workflow.speakers import link_new_keynotes
from search.index_papers import refresh_paper_pks
from search.index_reviews import refresh_keynotes

CONFERENCE_RE = re.compile(r"\b([A-Za-z][\w&+.-]*)\s+((?:19|20)\d{2})\b")
PARENTHETICAL_RE = re.compile(r"^(.*?)\s*\(([^()]*)\)$")


def normalized_title(title: str) -> str:
    return " ".join(title.split()).casefold()


def resolve_conference(title: str, report):
    """The conference a title names, like “NeurIPS 2023 …”: an acronym (two capitals or more)
    before a year, so “The 2023 review” names none."""
    match = next(
        (m for m in CONFERENCE_RE.finditer(title) if sum(c.isupper() for c in m[1]) >= 2), None
    )
    if not match:
        return None
    short_name, year = match[1], int(match[2])
    slug = slugify(f"{short_name} {year}")
    # One query for both ways a conference is known; its name and year win over its slug.
    found = Conference.objects.filter(Q(short_name__iexact=short_name, year=year) | Q(slug=slug))
    conference = min(
        found[:2],
        key=lambda c: (c.year, c.short_name.upper()) != (year, short_name.upper()),
        default=None,
    )
    if conference is None:
        conference = Conference.objects.create(short_name=short_name, year=year, slug=slug)
        report.conference_created = True
    return conference


def keynote_for(heading, conference, known, report):
    """The keynote `heading` ("Title - Speaker (Affiliation)") names, reused from `known`
    (this conference's keynotes, loaded once) or made, to be saved by save_new_keynotes."""
    title, speaker_part = heading.rsplit(" - ", 1)
    speaker, affiliation = speaker_part.strip(), ""
    if match := PARENTHETICAL_RE.match(speaker):
        speaker, affiliation = match[1].strip(), match[2].strip()
    title = title.strip()
    if not title or not speaker:
        return None
    key = (title.casefold(), speaker.casefold())
    if keynote := known.get(key):
        report.keynotes_reused.append(str(keynote))
    else:
        keynote = Keynote(
            conference=conference, title=title, speaker=speaker, affiliation=affiliation
        )
        known[key] = keynote
        report.keynotes_created.append(str(keynote))
    return keynote


class KnownKeynotes(dict):
    """A conference's keynotes by (title, speaker), case-insensitively; read on first use."""

    def __init__(self, conference, *, loaded=False):
        super().__init__()
        self.conference, self.loaded = conference, loaded

    def get(self, key, default=None):
        if not self.loaded:
            self.loaded = True
            keynotes = Keynote.objects.filter(conference=self.conference)
            for keynote in keynotes.prefetch_related(speaker_links()):
                super().setdefault((keynote.title.casefold(), keynote.speaker.casefold()), keynote)
        return super().get(key, default)


class KnownPapers(dict):
    """A conference's papers by normalized title, read as plain rows in one query: a paper is
    made only for a title the post names, not for each of a big conference's hundreds."""

    FIELDS = ("id", "title", "slug")

    def __init__(self, conference, *, loaded=False):
        super().__init__()
        self.rows, self.db = {}, None
        if not loaded:
            papers = Paper.objects.filter(conference=conference)
            self.db = papers.db
            self.rows = {normalized_title(row[1]): row for row in papers.values_list(*self.FIELDS)}

    def get(self, key, default=None):
        if key not in self and (row := self.rows.get(key)):
            self[key] = Paper.from_db(self.db, self.FIELDS, row)
        return super().get(key, default)


def known_records(conference, *, new=False):
    """The conference's papers by normalized title (one query) and its keynotes (on first use);
    a conference this import has just created has none, and costs no query."""
    return {
        "papers": KnownPapers(conference, loaded=new),
        "keynotes": KnownKeynotes(conference, loaded=new),
    }


def paper_for(heading, conference, known, report):
    key = normalized_title(heading)
    if paper := known.get(key):
        if paper.title not in report.papers_created:
            report.papers_reused.append(paper.title)
        return paper
    paper = Paper(conference=conference, title=heading)  # saved in bulk by save_new_papers
    known[key] = paper
    report.papers_created.append(paper.title)
    return paper


def save_new_papers(papers):
    """One INSERT for the papers an import creates, with slugs checked in one query."""
    # An entry list may name the same new paper twice: insert each object once.
    papers = list({id(paper): paper for paper in papers if paper.pk is None}.values())
    if not papers:
        return
    bases = [slugify(paper.title)[:200].strip("-") or "paper" for paper in papers]
    taken = set(Paper.objects.filter(slug__in=bases).values_list("slug", flat=True))
    for paper, base in zip(papers, bases, strict=True):
        slug, n = base, 1
        # Taken in the database or by another paper of this same batch.
        while slug in taken or (n > 1 and Paper.objects.filter(slug=slug).exists()):
            n += 1
            slug = f"{base}-{n}"
        paper.slug = slug
        taken.add(slug)
    Paper.objects.bulk_create(papers)
    for paper in papers:
        run_or_defer("search-papers", refresh_paper_pks, paper.pk)
        queue_card_refresh(Paper, paper.pk)  # bulk_create sends no post_save


def save_new_keynotes(keynotes):
    """One INSERT for the keynotes an import creates; bulk_create sends no signal, so their
    search vectors are queued here (the post's own save refreshes its body and the cache)."""
    keynotes = list({id(keynote): keynote for keynote in keynotes if keynote.pk is None}.values())
    if not keynotes:
        return
    Keynote.objects.bulk_create(keynotes)
    link_new_keynotes(keynotes=keynotes)
    for keynote in keynotes:
        run_or_defer("search-keynotes", refresh_keynote_pks, keynote.pk)


def refresh_keynote_pks(pks):
    return refresh_keynotes(Keynote.objects.filter(pk__in=pks))


def set_tags(post, names, *, new=False):
    """Give the post the tags `names`, in their order (the export reads it back): one query per
    step, as taggit's add() costs several per tag, and none written when they are already so."""
    unique = list({name.casefold(): name for name in reversed(names)}.values())[::-1]
    current = []
    if not new:
        links = TaggedPost.objects.filter(content_object=post).order_by("pk")
        current = list(links.values_list("pk", "tag_id"))
    tags = tags_named(unique)
    if [tag_id for _, tag_id in current] == [tag.pk for tag in tags]:
        return
    if current:
        TaggedPost.objects.filter(pk__in=[pk for pk, _ in current]).delete()
    TaggedPost.objects.bulk_create(TaggedPost(content_object=post, tag=tag) for tag in tags)


def tags_named(names):
    """The tags of these names, matched case-insensitively (the oldest wins) or created."""
    if not names:
        return []
    condition = Q()
    for name in names:
        condition |= Q(name__iexact=name)
    existing = {}
    for tag in Tag.objects.filter(condition).order_by("pk"):
        existing.setdefault(tag.name.casefold(), tag)
    return [existing.get(n.casefold()) or Tag.objects.create(name=n) for n in names]
