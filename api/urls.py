"""The API instance and its routes: /api/v1/ (operations), openapi.json, and a docs page."""

import json
from functools import cache
from pathlib import Path

from django.http import JsonResponse
from django.urls import path
from django.views.generic import TemplateView
from ninja import NinjaAPI

from api import problems
from api.endpoints import catalogue, papers, people, posts
from api.endpoints import search as search_endpoints
from api.serialize import site_url

EXAMPLES_FILE = Path(__file__).with_name("examples.json")


@cache
def response_examples() -> dict:
    """Whole answers of the main operations, by path: taken from the demo site, lists cut short."""
    return json.loads(EXAMPLES_FILE.read_text(encoding="utf-8"))


class ReadApi(NinjaAPI):
    def get_openapi_schema(self, **kwargs):
        """Error answers are documented with the media type they are sent with, and the main
        operations' answers carry a whole example."""
        schema = super().get_openapi_schema(**kwargs)
        for route, methods in schema["paths"].items():
            if route in response_examples():
                responses = methods["get"]["responses"]
                ok = responses.get(200, responses.get("200"))["content"]["application/json"]
                ok["example"] = response_examples()[route]
            for operation in methods.values():
                for status, answer in operation["responses"].items():
                    if int(status) >= 400 and "application/json" in answer.get("content", {}):
                        content = answer["content"]
                        content[problems.PROBLEM_TYPE] = content.pop("application/json")
        return schema


api = ReadApi(
    title="Conference Reviews API",
    version="1",
    description=(
        "Read-only JSON for what anonymous readers of the site may see: published posts and "
        "the papers, keynotes, conferences and tags they feature. Pages carry `next` and "
        "`previous` links; every answer has an `ETag`; errors are `application/problem+json`."
    ),
    urls_namespace="api",
    docs_url=None,
)
problems.install(api)
api.add_router("", posts.router)
api.add_router("", papers.router)
api.add_router("", people.router)
api.add_router("", catalogue.router)
api.add_router("", search_endpoints.router)


class DocsView(TemplateView):
    """Our own docs page: the operations and a link to the schema; no script, no CDN."""

    template_name = "api/docs.html"

    def get_context_data(self, **kwargs):
        schema = api.get_openapi_schema()
        operations = [
            {"method": method.upper(), "path": route, **operation}
            for route, methods in schema["paths"].items()
            for method, operation in methods.items()
        ]
        return super().get_context_data(schema=schema, operations=operations, **kwargs)


def index(request):
    """The API's root: where each collection, the schema and the docs are."""
    names = ["post", "paper", "author", "conference", "keynote", "tag"]
    links = {f"{name}s": site_url(f"api:{name}-list") for name in names}
    links["search"] = site_url("api:search")
    links |= {"openapi": site_url("api:openapi-json"), "docs": site_url("api-docs")}
    return JsonResponse(links)


urlpatterns = [
    path("v1/", index, name="api-index"),
    path("v1/docs/", DocsView.as_view(), name="api-docs"),
    path("v1/", api.urls),
]
