"""Import Jekyll Markdown posts (or Jekyll bundles) into the database, one transaction per file.

The service: the file read and parsed (parse, bundle), the rights checked, the post row written,
then its rows (rows) and the records it names (references).
"""

import datetime
import re
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.text import slugify

from core.side_effects import batched
from reviews.markdown.bundle import is_zip, read_bundle
from reviews.markdown.parse import MarkdownImportError, decode, parse_post
from reviews.markdown.references import known_records, resolve_conference, set_tags
from reviews.markdown.rows import (
    apply_front_matter,
    build_sections,
    prefetched,
    save_entries,
    store_upload,
)
from reviews.models import Post, Section
from reviews.rendering import flags_unmoved, hold_content
from reviews.visibility import lends_nothing
from reviews.workflow.rules import can_import

__all__ = ["ImportReport", "MarkdownImportError", "MarkdownSource", "import_post"]

JEKYLL_NAME_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})-(.+)$")


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
    # The import keeps the post's status: a post that is not published lends nothing, before
    # or after, so its rows (and the new records they name) move no public flag.
    with flags_unmoved() if lends_nothing(post) else nullcontext():
        return write_content(
            post,
            parsed,
            name=name,
            conference=conference,
            report=report,
            bundle_images=bundle_images,
        )


def write_content(post, parsed, *, name, conference, report, bundle_images):
    """The post's fields and rows from the parsed file, replacing its old sections."""
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
    if not report.created:
        # What bump_version does, in the same UPDATE: write_post's SELECT locked the row.
        post.version += 1
    post.save()
    set_tags(post, tags, new=report.created)
    report.tags = tags

    known = known_records(conference, new=report.conference_created)
    sections, entries, gallery = build_sections(
        post, parsed, conference, known, report, name=name, images=bundle_images
    )
    Section.objects.bulk_create(sections)
    save_entries(entries, gallery)
    prefetched(post, sections, entries, gallery)
    hold_content(post)  # the body, rendered once when the block ends, from these rows
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
