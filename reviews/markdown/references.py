"""The records a post names, found or created for an import: its conference (from the title),
keynotes and papers (matched in one query each, new ones saved in bulk) and its tags."""

import re

from django.db.models import Q
from django.utils.text import slugify
from taggit.models import Tag

from core.side_effects import run_or_defer
from papers.models import Conference, Paper
from reviews.models import Keynote, TaggedPost
from search.index_papers import refresh_paper_pks

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
    conference = Conference.objects.filter(short_name__iexact=short_name, year=year).first()
    if conference is None:
        slug = slugify(f"{short_name} {year}")
        conference = Conference.objects.filter(slug=slug).first()
    if conference is None:
        conference = Conference.objects.create(short_name=short_name, year=year, slug=slug)
        report.conference_created = True
    return conference


def keynote_for(heading, conference, known, report):
    """The keynote `heading` ("Title - Speaker (Affiliation)") names, reused from `known`
    (this conference's keynotes, loaded once) or created."""
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
        keynote = Keynote.objects.create(
            conference=conference, title=title, speaker=speaker, affiliation=affiliation
        )
        known[key] = keynote
        report.keynotes_created.append(str(keynote))
    return keynote


class KnownKeynotes(dict):
    """A conference's keynotes by (title, speaker), case-insensitively; read on first use."""

    def __init__(self, conference):
        super().__init__()
        self.conference, self.loaded = conference, False

    def get(self, key, default=None):
        if not self.loaded:
            self.loaded = True
            for keynote in Keynote.objects.filter(conference=self.conference):
                super().setdefault((keynote.title.casefold(), keynote.speaker.casefold()), keynote)
        return super().get(key, default)


def known_records(conference):
    """The conference's papers by normalized title (one query) and its keynotes (on first use)."""
    return {
        "papers": {
            normalized_title(paper.title): paper
            for paper in Paper.objects.filter(conference=conference).only("id", "title")
        },
        "keynotes": KnownKeynotes(conference),
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


def set_tags(post, names):
    """Replace the post's tags with `names`, in their order (the export reads it back), in one
    query per step: taggit's add() costs several queries per tag."""
    unique = list({name.casefold(): name for name in reversed(names)}.values())[::-1]
    TaggedPost.objects.filter(content_object=post).delete()
    if not unique:
        return
    condition = Q()
    for name in unique:
        condition |= Q(name__iexact=name)
    existing = {}
    for tag in Tag.objects.filter(condition).order_by("pk"):
        existing.setdefault(tag.name.casefold(), tag)
    tags = [existing.get(n.casefold()) or Tag.objects.create(name=n) for n in unique]
    TaggedPost.objects.bulk_create(TaggedPost(content_object=post, tag=tag) for tag in tags)
