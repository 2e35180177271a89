"""A parsed post onto model instances: front matter onto the Post, then sections, entries and
gallery images built and validated in memory and written with one INSERT per table."""

from django.core.exceptions import ValidationError

from core.side_effects import run_or_defer
from reviews.markdown.format import (
    DEFAULT_LAYOUT,
    FRONT_MATTER_FIELDS,
    PAPER_LINK_LABEL,
    STRING_KEYS,
    TAGS_KEY,
    URL_KEYS,
)
from reviews.markdown.parse import MarkdownImportError, ParsedPost, check_address, is_url
from reviews.markdown.references import (
    keynote_for,
    paper_for,
    save_new_keynotes,
    save_new_papers,
)
from reviews.media.pipeline import source_saved
from reviews.models import Entry, GalleryImage, Post, Section
from reviews.workflow.speakers import relink_keynotes
from search.index_reviews import refresh_entry_pks

STRING_FIELDS = {key: FRONT_MATTER_FIELDS[key] for key in sorted(STRING_KEYS)}
URL_FIELDS = {key: FRONT_MATTER_FIELDS[key] for key in sorted(URL_KEYS)}


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


def build_sections(post, parsed, conference, known, report, *, name, images):
    """Every section of the post with its entries and gallery images, validated but not saved."""
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
            section, parsed_section, conference, known, report, name=name, images=images
        )
        entries += section_entries
        gallery += section_gallery
    return sections, entries, gallery


def save_entries(entries, gallery):
    """One INSERT each for new papers, keynotes, entries and images of the whole post; bulk_create
    sends no signals, so the search index is refreshed here (once, in a batched() block)."""
    save_new_papers(entry.paper for entry in entries if entry.paper)
    relink_keynotes(
        keynotes=[entry.keynote for entry in entries if entry.keynote and entry.keynote.pk]
    )
    save_new_keynotes(entry.keynote for entry in entries if entry.keynote)
    # Assigned again now that they have ids: that sets section_id and the rest and keeps the
    # objects cached (setting an *_id alone would drop them, and the body would read them back).
    for entry in entries:
        entry.section, entry.paper, entry.keynote = entry.section, entry.paper, entry.keynote
    Entry.objects.bulk_create(entries)
    for image in gallery:
        image.entry = image.entry
    GalleryImage.objects.bulk_create(gallery)
    for image in gallery:
        if image.image:
            source_saved(image)  # what its post_save would do: renditions queued for a task
    for entry in entries:
        run_or_defer("search-entries", refresh_entry_pks, entry.pk)


def prefetched(post, sections, entries, gallery):
    """Give the rows just written the related caches `selectors.post_with_content()` would
    fill, so the body renders from memory (reviews.rendering.hold_content) with no read back."""
    images = {id(entry): [] for entry in entries}
    for image in gallery:
        images[id(image.entry)].append(image)
    by_section = {id(section): [] for section in sections}
    for entry in entries:
        by_section[id(entry.section)].append(entry)
        cache(entry, "images", GalleryImage, images[id(entry)])
    for section in sections:
        cache(section, "entries", Entry, by_section[id(section)])
    cache(post, "sections", Section, sections)


def cache(instance, name, model, rows):
    """What prefetch_related stores for `instance.<name>.all()`: a queryset already evaluated."""
    queryset = model.objects.all()
    queryset._result_cache, queryset._prefetch_done = list(rows), True
    instance._prefetched_objects_cache = {
        **getattr(instance, "_prefetched_objects_cache", {}),
        name: queryset,
    }
