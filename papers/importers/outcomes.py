"""What became of a submission, read from the words a source uses: one vocabulary for every
importer. The values are `Paper.Outcome`'s; "" means the words do not say."""

import re

ACCEPTED = {"accepted_oral", "accepted_spotlight", "accepted_poster", "accepted"}
# Checked in order: “Reject” beats “poster”, a withdrawal beats everything.
WORDS = [
    (re.compile(r"desk[\s_-]*reject", re.I), "desk_rejected"),
    (re.compile(r"withdraw", re.I), "withdrawn"),
    (re.compile(r"\breject", re.I), "rejected"),
    (re.compile(r"\boral\b|notable[\s_-]*top[\s_-]*5\b|top[\s_-]*5\s*%", re.I), "accepted_oral"),
    (
        re.compile(r"spotlight|notable[\s_-]*top[\s_-]*25\b|top[\s_-]*25\s*%", re.I),
        "accepted_spotlight",
    ),
    (re.compile(r"\bposter\b", re.I), "accepted_poster"),
    (re.compile(r"\baccept|published as a conference paper|\bto appear\b", re.I), "accepted"),
    (re.compile(r"submitted to|under review", re.I), "under_review"),
]


def outcome_from_words(*texts: str) -> str:
    """The first outcome any of `texts` states (“Accept (Oral)”, “ICLR 2024 poster”)."""
    for text in texts:
        for pattern, outcome in WORDS:
            if text and pattern.search(text):
                return outcome
    return ""


def accepted_tier(*texts: str) -> str:
    """For a paper known to be accepted: oral, spotlight or poster when the words say so."""
    outcome = outcome_from_words(*texts)
    return outcome if outcome in ACCEPTED else "accepted"
