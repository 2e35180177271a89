"""Live fetches from the OpenReview and arXiv APIs, with timeouts, one retry and polite spacing.

Only the management commands and the admin import page call these. The API addresses can be
pointed elsewhere with the settings PAPERS_OPENREVIEW_APIS and PAPERS_ARXIV_API (tests point
them at a local server).
"""

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings

from papers.importers.records import MAX_IMPORT_BYTES, ImportFailed, raise_too_large

OPENREVIEW_APIS = ["https://api2.openreview.net", "https://api.openreview.net"]
ARXIV_API = "https://export.arxiv.org/api/query"
ARXIV_SPACING = 3.0  # seconds between arXiv requests, as the API's terms ask
ARXIV_BATCH = 20
# A venue is read a page of submissions (with their replies) at a time, a second apart.
OPENREVIEW_PAGE = 100
OPENREVIEW_SPACING = 1.0
VENUE_RETRIES = 3
MAX_RETRY_AFTER = 60.0
TIMEOUT = 20
USER_AGENT = "ConferenceReviews/1.0 (paper import)"

_last_arxiv_request = 0.0
_last_openreview_request = 0.0


def fetch_url(url: str, *, timeout: float = TIMEOUT, retries: int = 1, pause: float = 2.0) -> bytes:
    """The body at `url`; a failed attempt is retried once, then reported in plain words."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    for attempt in range(retries + 1):
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                body = response.read(MAX_IMPORT_BYTES + 1)
            if len(body) > MAX_IMPORT_BYTES:
                raise_too_large(None, MAX_IMPORT_BYTES)
            return body
        except urllib.error.HTTPError as error:
            error.close()  # its body is not read; an open one is a ResourceWarning later
            if (error.code < 500 and error.code != 429) or attempt == retries:
                raise ImportFailed(f"{url} answered HTTP {error.code} ({error.reason}).") from None
            wait = _retry_after(error, pause * 2**attempt)
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            if attempt == retries:
                reason = getattr(error, "reason", error)
                raise ImportFailed(
                    f"Could not reach {urllib.parse.urlsplit(url).netloc} ({reason}); "
                    "check the connection, or import a saved file instead."
                ) from None
            wait = pause * 2**attempt
        time.sleep(wait)
    raise AssertionError("unreachable")


def _retry_after(error: urllib.error.HTTPError, default: float) -> float:
    """A 429's Retry-After seconds (bounded), else the backoff."""
    try:
        seconds = float(error.headers.get("Retry-After", ""))
    except (TypeError, ValueError):
        return default
    return min(max(seconds, default), MAX_RETRY_AFTER)


def fetch_openreview_forum(forum: str, *, apis=None, **options) -> bytes:
    """The forum's notes as the API returns them; API v2 first, then v1 for older venues."""
    apis = apis or getattr(settings, "PAPERS_OPENREVIEW_APIS", OPENREVIEW_APIS)
    query = urllib.parse.urlencode({"forum": forum})
    for api in apis:
        body = fetch_url(f"{api}/notes?{query}", **options)
        try:
            notes = json.loads(body).get("notes")
        except (json.JSONDecodeError, AttributeError):
            raise ImportFailed(f"{api} did not answer with JSON notes.") from None
        if notes:
            return body
    raise ImportFailed(f"OpenReview has no forum with id “{forum}”.")


def fetch_arxiv(ids: list[str], *, api=None, spacing=None, **options) -> list[bytes]:
    """Atom responses for `ids`, 20 ids a request, spaced by `spacing` seconds."""
    global _last_arxiv_request
    api = api or getattr(settings, "PAPERS_ARXIV_API", ARXIV_API)
    spacing = spacing if spacing is not None else ARXIV_SPACING
    bodies = []
    for start in range(0, len(ids), ARXIV_BATCH):
        batch = ids[start : start + ARXIV_BATCH]
        wait = _last_arxiv_request + spacing - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        query = urllib.parse.urlencode({"id_list": ",".join(batch), "max_results": len(batch)})
        try:
            bodies.append(fetch_url(f"{api}?{query}", **options))
        finally:
            _last_arxiv_request = time.monotonic()
    return bodies


@dataclass
class VenuePage:
    """One page of a venue's submissions, each followed by its replies (`forum` set)."""

    offset: int
    submissions: int
    notes: list[dict]
    total: int | None


def fetch_openreview_venue(
    venue: str, *, offset: int = 0, apis=None, page_size=None, spacing=None, **options
) -> Iterator[VenuePage]:
    """Every submission of `venue` from `offset` on, a page at a time, with its replies.

    API v2 lists a venue's submissions (accepted, rejected, withdrawn) under the invitation
    “<venue>/-/Submission”; API v1 venues used “/-/Blind_Submission” (double blind) or
    “/-/Submission”. The first candidate that answers with notes is read to the end.
    """
    apis = apis or getattr(settings, "PAPERS_OPENREVIEW_APIS", OPENREVIEW_APIS)
    page_size = page_size or getattr(settings, "PAPERS_OPENREVIEW_PAGE", OPENREVIEW_PAGE)
    spacing = (
        spacing
        if spacing is not None
        else getattr(settings, "PAPERS_OPENREVIEW_SPACING", OPENREVIEW_SPACING)
    )
    options.setdefault("retries", VENUE_RETRIES)
    options.setdefault("pause", getattr(settings, "PAPERS_OPENREVIEW_RETRY_PAUSE", 2.0))
    candidates = [(apis[0], "Submission")] + [
        (api, kind) for api in apis[1:] for kind in ("Blind_Submission", "Submission")
    ]
    for api, kind in candidates:
        page = _venue_page(api, f"{venue}/-/{kind}", offset, page_size, spacing, options)
        if page.submissions:
            break
    else:
        if offset == 0:
            raise ImportFailed(
                f"OpenReview lists no submissions for the venue “{venue}”: check the id "
                "(e.g. “NeurIPS.cc/2023/Conference”), or import a saved file of its notes."
            )
        return
    while True:
        yield page
        done = page.offset + page.submissions
        if page.submissions < page_size or (page.total is not None and done >= page.total):
            return
        page = _venue_page(api, f"{venue}/-/{kind}", done, page_size, spacing, options)
        if not page.submissions:
            return


def _venue_page(api, invitation, offset, page_size, spacing, options) -> VenuePage:
    global _last_openreview_request
    wait = _last_openreview_request + spacing - time.monotonic()
    if wait > 0:
        time.sleep(wait)
    query = urllib.parse.urlencode(
        {"invitation": invitation, "details": "replies", "offset": offset, "limit": page_size}
    )
    try:
        body = fetch_url(f"{api}/notes?{query}", **options)
    finally:
        _last_openreview_request = time.monotonic()
    try:
        data = json.loads(body)
        submissions = data["notes"]
        if not isinstance(submissions, list):
            raise TypeError
    except (json.JSONDecodeError, UnicodeDecodeError, KeyError, TypeError):
        raise ImportFailed(f"{api} did not answer with JSON notes.") from None
    total = data.get("count") if isinstance(data.get("count"), int) else None
    return VenuePage(offset=offset, submissions=len(submissions), notes=submissions, total=total)
