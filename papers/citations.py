"""A paper cited in the formats reference managers read: RIS, CSL-JSON and a plain APA-like line.

BibTeX lives in papers.importers.bibtex (it also reads BibTeX); the entry type, the container
and the address are decided here once, so the four formats agree. Every function reads only
what `papers.selectors.papers_for_citation` prefetches (plus `topics` for keywords).
"""

import re
import string
import unicodedata

from bibtexparser.middlewares.names import parse_single_name_into_parts

from papers.selectors import paper_topics

SOURCE_TYPE_RE = re.compile(r"^\s*@\s*([A-Za-z]+)\s*[{(]")
KNOWN_TYPES = {
    "article",
    "book",
    "conference",
    "incollection",
    "inproceedings",
    "misc",
    "phdthesis",
    "techreport",
    "unpublished",
}
IN_PROCEEDINGS = {"inproceedings", "conference", "incollection"}
RIS_TYPES = {
    "article": "JOUR",
    "book": "BOOK",
    "conference": "CPAPER",
    "incollection": "CHAP",
    "inproceedings": "CPAPER",
    "phdthesis": "THES",
    "techreport": "RPRT",
    "unpublished": "UNPB",
}
CSL_TYPES = {
    "article": "article-journal",
    "book": "book",
    "conference": "paper-conference",
    "incollection": "chapter",
    "inproceedings": "paper-conference",
    "phdthesis": "thesis",
    "techreport": "report",
}


def citation_key(paper) -> str:
    """The key before de-duplication; reads prefetched authorships and the conference."""
    authorships = list(paper.authorships.all())
    family = ""
    if authorships:
        parts = parse_single_name_into_parts(protect_name(authorships[0].author.name))
        family = _ascii_word(" ".join(parts.last)) if parts.last else ""
    year = citation_year(paper)
    words = [_ascii_word(word) for word in paper.title.split()]
    first_word = next((word for word in words if word), "untitled")
    return f"{family or 'anonymous'}{year or ''}{first_word}"


def citation_year(paper) -> int | None:
    if paper.conference_id:
        return paper.conference.year
    return paper.publication_date.year if paper.publication_date else None


def protect_name(name: str) -> str:
    """A name holding a comma would be read “Last, First”: brace it so it stays whole."""
    return f"{{{name}}}" if "," in name else name


def _ascii_word(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", folded.lower())


def entry_type(paper) -> str:
    """The BibTeX type the source gave (“@article{…”), else proceedings once accepted at a
    conference, else misc."""
    if match := SOURCE_TYPE_RE.match(paper.bibtex or ""):
        kind = match[1].lower()
        if kind in KNOWN_TYPES:
            return kind
    if paper.is_accepted and paper.conference_id:
        return "inproceedings"
    return "misc"


def container(paper) -> str:
    """Where it appeared: the conference's name for proceedings, else the venue's words."""
    if paper.conference_id and entry_type(paper) in IN_PROCEEDINGS:
        return paper.conference.full_name or str(paper.conference)
    return paper.venue or (str(paper.conference) if paper.conference_id else "")


def address(paper) -> str:
    """The paper's canonical page elsewhere: DOI, then OpenReview, arXiv, the paper's own."""
    if paper.doi:
        return f"https://doi.org/{paper.doi}"
    links = {link.kind: link.url for link in reversed(list(paper.links.all()))}
    for kind in ("openreview", "arxiv", "paper"):
        if links.get(kind):
            return links[kind]
    return f"https://arxiv.org/abs/{paper.arxiv_id}" if paper.arxiv_id else ""


def name_parts(name: str) -> tuple[str, str]:
    """(given, family) of “Ada von Lovelace”; a name that cannot be split has no given part."""
    if "," in name:
        return "", name
    parts = parse_single_name_into_parts(name)
    family = " ".join([*parts.von, *parts.last])
    given = " ".join(parts.first)
    if parts.jr:
        family = f"{family}, {' '.join(parts.jr)}"
    return (given, family) if family else ("", name)


def render_ris(papers) -> str:
    """RIS records (the format EndNote, Zotero and Mendeley import), CRLF as the spec writes."""
    records = []
    for paper in papers:
        kind = entry_type(paper)
        lines = [("TY", RIS_TYPES.get(kind, "GEN")), ("TI", paper.title)]
        for authorship in paper.authorships.all():
            given, family = name_parts(authorship.author.name)
            lines.append(("AU", f"{family}, {given}" if given else family))
        if year := citation_year(paper):
            lines.append(("PY", str(year)))
        if paper.publication_date:
            lines.append(("DA", paper.publication_date.strftime("%Y/%m/%d")))
        if where := container(paper):
            lines.append(("JO" if kind == "article" else "T2", where))
        lines += [("AB", paper.abstract), ("DO", paper.doi), ("UR", address(paper))]
        lines += [("KW", tag.name) for tag in paper_topics(paper)]
        lines.append(("ER", ""))
        records.append(
            "".join(
                f"{tag}  - {_one_line(value)}\r\n" for tag, value in lines if value or tag == "ER"
            )
        )
    return "\r\n".join(records)


def csl_items(papers) -> list[dict]:
    """CSL-JSON items (what citeproc, Zotero and pandoc read), keyed like the BibTeX entries."""
    items, used = [], set()
    for paper in papers:
        key = _unique(citation_key(paper), used)
        kind = entry_type(paper)
        item = {"id": key, "type": CSL_TYPES.get(kind, "article"), "title": paper.title}
        item["author"] = [_csl_name(a.author.name) for a in paper.authorships.all()]
        if paper.publication_date:
            date = paper.publication_date
            item["issued"] = {"date-parts": [[date.year, date.month, date.day]]}
        elif year := citation_year(paper):
            item["issued"] = {"date-parts": [[year]]}
        optional = {
            "container-title": container(paper),
            "DOI": paper.doi,
            "URL": address(paper),
            "abstract": paper.abstract,
            "keyword": ", ".join(tag.name for tag in paper_topics(paper)),
            "number": f"arXiv:{paper.arxiv_id}" if paper.arxiv_id and kind == "misc" else "",
        }
        item.update({name: value for name, value in optional.items() if value})
        items.append(item)
    return items


def plain_citation(paper) -> str:
    """An APA-like line to paste: “Linsley, D., & Roose, A. N. (2024). Title. Venue. URL”."""
    names = [_apa_name(a.author.name) for a in paper.authorships.all()]
    if len(names) > 20:
        names = [*names[:19], "…", names[-1]]
        authors = ", ".join(names)
    elif len(names) > 1:
        authors = ", ".join(names[:-1]) + ", & " + names[-1]
    else:
        authors = "".join(names)
    year = citation_year(paper)
    parts = [f"{authors} ({year or 'n.d.'})." if authors else f"({year or 'n.d.'})."]
    parts.append(_sentence(paper.title))
    if where := container(paper):
        parts.append(_sentence(where))
    elif paper.arxiv_id:
        parts.append(f"arXiv preprint arXiv:{paper.arxiv_id}.")
    if url := address(paper):
        parts.append(url)
    return " ".join(parts)


def _apa_name(name: str) -> str:
    given, family = name_parts(name)
    if not given:
        return family
    initials = " ".join(f"{part[0]}." for part in re.split(r"[\s]+", given) if part)
    return f"{family}, {initials}"


def _csl_name(name: str) -> dict:
    given, family = name_parts(name)
    return {"family": family, "given": given} if given else {"literal": family}


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "?", "!")) else text + "."


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _unique(key: str, used: set) -> str:
    suffixes = iter(string.ascii_lowercase[1:])
    base = key
    while key in used:
        key = base + next(suffixes)
    used.add(key)
    return key
