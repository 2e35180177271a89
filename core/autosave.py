"""What an autosave keeps of a change form (a post's, a section's, an entry's, a paper's): [name,
value] pairs of text in page order, within limits, without the request's secrets or the version
the form claims. Each app stores them per user and record (reviews.workflow.autosave,
papers.autosave)."""

from core.line_endings import normalise_line_endings

MAX_FIELDS = 5000
MAX_CHARS = 2_000_000
# Never stored: secrets of the request, and the version the form claims when it saves.
NOT_STORED = {"csrfmiddlewaretoken", "version"}


class AutosaveRefused(Exception):
    """The submitted form state cannot be stored; the message says why."""


def clean_form_data(form_data) -> list[list[str]]:
    """The pairs to store, or AutosaveRefused naming what is wrong with them."""
    if not isinstance(form_data, list) or not all(
        isinstance(pair, list | tuple)
        and len(pair) == 2
        and all(isinstance(part, str) for part in pair)
        for pair in form_data
    ):
        raise AutosaveRefused("The form state must be a list of [name, value] pairs of text.")
    if len(form_data) > MAX_FIELDS:
        raise AutosaveRefused(
            f"The form has {len(form_data)} fields; at most {MAX_FIELDS} are kept."
        )
    if sum(len(name) + len(value) for name, value in form_data) > MAX_CHARS:
        raise AutosaveRefused(f"The form holds more than {MAX_CHARS:,} characters; not kept.")
    return [
        [name, normalise_line_endings(value)] for name, value in form_data if name not in NOT_STORED
    ]
