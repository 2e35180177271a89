"""Loads the demo site; safe to run again (it updates what it created before).

Every picture goes through the upload path (`clean_image`, `add_gallery_images`, the rendition
signals), so the demo exercises validation, re-encoding and srcset exactly as curators do. A
gallery whose slides are already stored with the same alt texts is kept, not redrawn.
"""

from datetime import date, datetime, timedelta
from pathlib import PurePosixPath

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from core.side_effects import batched
from papers.models import (
    Author,
    Authorship,
    Conference,
    Paper,
    PaperLink,
    PaperVideo,
    PeerReviewExcerpt,
)
from reviews.demo import curation, iclr2024, icml2022, images, neurips2023
from reviews.media.galleries import add_gallery_images
from reviews.media.images import CleanImage
from reviews.models import Entry, GalleryImage, Keynote, Post, Section
from reviews.workflow.speakers import link_keynote_speakers
from search.index_papers import refresh_paper_pks

PUBLISHED = (neurips2023, iclr2024, icml2022)
SCHEDULE_AHEAD = timedelta(days=30)


def _conference(data: dict) -> Conference:
    fields = {**data}
    for key in ("start_date", "end_date"):
        fields[key] = date.fromisoformat(fields[key])
    conference, _ = Conference.objects.update_or_create(slug=data["slug"], defaults=fields)
    return conference


def _paper(conference: Conference, data: dict) -> Paper:
    paper, _ = Paper.objects.update_or_create(
        conference=conference,
        title=data["title"],
        defaults={
            key: data[key]
            for key in ("tldr", "contribution", "findings", "abstract", "decision", "outcome")
        }
        | {"venue": data["decision"]},
    )
    paper.authorships.all().delete()
    Authorship.objects.bulk_create(
        Authorship(
            paper=paper,
            order=order,
            author=Author.objects.filter(name=name).first() or Author.objects.create(name=name),
            affiliation=affiliation,
        )
        for order, (name, affiliation) in enumerate(data["authors"])
    )
    refresh_paper_pks({paper.pk})  # bulk_create sends no signal: names into the search vector
    paper.links.all().delete()
    PaperLink.objects.bulk_create(
        PaperLink(paper=paper, order=order, kind=kind, url=url, title=title)
        for order, (kind, url, title) in enumerate(data["links"])
    )
    paper.videos.all().delete()
    for url, title in data["videos"]:
        PaperVideo(paper=paper, url=url, title=title, state=PaperVideo.State.APPROVED).save()
    paper.review_excerpts.all().delete()
    for order, excerpt in enumerate(data["reviews"]):
        PeerReviewExcerpt(paper=paper, order=order, **excerpt).save()
    paper.topics.set(data["topics"])
    return paper


def _stored(field, clean: CleanImage) -> str:
    """The name of an identical file stored by an earlier load (a fresh database, old media).

    Only a byte-for-byte match is reused; its renditions, named after the file and its hash,
    are then found on disk instead of being encoded again.
    """
    name = field.generate_filename(None, clean.name)
    if not default_storage.exists(name):
        return ""
    with default_storage.open(name, "rb") as handle:
        return name if handle.read() == clean.content else ""


def _gallery(entry: Entry, heading: str, count: int, stem: str) -> None:
    alts = [f"Slide {n} of {count}: {heading}" for n in range(1, count + 1)]
    stored = list(entry.images.order_by("order").values_list("alt_text", "image"))
    if [alt for alt, _ in stored] == alts and all(
        name and default_storage.exists(name) for _, name in stored
    ):
        return
    entry.images.all().delete()
    slides = [images.slide(heading, n, count, stem=stem) for n in range(1, count + 1)]
    stored_names = [_stored(GalleryImage.image.field, clean) for clean in slides]
    if all(stored_names):
        created = [
            GalleryImage(entry=entry, image=name, order=order)
            for order, name in enumerate(stored_names)
        ]
        for image in created:
            image.full_clean()
            image.save()
    else:
        created = add_gallery_images(entry=entry, images=slides)
    for image, alt in zip(created, alts, strict=True):
        image.alt_text = alt
    GalleryImage.objects.bulk_update(created, ["alt_text"])


def _entry(section: Section, order: int, **fields) -> Entry:
    defaults = {"keynote": None, "paper": None, "heading": "", "link_url": "", **fields}
    entry, _ = Entry.objects.update_or_create(section=section, order=order, defaults=defaults)
    return entry


def _section(post: Post, order: int, data: dict, conference: Conference | None) -> None:
    section, _ = Section.objects.update_or_create(
        post=post, order=order, defaults={"title": data["title"]}
    )
    stem = f"{post.slug[:24]}-{order}"
    specs = []
    for item in data.get("keynotes", ()):
        keynote, _ = Keynote.objects.update_or_create(
            conference=conference,
            title=item["title"],
            speaker=item["speaker"],
            defaults={"affiliation": item["affiliation"], "summary": item["summary"]},
        )
        link_keynote_speakers(keynote=keynote)
        fields = {"kind": Entry.Kind.KEYNOTE, "keynote": keynote, "summary": item["summary"]}
        specs.append((fields, f"{keynote.title} - {keynote.speaker}", item["slides"]))
    for item in data.get("papers", ()):
        paper = _paper(conference, item)
        fields = {"kind": Entry.Kind.PAPER, "paper": paper, "summary": item["summary"]}
        specs.append((fields | {"link_url": item["link"]}, paper.title, item["slides"]))
    for item in data.get("free", ()):
        fields = {"kind": Entry.Kind.FREE, "heading": item["heading"], "summary": item["summary"]}
        specs.append((fields, item["heading"], item["slides"]))
    for order_in_section, (fields, heading, count) in enumerate(specs):
        entry = _entry(section, order_in_section, **fields)
        _gallery(entry, heading, count, f"{stem}-{order_in_section}")
    section.entries.filter(order__gte=len(specs)).delete()


def _cover(post: Post) -> None:
    name = post.cover_image.name
    ours = PurePosixPath(name).stem.startswith(f"{post.slug[:40]}-cover")
    if name and ours and default_storage.exists(name):
        return
    clean = images.cover(post.title, post.subtitle, stem=post.slug[:40])
    post.cover_image = _stored(Post.cover_image.field, clean) or clean.as_file()
    post.save()


def _post(data: dict, *, conference, status, published_at, sections) -> Post:
    fields = {k: v for k, v in data.items() if k not in ("slug", "tags", "sections")}
    fields |= {"conference": conference, "status": status, "published_at": published_at}
    fields |= {"cover_image_url": ""}
    post, _ = Post.objects.update_or_create(slug=data["slug"], defaults=fields)
    post.tags.set(data["tags"])
    for order, section in enumerate(sections):
        _section(post, order, section, conference)
    post.sections.filter(order__gte=len(sections)).delete()
    _cover(post)
    return post


def _scheduled_date(slug: str) -> datetime:
    now = timezone.now()
    current = Post.objects.filter(slug=slug).values_list("published_at", flat=True).first()
    return current if current and current > now else now + SCHEDULE_AHEAD


@transaction.atomic
@batched()
def load_demo() -> list[Post]:
    """Create or refresh the demo posts; the published ones first, NeurIPS 2023 leading."""
    posts = []
    for module in PUBLISHED:
        data = {k: v for k, v in module.POST.items() if k != "published_at"}
        posts.append(
            _post(
                data,
                conference=_conference(module.CONFERENCE),
                status=Post.Status.PUBLISHED,
                published_at=datetime.fromisoformat(module.POST["published_at"]),
                sections=module.SECTIONS,
            )
        )
    for data, status in ((curation.DRAFT, "draft"), (curation.SCHEDULED, "scheduled")):
        conference = Conference.objects.get(slug=data["conference"])
        fields = {k: v for k, v in data.items() if k not in ("conference", "status")}
        posts.append(
            _post(
                fields,
                conference=conference,
                status=Post.Status.DRAFT if status == "draft" else Post.Status.PUBLISHED,
                published_at=None if status == "draft" else _scheduled_date(data["slug"]),
                sections=data["sections"],
            )
        )
    return posts
