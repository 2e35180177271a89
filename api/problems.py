"""Errors as RFC 9457 problem documents (`application/problem+json`) with a clear `detail`."""

import json
from http import HTTPStatus

from django.http import Http404, HttpResponse
from ninja.errors import HttpError, ValidationError

PROBLEM_TYPE = "application/problem+json"


def problem(status: int, detail: str, **headers) -> HttpResponse:
    body = {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
    }
    response = HttpResponse(json.dumps(body), status=status, content_type=PROBLEM_TYPE)
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def _where(error: dict) -> str:
    return ".".join(str(part) for part in error.get("loc", ())[1:]) or "request"


def validation_problem(request, exc: ValidationError) -> HttpResponse:
    """A bad parameter is the reader's mistake: 400 naming each parameter, never 422 or 500."""
    details = [f"{_where(error)}: {error.get('msg', 'invalid value')}" for error in exc.errors]
    return problem(400, "; ".join(details) or "Invalid request parameters.")


def not_found_problem(request, exc: Http404) -> HttpResponse:
    return problem(404, str(exc) or "Nothing public at this address.")


def http_error_problem(request, exc: HttpError) -> HttpResponse:
    return problem(exc.status_code, str(exc))


def install(api) -> None:
    api.add_exception_handler(ValidationError, validation_problem)
    api.add_exception_handler(Http404, not_found_problem)
    api.add_exception_handler(HttpError, http_error_problem)
