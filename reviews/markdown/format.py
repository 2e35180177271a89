"""The blog's Jekyll format: every key, tag and label that the parser and the exporter share.

Both sides import from here, so a change to the format is one edit: the exporter writes these
strings, the parser recognises them.
"""

import re

# Front matter: the keys this site models, in the reference post's order, and the Post field
# each one fills. "layout" is fixed, "comments" a boolean; "tags" is a block list after them.
FRONT_MATTER_FIELDS = {
    "layout": None,
    "title": "title",
    "subtitle": "subtitle",
    "howlong": "reading_time",
    "comments": "comments",
    "author": "author_name",
    "image": "cover_image_url",
    "twitter": "social_url",
}
MODELLED_KEYS = tuple(FRONT_MATTER_FIELDS)
STRING_KEYS = {"title", "subtitle", "howlong", "author"}
URL_KEYS = {"image", "twitter"}
TAGS_KEY = "tags"
# Keys that always have a value; an imported post that lacked them keeps lacking them.
ALWAYS_VALUED_KEYS = ("layout", "comments")
DEFAULT_LAYOUT = "post"

# Canonical form, which every export has and every import is compared in.
BLANK_RUN_RE = re.compile(r"\n{3,}")


def canonical(text: str) -> str:
    """LF endings, no trailing blanks, no double blank lines, exactly one final newline."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = [line.rstrip(" \t") for line in text.split("\n")]
    text = BLANK_RUN_RE.sub("\n\n", "\n".join(lines)).strip("\n")
    return text + "\n"


def canonical_block(text: str) -> str:
    """A block of body text as stored: canonical lines without surrounding blank lines."""
    return canonical(text).strip("\n") if text.strip() else ""


# Body blocks.
TOC_LINE = (
    '<nav id="toc"><h3><a data-toggle="collapse" href="#toccontent" role="button" '
    'aria-expanded="false" aria-controls="toccontent"><i class="fa fa-bars"></i>  '
    "Table of contents</a></h3></nav>"
)
CONCLUSION_TITLE = "Conclusion"
BREAK_LINE = "<br/>"
GALLERY_OPEN = '<div class="gallery">'
GALLERY_CLOSE = "</div>"
PAPER_LINK_LABEL = "[Paper link]"


def section_heading(title: str) -> str:
    return f"<h3>{title}</h3>"


def entry_heading(title: str) -> str:
    return f"<h4>{title}</h4>"


def link_line(url: str, label: str) -> str:
    return f'<a href="{url}">{label}</a>'


def gallery_item(src: str) -> str:
    return f'<galleryitem src="{src}"></galleryitem>'


# What the parser matches: the same shapes as the writers above.
H3_RE = re.compile(r"^\s*<h3>(.*)</h3>\s*$", re.IGNORECASE)
H4_RE = re.compile(r"^\s*<h4>(.*)</h4>\s*$", re.IGNORECASE)
HEADING_START_RE = re.compile(r"^\s*<h([34])>", re.IGNORECASE)
LINK_RE = re.compile(r'^<a href="([^"\s]+)">(\[[^\]\n]*\])</a>$')
GALLERY_ITEM_RE = re.compile(r'^<galleryitem src="([^"\s]+)"></galleryitem>$')
FRONT_KEY_RE = re.compile(r"^([^\s#\-][^:]*):(?:\s|$)")
