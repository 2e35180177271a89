"""arXiv API Atom responses -> PaperRecords.

Parsed with defusedxml: an uploaded file is untrusted, and the stdlib parser expands entity bombs.
"""

import datetime
import re

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

from papers.importers.outcomes import ACCEPTED, outcome_from_words
from papers.importers.records import AuthorRecord, ImportFailed, LinkRecord, PaperRecord

NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "arxiv": "http://arxiv.org/schemas/atom",
}
# New ids (2306.15794v2) and old ones (hep-th/9901001v1), after /abs/.
ID_RE = re.compile(
    r"(?:abs|pdf)/(?P<id>[a-z\-]+(?:\.[A-Z]{2})?/\d{7}|\d{4}\.\d{4,5})(?P<version>v\d+)?"
)
BARE_ID_RE = re.compile(
    r"^(?:arxiv:)?(?P<id>[a-z\-]+(?:\.[A-Z]{2})?/\d{7}|\d{4}\.\d{4,5})(v\d+)?$", re.I
)


def normalize_id(text: str) -> str:
    """“2306.15794” from “arXiv:2306.15794v2”, an abs/pdf URL or the bare id."""
    text = text.strip()
    match = ID_RE.search(text) or BARE_ID_RE.match(text)
    if not match:
        raise ImportFailed(
            f"“{text}” is not an arXiv id (expected e.g. 2306.15794 or hep-th/9901001)."
        )
    return match["id"]


def parse_atom(raw: bytes | str) -> list[PaperRecord]:
    try:
        root = ElementTree.fromstring(raw)
    except DefusedXmlException as error:
        raise ImportFailed(f"The XML file uses forbidden constructs ({error}).") from None
    except ElementTree.ParseError as error:
        raise ImportFailed(f"The file is not well-formed XML: {error}.") from None
    if root.tag != f"{{{NS['atom']}}}feed":
        raise ImportFailed("The file is not an arXiv API response: expected an Atom <feed>.")
    entries = root.findall("atom:entry", NS)
    if not entries:
        raise ImportFailed("The arXiv response holds no entries (unknown id?).")
    return [_parse_entry(entry) for entry in entries]


def _parse_entry(entry) -> PaperRecord:
    entry_id = _find(entry, "atom:id")
    if "/api/errors" in entry_id:
        raise ImportFailed(f"arXiv answered with an error: {_find(entry, 'atom:summary')}")
    match = ID_RE.search(entry_id)
    if not match:
        raise ImportFailed(f"Entry “{entry_id}” has no arXiv id.")
    title = _squash(_find(entry, "atom:title"))
    if not title:
        raise ImportFailed(f"arXiv entry {match['id']} has no title.")
    record = PaperRecord(
        source="arxiv",
        title=title,
        arxiv_id=match["id"],
        arxiv_version=match["version"] or "",
        abstract=_squash(_find(entry, "atom:summary")),
        comment=_squash(_find(entry, "arxiv:comment")),
        doi=_find(entry, "arxiv:doi"),
        publication_date=_date(_find(entry, "atom:published")),
    )
    for author in entry.findall("atom:author", NS):
        name = _squash(_find(author, "atom:name"))
        if name:
            affiliations = [_squash(a.text or "") for a in author.findall("arxiv:affiliation", NS)]
            record.authors.append(AuthorRecord(name=name, affiliation="; ".join(affiliations)))
    # “Accepted at NeurIPS 2023 (spotlight)”: only acceptance is news an arXiv comment tells.
    if (outcome := outcome_from_words(record.comment)) in ACCEPTED:
        record.outcome = outcome
    primary = entry.find("arxiv:primary_category", NS)
    record.primary_category = primary.get("term", "") if primary is not None else ""
    categories = [c.get("term", "") for c in entry.findall("atom:category", NS)]
    record.topics = [c for c in dict.fromkeys([record.primary_category, *categories]) if c]
    version = record.arxiv_version
    record.links.append(LinkRecord("arxiv", f"https://arxiv.org/abs/{record.arxiv_id}{version}"))
    record.links.append(LinkRecord("pdf", f"https://arxiv.org/pdf/{record.arxiv_id}{version}"))
    return record


def _find(element, path) -> str:
    found = element.find(path, NS)
    return (found.text or "").strip() if found is not None else ""


def _squash(text: str) -> str:
    """arXiv wraps titles and abstracts at 80 columns; readers want one line per paragraph."""
    return " ".join(text.split())


def _date(text: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(text[:10])
    except ValueError:
        return None
