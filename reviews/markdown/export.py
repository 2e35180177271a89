"""Render a post as Jekyll Markdown, in the format of the reference post, always canonical.

Canonical form: LF line endings, no trailing spaces or tabs, never two blank lines in a row,
exactly one final newline. The output is a pure function of the post (no HTTP, no request).
"""

import re
from collections.abc import Callable

import yaml
from django.conf import settings

from reviews.markdown.format import (
    ALWAYS_VALUED_KEYS,
    BREAK_LINE,
    CONCLUSION_TITLE,
    DEFAULT_LAYOUT,
    GALLERY_CLOSE,
    GALLERY_OPEN,
    MODELLED_KEYS,
    PAPER_LINK_LABEL,
    TAGS_KEY,
    TOC_LINE,
    canonical,
    canonical_block,
    entry_heading,
    gallery_item,
    link_line,
    section_heading,
)
from reviews.models import Post, TaggedPost
from reviews.selectors import post_with_content


def yaml_scalar(value: str) -> str:
    """`value` as a YAML scalar, plain where YAML 1.1 reads it back unchanged, else quoted."""
    if value and "\n" not in value and value == value.strip():
        try:
            if yaml.safe_load(f"k: {value}") == {"k": value}:
                return value
        except yaml.YAMLError:
            pass
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    escaped = "".join(
        ch if ch.isprintable() or ch == " " else f"\\u{ord(ch):04x}" for ch in escaped
    )
    return f'"{escaped}"'


def absolute_media_url(url: str) -> str:
    if re.match(r"^[a-z][a-z0-9+.-]*://", url, re.IGNORECASE):
        return url
    return f"{settings.SITE_URL}{url}"


def default_image_url(field) -> str:
    return absolute_media_url(field.url)


def ordered_tag_names(post: Post) -> list[str]:
    """Tags in the order they were added, so an imported list comes back in its order."""
    return list(
        TaggedPost.objects.filter(content_object=post)
        .order_by("id")
        .values_list("tag__name", flat=True)
    )


def front_matter_values(post: Post, image_url) -> dict[str, str]:
    image = image_url(post.cover_image) if post.cover_image else post.cover_image_url
    return {
        "layout": DEFAULT_LAYOUT,
        "title": post.title,
        "subtitle": post.subtitle,
        "howlong": post.reading_time,
        "comments": "true" if post.comments else "false",
        "author": post.author_name,
        "image": image,
        "twitter": post.social_url,
    }


def unchanged(key: str, raw: str, value) -> bool:
    """Whether the imported text of a modelled key still says `value` (then it is kept as is)."""
    try:
        loaded = yaml.safe_load(raw)
    except yaml.YAMLError:
        return False
    if not isinstance(loaded, dict) or key not in loaded:
        return False
    old = loaded[key]
    if key == "comments":
        return old is (value == "true")
    if key == TAGS_KEY:
        return isinstance(old, list) and [str(tag).strip() for tag in old] == value
    return not isinstance(old, bool) and str(old).strip() == value


def render_front_matter(post: Post, image_url) -> str:
    """Stored key order first (raw text for unmodelled keys); new modelled keys in their place."""
    values = front_matter_values(post, image_url)
    values[TAGS_KEY] = ordered_tag_names(post)
    stored = [list(item) + [None] * (3 - len(item)) for item in post.front_matter or []]
    stored_keys = {key for key, raw, original in stored if raw is None}
    canonical_keys = [*MODELLED_KEYS, TAGS_KEY]

    def modelled(key, original):
        value = values[key]
        lacked = key in ALWAYS_VALUED_KEYS and stored and key not in stored_keys
        if lacked and not (key == "comments" and post.comments):
            return None
        if not value:
            return None
        if original and unchanged(key, original, value):
            return original
        if key == TAGS_KEY:
            return "tags:\n" + "".join(f"- {yaml_scalar(tag)}\n" for tag in value)
        if key == "comments":
            return f"comments: {value}\n"
        return f"{key}: {yaml_scalar(value)}\n"

    order = [item for item in stored if item[1] is not None or item[0] in canonical_keys]
    for index, key in enumerate(canonical_keys):
        if key in stored_keys:
            continue
        # A modelled key the import did not see goes after its nearest canonical predecessor.
        position = 0
        for earlier in reversed(canonical_keys[:index]):
            hits = [i for i, (k, raw, _) in enumerate(order) if k == earlier and raw is None]
            if hits:
                position = hits[0] + 1
                break
        order.insert(position, [key, None, None])

    chunks = []
    for key, raw, original in order:
        text = raw if raw is not None else modelled(key, original)
        if text:
            chunks.append(text if text.endswith("\n") else text + "\n")
    return "---\n" + "".join(chunks) + "---\n"


def gallery_block(sources: list[str]) -> str:
    items = [gallery_item(src) for src in sources]
    return "\n".join([GALLERY_OPEN, *items, GALLERY_CLOSE])


def render_entry(entry, image_url) -> list[str]:
    blocks = []
    if entry.summary.strip():
        blocks.append(entry.summary)
    if entry.link_url:
        blocks.append(link_line(entry.link_url, entry.link_label or PAPER_LINK_LABEL))
    images = list(entry.images.all())
    if images or entry.keep_empty_gallery:
        sources = [image_url(img.image) if img.image else img.external_url for img in images]
        blocks.append(gallery_block(sources))
    heading = entry_heading(entry.display_heading)
    if blocks and not entry.heading_blank_line:
        # The blog sometimes writes the text on the heading's next line; keep it that way.
        return [f"{heading}\n{canonical_block(blocks[0])}", *blocks[1:]]
    return [heading, *blocks]


def render_body(post: Post, image_url) -> str:
    blocks = []
    if post.intro.strip():
        blocks.append(post.intro)
    if post.markdown_toc:
        blocks.append(TOC_LINE)
    for section in post.sections.all():
        blocks.append(section_heading(section.title))
        if section.body.strip():
            blocks.append(section.body)
        if section.link_url:
            blocks.append(link_line(section.link_url, section.link_label or "[Link]"))
        for entry in section.entries.all():
            blocks.extend(render_entry(entry, image_url))
    if post.conclusion.strip() or post.disclaimer.strip():
        blocks.append(section_heading(CONCLUSION_TITLE))
        if post.conclusion.strip():
            blocks.append(post.conclusion)
        if post.disclaimer.strip():
            blocks.extend([BREAK_LINE, post.disclaimer])
    return "\n\n".join(canonical_block(block) for block in blocks)


def render_post_markdown(post: Post, *, image_url: Callable | None = None) -> str:
    """The post as Jekyll Markdown. `image_url(field)` maps an uploaded image to its address:
    absolute under SITE_URL by default, bundle paths for a Jekyll bundle."""
    image_url = image_url or default_image_url
    if "sections" not in getattr(post, "_prefetched_objects_cache", {}):
        post = post_with_content(Post.objects.filter(pk=post.pk)).get()
    return canonical(render_front_matter(post, image_url) + render_body(post, image_url))
