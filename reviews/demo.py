"""Loads the demo post; safe to run again (it updates what it created before)."""

from django.db import transaction
from django.utils import timezone

from papers.models import Author, Authorship, Conference, Paper, PaperLink
from reviews import demo_content as demo
from reviews.models import Entry, GalleryImage, Keynote, Post, Section


def _gallery(entry, urls, heading):
    entry.images.all().delete()
    GalleryImage.objects.bulk_create(
        GalleryImage(
            entry=entry,
            external_url=url,
            alt_text=f"Slide {n} of {len(urls)}: {heading}",
            order=n,
        )
        for n, url in enumerate(urls, start=1)
    )


def _paper(conference, data):
    paper, _ = Paper.objects.update_or_create(
        conference=conference,
        title=data["title"],
        defaults={"tldr": data["summary"].split("\n")[0]},
    )
    for order, (name, affiliation) in enumerate(data["authors"]):
        author = Author.objects.filter(name=name).first() or Author.objects.create(name=name)
        Authorship.objects.update_or_create(
            paper=paper, order=order, defaults={"author": author, "affiliation": affiliation}
        )
    PaperLink.objects.update_or_create(
        paper=paper, order=0, defaults={"kind": PaperLink.Kind.PAPER, "url": data["link"]}
    )
    paper.topics.set(data["topics"])
    return paper


@transaction.atomic
def load_demo() -> Post:
    conference, _ = Conference.objects.update_or_create(
        slug=demo.CONFERENCE["slug"], defaults=demo.CONFERENCE
    )
    fields = {k: v for k, v in demo.POST.items() if k not in ("slug", "tags")}
    post, created = Post.objects.update_or_create(
        slug=demo.POST["slug"],
        defaults={**fields, "conference": conference, "status": Post.Status.PUBLISHED},
    )
    if created or post.published_at is None:
        post.published_at = timezone.now()
        post.save(update_fields=["published_at"])
    post.tags.set(demo.POST["tags"])
    post.sections.all().delete()

    keynotes = Section.objects.create(post=post, title="Keynotes", order=0)
    for order, data in enumerate(demo.KEYNOTES):
        keynote, _ = Keynote.objects.update_or_create(
            conference=conference,
            title=data["title"],
            speaker=data["speaker"],
            defaults={"affiliation": data["affiliation"], "summary": data["summary"]},
        )
        entry = Entry.objects.create(
            section=keynotes,
            order=order,
            kind=Entry.Kind.KEYNOTE,
            keynote=keynote,
            summary=data["summary"],
            link_url="",
        )
        _gallery(entry, data["slides"], f"{keynote.title} - {keynote.speaker}")

    papers = Section.objects.create(post=post, title="Selected papers", order=1)
    for order, data in enumerate(demo.PAPERS):
        paper = _paper(conference, data)
        entry = Entry.objects.create(
            section=papers,
            order=order,
            kind=Entry.Kind.PAPER,
            paper=paper,
            summary=data["summary"],
            link_url=data["link"],
        )
        _gallery(entry, data["slides"], paper.title)
    return post
