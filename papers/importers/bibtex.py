"""BibTeX in and out, through bibtexparser (v2) and its LaTeX middlewares.

Citation keys are the first author's family name, the year and the first title word
(“linsley2024neural”); a key already used in the same file gets “b”, “c”, ... in paper order.
"""

import datetime
import re
import string
import unicodedata

import bibtexparser
from bibtexparser.library import Library
from bibtexparser.middlewares.names import parse_single_name_into_parts
from bibtexparser.model import DuplicateBlockKeyBlock, Entry, Field
from pylatexenc.latex2text import LatexNodes2Text
from pylatexenc.latexencode import RULE_REGEX, UnicodeToLatexConversionRule, UnicodeToLatexEncoder

from papers.citations import (
    citation_key,
    citation_year,
    container,
    entry_type,
    protect_name,
)
from papers.importers import arxiv
from papers.importers.outcomes import accepted_tier
from papers.importers.records import AuthorRecord, ImportFailed, LinkRecord, PaperRecord

OPENREVIEW_FORUM_RE = re.compile(r"openreview\.net/(?:forum|pdf)\?id=([\w\-]+)")
# Text fields are LaTeX; identifiers and URLs are written and read verbatim (a "%" in a URL is
# not a LaTeX comment), so the library's all-fields LaTeX middlewares are not used.
LATEX_FIELDS = {"title", "author", "booktitle", "journal", "howpublished", "abstract", "keywords"}
ENCODER = UnicodeToLatexEncoder(
    conversion_rules=[
        UnicodeToLatexConversionRule(
            rule_type=RULE_REGEX, rule=[(re.compile(r"(?<!\\)(\$.*[^\\]\$)"), r"\1")]
        ),
        "defaults",
    ]
)
ENCODED_FIELDS = LATEX_FIELDS - {"author"}  # names are encoded one by one, then braced
DECODER = LatexNodes2Text(math_mode="verbatim")
# The fallback for text whose LaTeX spelling would not read back the same (pylatexenc writes
# “Ħ” as an H with a macron): escape only LaTeX's specials and leave the rest as UTF-8.
SPECIALS = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "$": r"\textdollar{}",
    "~": r"\textasciitilde{}",
}
MONTHS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
    )
}


# Export


def render_bibtex(papers) -> str:
    """Entries for `papers` (with authorships__author, conference and links prefetched)."""
    entries, used = [], set()
    for paper in papers:
        base = key = citation_key(paper)
        suffixes = iter(string.ascii_lowercase[1:])
        while key in used:
            key = base + next(suffixes)
        used.add(key)
        entries.append(_entry(paper, key))
    if not entries:
        return ""
    return bibtexparser.write_string(Library(entries))


def _entry(paper, key) -> Entry:
    authors = " and ".join(protect_name(to_latex(a.author.name)) for a in paper.authorships.all())
    year = citation_year(paper)
    links = {link.kind: link.url for link in reversed(list(paper.links.all()))}
    fields = [("title", paper.title), ("author", authors)]
    kind = entry_type(paper)
    where = container(paper)
    if kind in {"inproceedings", "conference", "incollection"} and where:
        fields.append(("booktitle", where))
    elif kind == "article" and where:
        fields.append(("journal", where))
    else:
        where = ""
    fields.append(("year", str(year) if year else ""))
    if paper.arxiv_id:
        fields += [
            ("eprint", paper.arxiv_id),
            ("archivePrefix", "arXiv"),
            ("primaryClass", paper.primary_category),
        ]
    elif not where:
        fields.append(("howpublished", paper.venue or paper.decision))
    fields.append(("doi", paper.doi))
    url = links.get("openreview") or links.get("arxiv") or links.get("paper") or ""
    if not url and paper.arxiv_id:
        url = f"https://arxiv.org/abs/{paper.arxiv_id}"
    fields.append(("url", url))
    return Entry(
        kind,
        key,
        [
            Field(name, to_latex(value) if name in ENCODED_FIELDS else value)
            for name, value in fields
            if value
        ],
    )


def to_latex(text: str) -> str:
    """LaTeX that reads back as `text`."""
    encoded = ENCODER.unicode_to_latex(text)
    if from_latex(encoded) == text:
        return encoded
    return "".join(SPECIALS.get(char, char) for char in text)


def from_latex(text: str) -> str:
    """Text from LaTeX, composed (NFC) as typed text is: “\\~{I}” is one “Ĩ”, not I and a tilde."""
    return unicodedata.normalize("NFC", DECODER.latex_to_text(text))


# Import


def parse_bibtex(raw: bytes | str) -> list[PaperRecord]:
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise ImportFailed(f"The BibTeX file is not UTF-8 text: {error}.") from None
    library = bibtexparser.parse_string(raw)
    for block in library.failed_blocks:
        if isinstance(block, DuplicateBlockKeyBlock):
            raise ImportFailed(f"The BibTeX file has two entries with the key “{block.key}”.")
        reason = getattr(block.error, "abort_reason", "") or str(block.error)
        raise ImportFailed(
            f"The BibTeX file is malformed at line {block.start_line + 1}: {reason.strip()}"
        )
    if not library.entries:
        raise ImportFailed("The BibTeX file holds no entries.")
    return [_record(entry) for entry in library.entries]


ORCID_RE = re.compile(r"(\d{4}-\d{4}-\d{4}-\d{3}[\dX])")


def _add_orcids(authors: list[AuthorRecord], numbers: str) -> None:
    """Web of Science's `ORCID-Numbers = {Lovelace, Ada/0000-0002-1825-0097; ...}`: each id goes
    to the author whose family name (the part before the comma) and given initial match."""
    for item in re.split(r"[;\n]", numbers):
        name, _, orcid = item.rpartition("/")
        if not ORCID_RE.fullmatch(orcid.strip()):
            continue
        family, _, given = (part.strip().lower() for part in name.partition(","))
        for author in authors:
            words = author.name.lower().replace(",", " ").split()
            if family and family in words and (not given or given[:1] in (w[:1] for w in words)):
                author.orcid = author.orcid or orcid.strip()
                break


def _record(entry: Entry) -> PaperRecord:
    fields = {
        key.lower(): _decode(key.lower(), field.value) for key, field in entry.fields_dict.items()
    }
    title = fields.get("title", "")
    if not title:
        raise ImportFailed(f"BibTeX entry “{entry.key}” has no title.")
    record = PaperRecord(source="bibtex", title=" ".join(title.split()))
    record.authors = [
        AuthorRecord(name=name) for name in fields.get("author", "").split(" and ") if name
    ]
    _add_orcids(record.authors, fields.get("orcid-numbers", ""))
    record.abstract = fields.get("abstract", "")
    record.doi = fields.get("doi", "")
    record.venue = fields.get("booktitle") or fields.get("journal") or ""
    record.topics = [k.strip() for k in re.split(r"[,;]", fields.get("keywords", "")) if k.strip()]
    if fields.get("eprint") and fields.get("archiveprefix", "arxiv").lower() == "arxiv":
        record.arxiv_id = arxiv.normalize_id(fields["eprint"])
        record.primary_category = fields.get("primaryclass", "")
    url = fields.get("url", "")
    if match := OPENREVIEW_FORUM_RE.search(url):
        record.openreview_id = match[1]
        record.links.append(LinkRecord("openreview", url))
    elif "arxiv.org/abs/" in url:
        record.arxiv_id = record.arxiv_id or arxiv.normalize_id(url)
        record.links.append(LinkRecord("arxiv", url))
    elif url:
        record.links.append(LinkRecord("paper", url))
    if record.arxiv_id and not any(link.kind == "arxiv" for link in record.links):
        record.links.append(LinkRecord("arxiv", f"https://arxiv.org/abs/{record.arxiv_id}"))
    if fields.get("year", "").isdigit():
        month = MONTHS.get(fields.get("month", "")[:3].lower(), 1)
        record.publication_date = datetime.date(int(fields["year"]), month, 1)
    record.bibtex = entry.raw or ""
    # An entry in proceedings or a journal was accepted there; a @misc says nothing.
    if entry.entry_type.lower() in {"inproceedings", "conference", "article"} and record.venue:
        record.outcome = accepted_tier(fields.get("note", ""))
    return record


def _decode(name, value) -> str:
    value = value if isinstance(value, str) else str(value or "")
    if name not in LATEX_FIELDS:
        return value.strip()
    if name == "author":
        # Decoded name by name, so a braced “{Michael, Frank}” stays one person.
        return " and ".join(
            _display_name(part) for part in re.split(r"\s+and\s+", value) if part.strip()
        )
    return " ".join(from_latex(value).split())


def _display_name(name: str) -> str:
    """“Linsley, Drew” -> “Drew Linsley”; “Drew Linsley” and a braced name stay as written."""
    name = " ".join(name.split())
    if name.startswith("{") and name.endswith("}") and "," in name:
        return from_latex(name[1:-1])
    if "," not in _outside_braces(name):
        return from_latex(name)
    parts = parse_single_name_into_parts(name)
    return from_latex(" ".join([*parts.first, *parts.von, *parts.last, *parts.jr]))


def _outside_braces(text: str) -> str:
    depth, kept = 0, []
    for char in text:
        depth += (char == "{") - (char == "}")
        if depth == 0 and char != "}":
            kept.append(char)
    return "".join(kept)
