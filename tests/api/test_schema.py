"""/api/v1/openapi.json is valid OpenAPI 3, describes every field and parameter, and has
examples; the docs page beside it loads nothing from elsewhere."""

import re

import pytest
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate

pytestmark = pytest.mark.django_db

MAIN_SCHEMAS = [
    "PostSummary",
    "PostDetail",
    "PaperSummary",
    "PaperDetail",
    "AuthorDetail",
    "SearchPage",
]
MAIN_OPERATIONS = [
    "/api/v1/posts/",
    "/api/v1/posts/{slug}/",
    "/api/v1/papers/",
    "/api/v1/papers/{slug}/",
    "/api/v1/authors/",
    "/api/v1/authors/{slug}/",
    "/api/v1/search/",
]


@pytest.fixture
def schema(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def test_the_schema_validates_as_openapi_3(schema):
    validate(schema)

    assert schema["openapi"].startswith("3.")
    assert sorted(schema["paths"]) == [
        "/api/v1/authors/",
        "/api/v1/authors/{slug}/",
        "/api/v1/conferences/",
        "/api/v1/conferences/{slug}/",
        "/api/v1/keynotes/",
        "/api/v1/keynotes/{keynote_id}/",
        "/api/v1/papers/",
        "/api/v1/papers/{slug}/",
        "/api/v1/posts/",
        "/api/v1/posts/{slug}/",
        "/api/v1/search/",
        "/api/v1/tags/",
    ]


def test_every_field_is_described(schema):
    undescribed = [
        f"{name}.{field}"
        for name, component in schema["components"]["schemas"].items()
        for field, spec in component.get("properties", {}).items()
        if not spec.get("description")
    ]

    assert undescribed == []


def test_every_operation_and_parameter_is_described(schema):
    undescribed = [
        f"{path} {parameter.get('name', '')}".strip()
        for path, methods in schema["paths"].items()
        for operation in methods.values()
        for parameter in [{}, *operation.get("parameters", [])]
        if not (parameter.get("description") if parameter else operation.get("description"))
    ]

    assert undescribed == []


@pytest.mark.parametrize("name", MAIN_SCHEMAS)
def test_the_main_shapes_carry_examples(schema, name):
    properties = schema["components"]["schemas"][name]["properties"]

    assert [field for field, spec in properties.items() if "examples" in spec]


@pytest.mark.parametrize("route", MAIN_OPERATIONS)
def test_the_main_operations_carry_a_whole_answer_that_fits_their_schema(schema, route):
    content = schema["paths"][route]["get"]["responses"]["200"]["content"]["application/json"]
    document = {"$ref": content["schema"]["$ref"], "components": schema["components"]}

    Draft202012Validator(document).validate(content["example"])
    assert content["example"]["url" if "{slug}" in route else "results"]


def test_an_example_that_breaks_its_schema_is_caught(schema):
    content = schema["paths"]["/api/v1/papers/{slug}/"]["get"]["responses"]["200"]["content"]
    document = {"$ref": content["application/json"]["schema"]["$ref"], **schema}
    broken = {**content["application/json"]["example"], "title": None}

    assert not Draft202012Validator(document).is_valid(broken)


def test_errors_are_documented_as_problem_documents(schema):
    detail = schema["paths"]["/api/v1/posts/{slug}/"]["get"]["responses"]

    assert detail["404"]["content"]["application/problem+json"]["schema"] == {
        "$ref": "#/components/schemas/Problem"
    }


def test_the_docs_page_lists_operations_and_loads_nothing_from_elsewhere(client):
    response = client.get("/api/v1/docs/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert '<a href="/api/v1/openapi.json">' in html
    assert "<code>GET /api/v1/posts/{slug}/</code>" in html
    assert not re.findall(r'src="(?:https?:)?//', html)
    assert not re.findall(r'<link rel="stylesheet" href="(?:https?:)?//', html)
