"""Parse Jekyll Markdown posts into plain data; no database. `markdown_import` stores the result.

The parser recognises the structure the exporter writes (front matter, intro, contents line,
<h3> sections, <h4> entries with summary, link line and gallery, the Conclusion, <br/> and the
disclaimer) and keeps every block it does not recognise verbatim in the nearest body text, so
re-exporting an imported file loses nothing.
"""

from dataclasses import dataclass, field

import yaml
from django.core.exceptions import ValidationError

from core.fields import SCHEME_RE, validate_url
from reviews.markdown.format import (
    BREAK_LINE,
    CONCLUSION_TITLE,
    FRONT_KEY_RE,
    GALLERY_CLOSE,
    GALLERY_ITEM_RE,
    GALLERY_OPEN,
    H3_RE,
    H4_RE,
    HEADING_START_RE,
    LINK_RE,
    TOC_LINE,
    canonical_block,
)

MAX_FILE_BYTES = 2 * 1024 * 1024


class MarkdownImportError(Exception):
    """A file that cannot be imported; the message names the file and, if known, the line."""

    def __init__(self, message, *, name="", line=None):
        self.message, self.name, self.line = message, name, line
        where = name if line is None else f"{name}, line {line}"
        super().__init__(f"{where}: {message}" if where else message)


@dataclass
class ParsedEntry:
    heading: str
    line: int
    summary: str = ""
    link_url: str = ""
    link_label: str = ""
    gallery: list[str] | None = None
    heading_blank_line: bool = True


@dataclass
class ParsedSection:
    title: str
    line: int
    body: str = ""
    link_url: str = ""
    link_label: str = ""
    entries: list[ParsedEntry] = field(default_factory=list)


@dataclass
class ParsedPost:
    front: dict
    front_lines: dict[str, int]
    front_order: list
    intro: str = ""
    toc: bool = False
    sections: list[ParsedSection] = field(default_factory=list)
    conclusion: str = ""
    disclaimer: str = ""


@dataclass
class Block:
    line: int
    lines: list[str]

    @property
    def text(self):
        return "\n".join(self.lines)


def decode(data: bytes, *, name: str) -> str:
    """Bytes to text with LF endings, refusing what is not a Markdown post."""
    if not data.strip():
        raise MarkdownImportError("the file is empty", name=name)
    if len(data) > MAX_FILE_BYTES:
        raise MarkdownImportError(
            f"the file is {len(data):,} bytes; the limit is {MAX_FILE_BYTES:,} (2 MB)", name=name
        )
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise MarkdownImportError("this is UTF-16 text; save the file as UTF-8", name=name, line=1)
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise MarkdownImportError("this is a binary file, not Markdown", name=name, line=line)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise MarkdownImportError(
            f"not UTF-8 text (byte {error.start}); save the file as UTF-8", name=name, line=line
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def is_url(value) -> bool:
    try:
        validate_url(value)
    except ValidationError:
        return False
    return True


def check_address(value: str, *, name: str, line: int | None) -> None:
    """Refuse an address that names a scheme other than http(s): `javascript:` and friends
    would otherwise slip into the summary text or a stored field."""
    if not SCHEME_RE.match(value):
        return
    try:
        validate_url(value)
    except ValidationError as error:
        raise MarkdownImportError(
            f"the address “{value[:80]}” is refused: {' '.join(error.messages)}",
            name=name,
            line=line,
        ) from None


def split_front_matter(text: str, *, name: str):
    lines = text.split("\n")
    if lines[0].strip() != "---":
        raise MarkdownImportError(
            "no front matter: a Jekyll post starts with a line “---”", name=name, line=1
        )
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            return lines[1:index], lines[index + 1 :], index + 2
    raise MarkdownImportError("the front matter is never closed by a line “---”", name=name, line=1)


def front_matter_blocks(lines: list[str], *, name: str):
    """Top-level keys with their raw YAML text, in file order (comments stay with the key above)."""
    blocks, seen = [], {}
    for number, line in enumerate(lines, start=2):
        match = FRONT_KEY_RE.match(line)
        if match or not blocks:
            key = match.group(1).strip() if match else ""
            if key and key in seen:
                raise MarkdownImportError(
                    f"the front-matter key “{key}” appears twice (first on line {seen[key]})",
                    name=name,
                    line=number,
                )
            seen[key] = number
            blocks.append([key, [line], number])
        else:
            blocks[-1][1].append(line)
    return [(key, "\n".join(raw).rstrip("\n") + "\n", number) for key, raw, number in blocks]


def parse_front_matter(lines: list[str], *, name: str):
    raw_text = "\n".join(lines)
    try:
        data = yaml.safe_load(raw_text) if raw_text.strip() else {}
    except yaml.YAMLError as error:
        # An unclosed quote or bracket is found at the end; its start (the context) is the fix.
        mark = getattr(error, "context_mark", None) or getattr(error, "problem_mark", None)
        line = mark.line + 2 if mark else 2
        parts = [getattr(error, "context", None), getattr(error, "problem", None)]
        problem = ", ".join(part for part in parts if part) or str(error)
        raise MarkdownImportError(
            f"broken YAML front matter: {problem}", name=name, line=line
        ) from None
    if not isinstance(data, dict):
        raise MarkdownImportError(
            "the front matter must be a list of “key: value” lines", name=name, line=2
        )
    if not isinstance(data.get("title"), str | int | float) or not str(data["title"]).strip():
        raise MarkdownImportError("the front matter has no title", name=name, line=2)
    return data, front_matter_blocks(lines, name=name)


def split_blocks(lines: list[str], first_line: int) -> list[Block]:
    """Blank-line separated blocks; a gallery <div> is one block even with blank lines inside."""
    blocks, current, in_gallery = [], None, False
    for offset, line in enumerate(lines):
        number = first_line + offset
        stripped = line.strip()
        if in_gallery:
            current.lines.append(line)
            in_gallery = stripped != GALLERY_CLOSE
            continue
        if not stripped:
            current = None
            continue
        if stripped == GALLERY_OPEN and any(
            later.strip() == GALLERY_CLOSE for later in lines[offset + 1 :]
        ):
            current = Block(number, [line])
            blocks.append(current)
            in_gallery = True
            continue
        if current is None:
            current = Block(number, [])
            blocks.append(current)
        current.lines.append(line)
    return blocks


def join_blocks(blocks: list[Block]) -> str:
    return canonical_block("\n\n".join(block.text for block in blocks))


def gallery_sources(block: Block):
    lines = [line.strip() for line in block.lines if line.strip()]
    if len(lines) < 2 or lines[0] != GALLERY_OPEN or lines[-1] != GALLERY_CLOSE:
        return None
    sources = []
    for line in lines[1:-1]:
        match = GALLERY_ITEM_RE.match(line)
        if not match:
            return None
        sources.append(match.group(1))
    return sources


def link_of(block: Block, *, name: str):
    if len(block.lines) != 1:
        return None
    match = LINK_RE.match(block.lines[0].strip())
    if match:
        check_address(match.group(1), name=name, line=block.line)
    if not match or not is_url(match.group(1)):
        return None
    return match.group(1), match.group(2)


def parse_entry(entry: ParsedEntry, blocks: list[Block], *, name: str):
    """Summary, then a link line, then a gallery: each recognised only in that place."""
    if blocks and (sources := gallery_sources(blocks[-1])) is not None:
        block = blocks[-1]
        for src in sources:
            offset = next(i for i, line in enumerate(block.lines) if f'"{src}"' in line)
            check_address(src, name=name, line=block.line + offset)
        entry.gallery = sources
        blocks = blocks[:-1]
    if blocks and (link := link_of(blocks[-1], name=name)):
        entry.link_url, entry.link_label = link
        blocks = blocks[:-1]
    entry.summary = join_blocks(blocks)


def parse_section_head(section: ParsedSection, blocks: list[Block], *, name: str):
    if blocks and (link := link_of(blocks[-1], name=name)):
        section.link_url, section.link_label = link
        blocks = blocks[:-1]
    section.body = join_blocks(blocks)


def heading_text(match, *, name, line, level):
    text = match.group(1).strip()
    if not text:
        raise MarkdownImportError(f"an empty <h{level}> heading", name=name, line=line)
    return text


def parse_body(lines: list[str], first_line: int, post: ParsedPost, *, name: str):
    """Walk the body line by line: text before the first <h3>, then sections and entries."""
    intro_lines, chunks = [], []  # chunks: [ParsedSection | ParsedEntry, first_line, lines]
    for offset, line in enumerate(lines):
        number = first_line + offset
        if h3 := H3_RE.match(line):
            section = ParsedSection(heading_text(h3, name=name, line=number, level=3), number)
            post.sections.append(section)
            chunks.append([section, number + 1, []])
        elif h4 := H4_RE.match(line):
            if not post.sections:
                raise MarkdownImportError(
                    "an entry heading <h4> comes before any section heading <h3>",
                    name=name,
                    line=number,
                )
            entry = ParsedEntry(heading_text(h4, name=name, line=number, level=4), number)
            post.sections[-1].entries.append(entry)
            chunks.append([entry, number + 1, []])
        elif start := HEADING_START_RE.match(line):
            raise MarkdownImportError(
                f"the heading <h{start.group(1)}> is not closed on its line", name=name, line=number
            )
        elif chunks:
            chunks[-1][2].append(line)
        else:
            intro_lines.append(line)

    intro = split_blocks(intro_lines, first_line)
    if intro and intro[-1].text.strip() == TOC_LINE:
        post.toc, intro = True, intro[:-1]
    post.intro = join_blocks(intro)

    for target, start, chunk_lines in chunks:
        blocks = split_blocks(chunk_lines, start)
        if isinstance(target, ParsedEntry):
            target.heading_blank_line = not (chunk_lines and chunk_lines[0].strip())
            parse_entry(target, blocks, name=name)
        else:
            parse_section_head(target, blocks, name=name)

    last = post.sections[-1] if post.sections else None
    if last and last.title == CONCLUSION_TITLE and not last.entries:
        post.sections.pop()
        blocks = split_blocks(chunks[-1][2], chunks[-1][1])
        breaks = [i for i, block in enumerate(blocks) if block.text.strip() == BREAK_LINE]
        if breaks and breaks[-1] < len(blocks) - 1:
            post.conclusion = join_blocks(blocks[: breaks[-1]])
            post.disclaimer = join_blocks(blocks[breaks[-1] + 1 :])
        else:
            post.conclusion = join_blocks(blocks)


def parse_post(text: str, *, name: str) -> ParsedPost:
    front_lines, body_lines, body_start = split_front_matter(text, name=name)
    data, blocks = parse_front_matter(front_lines, name=name)
    post = ParsedPost(
        front=data,
        front_lines={key: number for key, raw, number in blocks},
        front_order=[(key, raw) for key, raw, number in blocks],
    )
    parse_body(body_lines, body_start, post, name=name)
    return post
