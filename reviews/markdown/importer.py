"""Import Jekyll Markdown posts (or Jekyll bundles) into the database, one transaction per file."""

import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils.text import slugify
from taggit.models import Tag

from core.concurrency import bump_version
from core.side_effects import batched, run_or_defer
from papers.models import Conference, Paper
from reviews.markdown.bundle import is_zip, read_bundle
from reviews.markdown.format import (
    DEFAULT_LAYOUT,
    FRONT_MATTER_FIELDS,
    PAPER_LINK_LABEL,
    STRING_KEYS,
    TAGS_KEY,
    URL_KEYS,
)
from reviews.markdown.parse import (
    MarkdownImportError,
    ParsedPost,
    check_address,
    decode,
    is_url,
    parse_post,
)
from reviews.models import Entry, GalleryImage, Keynote, Post, Section, TaggedPost
from reviews.workflow.rules import can_import
from reviews.workflow.speakers import link_keynote_speakers
from search.index_papers import refresh_paper_pks
from search.index_reviews import refresh_entry_pks

__all__ = ["ImportReport", "MarkdownImportError", "MarkdownSource", "import_post"]

CONFERENCE_RE = re.compile(r"\b([A-Za-z][\w&+.-]*)\s+((?:19|20)\d{2})\b")
JEKYLL_NAME_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})-(.+)$")
PARENTHETICAL_RE = re.compile(r"^(.*?)\s*\(([^()]*)\)$")
STRING_FIELDS = {key: FRONT_MATTER_FIELDS[key] for key in sorted(STRING_KEYS)}
URL_FIELDS = {key: FRONT_MATTER_FIELDS[key] for key in sorted(URL_KEYS)}


@dataclass
class MarkdownSource:
    """A file to import: its name (for messages and the slug) and its bytes."""

    name: str
    data: bytes

    @classmethod
    def from_path(cls, path):
        path = Path(path)
        try:
            return cls(path.name, path.read_bytes())
        except OSError as error:
            raise MarkdownImportError(
                f"cannot read the file: {error.strerror}", name=str(path)
            ) from None


@dataclass
class ImportReport:
    name: str
    slug: str
    title: str
    created: bool
    dry_run: bool
    conference: str = ""
    conference_created: bool = False
    keynotes_created: list[str] = field(default_factory=list)
    keynotes_reused: list[str] = field(default_factory=list)
    papers_created: list[str] = field(default_factory=list)
    papers_reused: list[str] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)
    entries: int = 0
    images: int = 0
    uploads: int = 0
    tags: list[str] = field(default_factory=list)
    stored_files: list[str] = field(default_factory=list)

    def summary(self) -> str:
        verb = "would create" if self.dry_run else "created"
        if not self.created:
            verb = "would update" if self.dry_run else "updated"
        conference = self.conference or "no conference"
        if self.conference_created:
            conference += " (new)"
        return (
            f"{self.name}: {verb} post “{self.slug}” ({conference}): "
            f"{len(self.sections)} sections, {self.entries} entries, "
            f"{len(self.keynotes_created)} new and {len(self.keynotes_reused)} existing keynotes, "
            f"{len(self.papers_created)} new and {len(self.papers_reused)} existing papers, "
            f"{self.images} gallery images ({self.uploads} uploaded), {len(self.tags)} tags"
        )


def normalized_title(title: str) -> str:
    return " ".join(title.split()).casefold()


def slug_for(name: str, title: str) -> tuple[str, datetime.datetime | None]:
    stem = PurePosixPath(name).name
    stem = stem.rsplit(".", 1)[0] if "." in stem else stem
    date = None
    if match := JEKYLL_NAME_RE.match(stem):
        try:
            date = datetime.datetime(
                int(match[1]), int(match[2]), int(match[3]), tzinfo=datetime.UTC
            )
            stem = match[4]
        except ValueError:
            date = None
    return (slugify(stem) or slugify(title))[:200], date


def resolve_conference(title: str, report: ImportReport):
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


def check(instance, *, name, line, exclude=(), field_lines=None):
    """full_clean without database lookups, as an import error naming the (field's) line."""
    try:
        instance.full_clean(
            exclude=list(exclude), validate_unique=False, validate_constraints=False
        )
    except ValidationError as error:
        problems = "; ".join(
            f"{key}: {' '.join(messages)}" for key, messages in error.message_dict.items()
        )
        lines = [(field_lines or {}).get(key) for key in error.message_dict]
        line = min((n for n in lines if n), default=line)
        raise MarkdownImportError(problems, name=name, line=line) from None


def apply_front_matter(post: Post, parsed: ParsedPost, *, name, bundle_images):
    """Set the modelled fields; unmodelled keys (or values we cannot model) keep their raw text."""
    order, tags, cover_upload = [], [], None
    for key, raw in parsed.front_order:
        value = parsed.front.get(key)
        modelled = False
        if key == "layout":
            modelled = value == DEFAULT_LAYOUT
        elif (
            key in STRING_FIELDS
            and isinstance(value, str | int | float)
            and not isinstance(value, bool)
        ):
            setattr(post, STRING_FIELDS[key], str(value).strip())
            modelled = True
        elif key == "comments" and isinstance(value, bool):
            post.comments, modelled = value, True
        elif key in URL_FIELDS and isinstance(value, str):
            check_address(value, name=name, line=parsed.front_lines.get(key))
            if key == "image" and (upload := bundle_images.get(value.lstrip("/"))):
                cover_upload, modelled = (value, upload), True
            elif is_url(value):
                setattr(post, URL_FIELDS[key], value)
                modelled = True
        elif key == TAGS_KEY and isinstance(value, list):
            names = [str(tag).strip() for tag in value if tag is not None]
            if all(names) and all(isinstance(tag, str) for tag in value):
                tags, modelled = names, True
        order.append([key, None, raw] if modelled else [key, raw])
    post.front_matter = order
    field_lines = {
        field: parsed.front_lines.get(key) for key, field in {**STRING_FIELDS, **URL_FIELDS}.items()
    }
    check(
        post,
        name=name,
        line=2,
        exclude=["slug", "conference", "cover_image"],
        field_lines=field_lines,
    )
    return tags, cover_upload


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
        link_keynote_speakers(keynote=keynote)
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


def store_upload(field, src, clean, report):
    """Store a bundle image already through clean_image: its bytes and a name of its real format."""
    field.save(clean.name, clean.as_file(), save=False)
    report.stored_files.append(field.name)
    report.uploads += 1


def build_entries(section, parsed_section, conference, known, report, *, name, images):
    """The entries and gallery images of one section, validated but not saved."""
    keynote_section = "keynote" in parsed_section.title.lower()
    paper_section = "paper" in parsed_section.title.lower()
    entries, gallery = [], []
    for order, parsed in enumerate(parsed_section.entries):
        entry = Entry(section=section, order=order, kind=Entry.Kind.FREE)
        heading = parsed.heading
        if len(heading) > 500:
            raise MarkdownImportError(
                "the heading is longer than 500 characters", name=name, line=parsed.line
            )
        if keynote_section and " - " in heading and conference is not None:
            entry.keynote = keynote_for(heading, conference, known["keynotes"], report)
            if entry.keynote:
                entry.kind = Entry.Kind.KEYNOTE
        elif not keynote_section and (paper_section or parsed.link_label == PAPER_LINK_LABEL):
            entry.kind = Entry.Kind.PAPER
            entry.paper = paper_for(heading, conference, known["papers"], report)
        derived = ""
        if entry.paper:
            derived = entry.paper.title
        elif entry.keynote:
            derived = f"{entry.keynote.title} - {entry.keynote.speaker}"
        entry.heading = "" if derived == heading else heading
        entry.summary = parsed.summary
        entry.link_url, entry.link_label = parsed.link_url, parsed.link_label
        entry.keep_empty_gallery = parsed.gallery == []
        entry.heading_blank_line = parsed.heading_blank_line
        check(entry, name=name, line=parsed.line, exclude=["section", "keynote", "paper"])
        entries.append(entry)
        report.entries += 1
        sources = parsed.gallery or []
        for index, src in enumerate(sources):
            image = GalleryImage(
                entry=entry,
                order=index,
                alt_text=f"Slide {index + 1} of {len(sources)}: {heading}"[:300],
            )
            upload = images.get(src.lstrip("/"))
            if upload is not None and not report.dry_run:
                store_upload(image.image, src, upload, report)
            elif upload is not None:
                image.external_url = src
                report.uploads += 1
            elif len(src) > 1000:
                raise MarkdownImportError(
                    "a gallery image address is longer than 1000 characters",
                    name=name,
                    line=parsed.line,
                )
            else:
                image.external_url = src
            # bulk_create below skips model validation: the URL gate runs here.
            check(image, name=name, line=parsed.line, exclude=["entry", "image"])
            gallery.append(image)
            report.images += 1
    return entries, gallery


def save_entries(entries, gallery):
    """One INSERT each for new papers, entries and images of the whole post; bulk_create
    sends no signals, so the search index is refreshed here (once, in a batched() block)."""
    save_new_papers(entry.paper for entry in entries if entry.paper)
    for entry in entries:
        entry.section_id = entry.section.pk
        entry.paper_id = entry.paper.pk if entry.paper else None
    Entry.objects.bulk_create(entries)
    for image in gallery:
        image.entry_id = image.entry.pk
    GalleryImage.objects.bulk_create(gallery)
    for entry in entries:
        run_or_defer("search-entries", refresh_entry_pks, entry.pk)


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


def write_post(parsed, *, name, conference, update, report, bundle_images, date, by):
    post = Post.objects.select_for_update().filter(slug=report.slug).first()
    if post and not update:
        raise MarkdownImportError(
            f"a post with the slug “{report.slug}” already exists; "
            "import with --update to replace its content",
            name=name,
        )
    if not can_import(by, existing_post=post):
        raise MarkdownImportError(
            f"you may not replace the post “{report.slug}”: only its owner (while it is a "
            "draft) or a curator may"
            if post
            else "you may not add posts",
            name=name,
        )
    report.created = post is None
    post = post or Post(
        slug=report.slug, status=Post.Status.DRAFT, published_at=date, created_by=by
    )
    if post.pk:
        post.sections.all().delete()
    for attr in ("subtitle", "reading_time", "author_name", "cover_image_url", "social_url"):
        setattr(post, attr, "")
    post.comments = False
    tags, cover_upload = apply_front_matter(post, parsed, name=name, bundle_images=bundle_images)
    report.title = post.title
    if conference is None:
        conference = resolve_conference(post.title, report)
    post.conference = conference
    report.conference = str(conference) if conference else ""
    post.intro, post.markdown_toc = parsed.intro, parsed.toc
    post.conclusion, post.disclaimer = parsed.conclusion, parsed.disclaimer
    if cover_upload and not report.dry_run:
        store_upload(post.cover_image, *cover_upload, report)
    elif cover_upload:
        report.uploads += 1
    post.save()
    if not report.created:
        bump_version(instance=post)
    set_tags(post, tags)
    report.tags = tags

    known = {
        "papers": {
            normalized_title(paper.title): paper
            for paper in Paper.objects.filter(conference=conference).only("id", "title")
        },
        "keynotes": KnownKeynotes(conference),
    }
    sections, entries, gallery = [], [], []
    for order, parsed_section in enumerate(parsed.sections):
        section = Section(
            post=post,
            order=order,
            title=parsed_section.title,
            body=parsed_section.body,
            link_url=parsed_section.link_url,
            link_label=parsed_section.link_label,
        )
        check(section, name=name, line=parsed_section.line, exclude=["post"])
        sections.append(section)
        report.sections.append(section.title)
        section_entries, section_gallery = build_entries(
            section, parsed_section, conference, known, report, name=name, images=bundle_images
        )
        entries += section_entries
        gallery += section_gallery
    Section.objects.bulk_create(sections)
    save_entries(entries, gallery)
    return post


def import_post(*, source, conference=None, update=False, dry_run=False, by=None) -> ImportReport:
    """Create (or with `update`, replace) one post from a Markdown file or a Jekyll bundle.

    All or nothing: any problem raises MarkdownImportError naming the file and line, and the
    database is left exactly as before. `dry_run` does everything, reports it, and rolls back.

    `by` is the acting user, checked by reviews.workflow.rules.can_import: replacing a post
    needs the right to edit that very post, and a new post is a draft owned by `by`. `by=None`
    means the operator at the shell (the management command), who has full rights: never pass
    None on behalf of a web request.
    """
    if not isinstance(source, MarkdownSource):
        source = MarkdownSource.from_path(source)
    name, data, bundle_images = source.name, source.data, {}
    if is_zip(data):
        name, data, bundle_images = read_bundle(data, name=source.name)
    text = decode(data, name=name)
    parsed = parse_post(text, name=name)
    slug, date = slug_for(name, str(parsed.front["title"]))
    report = ImportReport(name=name, slug=slug, title="", created=True, dry_run=dry_run)
    try:
        with transaction.atomic():
            with batched():
                write_post(
                    parsed,
                    name=name,
                    conference=conference,
                    update=update,
                    report=report,
                    bundle_images=bundle_images,
                    date=date,
                    by=by,
                )
            if dry_run:
                transaction.set_rollback(True)
    except BaseException:
        # The database rolled back; the files written for it go too.
        for stored in report.stored_files:
            default_storage.delete(stored)
        raise
    return report
