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

from django.conf import settings

from papers.importers.records import MAX_IMPORT_BYTES, ImportFailed, raise_too_large

OPENREVIEW_APIS = ["https://api2.openreview.net", "https://api.openreview.net"]
ARXIV_API = "https://export.arxiv.org/api/query"
ARXIV_SPACING = 3.0  # seconds between arXiv requests, as the API's terms ask
ARXIV_BATCH = 20
TIMEOUT = 20
USER_AGENT = "ConferenceReviews/1.0 (paper import)"

_last_arxiv_request = 0.0


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
            if (error.code < 500 and error.code != 429) or attempt == retries:
                raise ImportFailed(f"{url} answered HTTP {error.code} ({error.reason}).") from None
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            if attempt == retries:
                reason = getattr(error, "reason", error)
                raise ImportFailed(
                    f"Could not reach {urllib.parse.urlsplit(url).netloc} ({reason}); "
                    "check the connection, or import a saved file instead."
                ) from None
        time.sleep(pause)
    raise AssertionError("unreachable")


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
