"""OpenReview notes (API v2 and v1) -> PaperRecords with their review excerpts.

API v2 wraps every content field as {"value": ...} and lists `invitations`; API v1 holds plain
values, a single `invitation`, `TL;DR` instead of `TLDR` and signatures like
".../Paper36/AnonReviewer5". Both shapes are read by the same code through `_value`.
"""

import datetime
import json
import re

from papers.importers.outcomes import accepted_tier, outcome_from_words
from papers.importers.records import (
    AuthorRecord,
    ConferenceRecord,
    ExcerptRecord,
    ImportFailed,
    LinkRecord,
    PaperRecord,
)

SITE = "https://openreview.net"
SUBMISSION_TYPES = {
    "Submission",
    "Blind_Submission",
    "Withdrawn_Submission",
    "Desk_Rejected_Submission",
    "Post_Submission",
}
REVIEW_TYPES = {"Official_Review", "Review"}
META_REVIEW_TYPES = {"Meta_Review", "Metareview"}
DECISION_TYPES = {"Decision", "Acceptance_Decision"}
# Replies that carry no review to quote; skipped without a warning.
QUIET_TYPES = {
    "Official_Comment",
    "Public_Comment",
    "Comment",
    "Withdrawal",
    "Desk_Rejection",
    "Revision",
    "Camera_Ready_Revision",
    "Rebuttal",
    "Author_Rebuttal",
    "Ethics_Review",
    "Ethics_Meta_Review",
    "Edit",
    "Withdrawal_Confirmation",
    "Withdrawal_Request",
    "Supplementary_Material",
}
REVIEW_TEXT_FIELDS = ["summary", "strengths", "weaknesses", "questions", "review"]
META_TEXT_FIELDS = ["metareview", "meta_review"]
SCORE_FIELDS = ["soundness", "presentation", "contribution"]
# Submission fields that carry a link, by the kind of link (venues name them differently).
LINK_FIELDS = [
    ("code", ["code", "code_url", "code_link", "github", "software"]),
    ("data", ["data", "dataset", "datasets", "data_url", "dataset_url"]),
    ("project", ["project_page", "project_url", "website", "webpage"]),
    ("slides", ["slides", "presentation_slides"]),
]
URL_IN_TEXT_RE = re.compile(r"https?://[^\s<>()\[\]\"']+")
NUMBER_RE = re.compile(r"^\s*(-?\d+(?:\.\d+)?)")
YEAR_SEGMENT_RE = re.compile(r"^(?:19|20)\d\d$")
OUTCOME_SUFFIXES = [
    ("/Withdrawn_Submission", "withdrawn"),
    ("/Desk_Rejected_Submission", "desk_rejected"),
    ("/Rejected_Submission", "rejected"),
    ("/Submission", "under_review"),
]


def load_notes(raw: bytes | str) -> list[dict]:
    """The notes of `{"notes": [...]}` (the API's response), a bare list, or one note."""
    try:
        data = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ImportFailed(f"The file is not valid JSON: {error}.") from None
    if isinstance(data, dict) and "notes" in data:
        data = data["notes"]
    elif isinstance(data, dict):
        data = [data]
    if not isinstance(data, list) or not all(isinstance(note, dict) for note in data):
        raise ImportFailed(
            'Expected OpenReview notes: {"notes": [...]}, a list of notes, or one note.'
        )
    if not data:
        raise ImportFailed("The file holds no OpenReview notes.")
    for note in data:
        if not note.get("id") or not isinstance(note.get("content"), dict):
            raise ImportFailed(
                f"Note {note.get('id') or '(without id)'} is not an OpenReview note: "
                "it needs an id and a content object."
            )
    return data


def parse_notes(notes: list[dict]) -> list[PaperRecord]:
    """One PaperRecord per forum, in the order the submissions appear."""
    forums: dict[str, list[dict]] = {}
    seen = set()
    for note in notes:
        if note["id"] in seen:
            raise ImportFailed(f"Note {note['id']} appears twice in the file.")
        seen.add(note["id"])
        forums.setdefault(note.get("forum") or note["id"], []).append(note)
    return [_parse_forum(forum, forum_notes) for forum, forum_notes in forums.items()]


def venue_forums(notes: list[dict]) -> list[tuple[str, list[dict]]]:
    """A venue's notes grouped by forum, in the order the forums first appear.

    A venue listing (`details=replies`) nests each submission's replies under
    `details.replies` (or `details.directReplies`); a saved file may also hold them as notes of
    their own. A note listed twice (nested and flat) counts once.
    """
    forums: dict[str, list[dict]] = {}
    seen = set()
    for note in notes:
        details = note.get("details") if isinstance(note.get("details"), dict) else {}
        nested = details.get("replies") or details.get("directReplies") or []
        for item in [note, *nested]:
            if not _is_note(item) or item["id"] in seen:
                continue
            seen.add(item["id"])
            forum = item.get("forum") or (note["id"] if item is not note else item["id"])
            forums.setdefault(forum, []).append({**item, "forum": forum})
    return list(forums.items())


def parse_forum(forum: str, notes: list[dict]) -> PaperRecord:
    """One forum's notes (its submission and replies) -> its PaperRecord."""
    return _parse_forum(forum, notes)


def submission_title(forum: str, notes: list[dict]) -> str:
    """The forum's title for a report line, even when the forum cannot be parsed."""
    submission = next((note for note in notes if note["id"] == forum), None)
    return _text(_value(submission["content"], "title")) if submission else ""


def _is_note(item) -> bool:
    return isinstance(item, dict) and bool(item.get("id")) and isinstance(item.get("content"), dict)


def note_type(note: dict) -> str:
    """The invitation's last segment ("Official_Review"); v2 lists several, v1 has one."""
    invitations = note.get("invitations") or [note.get("invitation") or ""]
    types = [invitation.rsplit("/-/", 1)[-1].rsplit("/", 1)[-1] for invitation in invitations]
    known = SUBMISSION_TYPES | REVIEW_TYPES | META_REVIEW_TYPES | DECISION_TYPES | QUIET_TYPES
    for kind in types:
        if kind in known and kind != "Edit":
            return kind
    return types[0] if types else ""


def _parse_forum(forum: str, notes: list[dict]) -> PaperRecord:
    submission = next((n for n in notes if n["id"] == forum), None)
    if submission is None:
        if len(notes) == 1:
            kind = note_type(notes[0]) or "(no invitation)"
            raise ImportFailed(
                f"Note {notes[0]['id']} is of unknown type “{kind}”: expected a submission "
                "(its invitation should end in /-/Submission or /-/Blind_Submission)."
            )
        raise ImportFailed(f"Forum {forum} has no submission note (a note whose id is {forum}).")
    content = submission["content"]
    title = _text(_value(content, "title"))
    if not title:
        raise ImportFailed(f"Note {forum} has no title.")
    record = PaperRecord(source="openreview", title=title, openreview_id=forum)
    names = _value(content, "authors") or []
    ids = _value(content, "authorids") or []
    record.authors = [
        AuthorRecord(name=_text(name), openreview_id=_profile_id(ids, i))
        for i, name in enumerate(names)
        if _text(name)
    ]
    record.abstract = _text(_value(content, "abstract"))
    record.tldr = _text(_value(content, "TLDR") or _value(content, "TL;DR"))
    keywords = _value(content, "keywords") or []
    if isinstance(keywords, str):
        keywords = keywords.split(",")
    record.topics = [_text(k) for k in keywords if _text(k)]
    record.primary_area = _text(_value(content, "primary_area")).replace("_", " ")
    record.venue = _text(_value(content, "venue"))
    record.bibtex = _text(_value(content, "_bibtex"))
    venue_id = _text(_value(content, "venueid"))
    record.conference = _conference(venue_id or _invitation(submission))
    record.publication_date = _date(
        submission.get("pdate") or submission.get("odate") or submission.get("cdate")
    )
    record.links.append(LinkRecord("openreview", f"{SITE}/forum?id={forum}"))
    pdf = _text(_value(content, "pdf"))
    if pdf:
        # A path on OpenReview becomes absolute; anything else meets the URL gate as it is.
        record.links.append(LinkRecord("pdf", SITE + pdf if pdf.startswith("/") else pdf))
    for kind, names in LINK_FIELDS:
        if url := next(filter(None, (_link(_value(content, name)) for name in names)), ""):
            record.links.append(LinkRecord(kind, url))

    decision = ""
    replies = sorted(
        (n for n in notes if n is not submission), key=lambda n: (n.get("cdate") or 0, n["id"])
    )
    reviews = 0
    for note in replies:
        kind = note_type(note)
        if kind in REVIEW_TYPES:
            reviews += 1
            record.excerpts += _review_excerpts(forum, note, "official_review", REVIEW_TEXT_FIELDS)
        elif kind in META_REVIEW_TYPES:
            record.excerpts += _review_excerpts(forum, note, "meta_review", META_TEXT_FIELDS)
        elif kind in DECISION_TYPES:
            decision = _text(_value(note["content"], "decision"))
            record.excerpts += _decision_excerpts(forum, note, decision)
        elif kind not in QUIET_TYPES and kind not in SUBMISSION_TYPES:
            record.warnings.append(f"Skipped note {note['id']} of unknown type “{kind}”.")
    if not reviews:
        record.warnings.append(
            f"Forum {forum} has no official reviews: the paper was read without review excerpts."
        )
    record.decision = decision or record.venue
    record.outcome = _outcome(venue_id, record.venue, decision, note_type(submission))
    return record


def _review_excerpts(forum, note, source_kind, text_fields) -> list[ExcerptRecord]:
    content = note["content"]
    rating, rating_label = _score(_value(content, "rating") or _value(content, "recommendation"))
    confidence, confidence_label = _score(_value(content, "confidence"))
    scores = {}
    for name in SCORE_FIELDS:
        if name in content:
            number, label = _score(_value(content, name))
            scores[name] = {"value": number, "label": label}
    known = {*text_fields, *SCORE_FIELDS, "rating", "recommendation", "confidence"}
    extra = {key: _value(content, key) for key in content if key not in known}
    common = {
        "source_kind": source_kind,
        "note_id": note["id"],
        "reviewer_label": reviewer_label(note),
        "rating": rating,
        "rating_label": rating_label,
        "confidence": confidence,
        "confidence_label": confidence_label,
        "scores": scores,
        "extra": extra,
        "source_url": f"{SITE}/forum?id={forum}&noteId={note['id']}",
    }
    return [
        ExcerptRecord(field=name, text=_text(_value(content, name)), **common)
        for name in text_fields
        if _text(_value(content, name))
    ]


def _decision_excerpts(forum, note, decision) -> list[ExcerptRecord]:
    content = note["content"]
    text = _text(_value(content, "comment")) or decision
    if not text:
        return []
    extra = {key: _value(content, key) for key in content if key not in {"comment", "decision"}}
    return [
        ExcerptRecord(
            source_kind="decision",
            note_id=note["id"],
            field="comment" if _value(content, "comment") else "decision",
            text=text,
            reviewer_label=reviewer_label(note),
            rating_label=decision,
            extra=extra,
            source_url=f"{SITE}/forum?id={forum}&noteId={note['id']}",
        )
    ]


def reviewer_label(note: dict) -> str:
    """“Reviewer ab3X” from an anonymous signature; never a profile's real name."""
    signature = (note.get("signatures") or [""])[0]
    last = signature.rsplit("/", 1)[-1]
    if match := re.fullmatch(r"AnonReviewer(\w+)", last):
        return f"Reviewer {match[1]}"
    if match := re.fullmatch(r"Reviewer_(\w+)", last):
        return f"Reviewer {match[1]}"
    if match := re.fullmatch(r"Area_Chair_?(\w+)", last):
        return f"Area Chair {match[1]}"
    if last in {"Program_Chairs", "Senior_Area_Chairs", "Area_Chairs"}:
        return last.replace("_", " ")
    # A named signature (a "~Profile1" id): label by the note, not the person.
    return f"Reviewer {note['id'][-4:]}"


def _link(value) -> str:
    """The address in a link field: an OpenReview attachment path, a URL, or the first URL in a
    sentence (“Code: https://github.com/…”)."""
    text = _text(value)
    if text.startswith("/"):
        return SITE + text
    match = URL_IN_TEXT_RE.search(text)
    return match[0].rstrip(".,;") if match else ""


def _value(content: dict, key: str):
    value = content.get(key)
    if isinstance(value, dict):  # API v2; a field hidden from the public has no "value"
        return value.get("value")
    return value


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(_text(v) for v in value)
    return str(value).strip()


def _score(value) -> tuple[float | None, str]:
    if value is None or value == "":
        return None, ""
    if isinstance(value, int | float):
        return float(value), str(value)
    match = NUMBER_RE.match(str(value))
    return (float(match[1]) if match else None), str(value).strip()


def _profile_id(ids, index) -> str:
    if index < len(ids) and isinstance(ids[index], str) and ids[index].startswith("~"):
        return ids[index]
    return ""


def _invitation(note) -> str:
    return (note.get("invitations") or [note.get("invitation") or ""])[0]


def _conference(group: str) -> ConferenceRecord | None:
    """ICLR 2024 from “ICLR.cc/2024/Conference/...”: the segment before the year, less its domain."""
    segments = group.split("/")
    for i, segment in enumerate(segments):
        if YEAR_SEGMENT_RE.match(segment) and i > 0:
            name = segments[i - 1].split(".")[0]
            return ConferenceRecord(short_name=name, year=int(segment)) if name else None
    return None


def _outcome(venue_id: str, venue: str, decision: str, submission_type: str) -> str:
    """API v2 files a submission under a venue id: the conference's own id once accepted, a
    …/Withdrawn_Submission (etc.) group otherwise. API v1 has only the notes and their words."""
    if venue_id:
        for suffix, outcome in OUTCOME_SUFFIXES:
            if venue_id.endswith(suffix):
                return outcome_from_words(decision) or outcome
        return accepted_tier(decision, venue)
    if submission_type == "Withdrawn_Submission":
        return "withdrawn"
    if submission_type == "Desk_Rejected_Submission":
        return "desk_rejected"
    return outcome_from_words(decision, venue)


def _date(milliseconds) -> datetime.date | None:
    if not isinstance(milliseconds, int | float):
        return None
    return datetime.datetime.fromtimestamp(milliseconds / 1000, tz=datetime.UTC).date()
