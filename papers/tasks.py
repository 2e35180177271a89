"""The papers app's background tasks: venue imports off the request (see core.tasks).

Each wraps a service of papers/services.py unchanged; the acting user is passed by id and the
service checks their right, exactly as for an import from the admin. Network trouble while
fetching is retried with backoff; a refused import fails once with the service's message.
"""

from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage

from core.tasks import retried_task
from papers import services
from papers.importers.fetch import fetch_arxiv, fetch_openreview_forum
from papers.models import Conference


def _by(user_id):
    return None if user_id is None else get_user_model().objects.get(pk=user_id)


def _conference(conference_id):
    return None if conference_id is None else Conference.objects.get(pk=conference_id)


def _result(report) -> dict:
    return {
        "created": len(report.created),
        "updated": len(report.updated),
        "lines": report.lines(),
    }


@retried_task()
def import_openreview_forum(
    *, forum: str, conference_id: int | None = None, user_id: int | None = None
) -> dict:
    """Fetch one OpenReview forum from the live API and import its papers and reviews."""
    report = services.import_openreview(
        data=fetch_openreview_forum(forum), conference=_conference(conference_id), by=_by(user_id)
    )
    return _result(report)


@retried_task()
def import_arxiv_ids(
    *, ids: list[str], conference_id: int | None = None, user_id: int | None = None
) -> dict:
    """Fetch arXiv records by id and import them as papers."""
    conference, by = _conference(conference_id), _by(user_id)
    reports = [
        services.import_arxiv(data=data, conference=conference, by=by) for data in fetch_arxiv(ids)
    ]
    return {
        "created": sum(len(r.created) for r in reports),
        "updated": sum(len(r.updated) for r in reports),
        "lines": [line for r in reports for line in r.lines()],
    }


@retried_task()
def import_bibtex_file(
    *, name: str, conference_id: int | None = None, user_id: int | None = None
) -> dict:
    """Import a .bib file stored under `name` in the default storage, then delete it."""
    with default_storage.open(name, "rb") as handle:
        data = handle.read()
    report = services.import_bibtex(
        data=data, conference=_conference(conference_id), by=_by(user_id)
    )
    default_storage.delete(name)
    return _result(report)
