"""What every endpoint promises: pagination, ETag/304, CORS, problem+json, 400 for hostile input,
429 past the rate limit, and the page cache's invalidation."""

import pytest
from django.urls import reverse

from reviews.models import Post
from tests.api.conftest import SITE

pytestmark = pytest.mark.django_db

ENDPOINTS = [
    "/posts/",
    "/papers/",
    "/conferences/",
    "/keynotes/",
    "/tags/",
    "/search/?q=topic",
    "/openapi.json",
]


@pytest.fixture
def posts(post_builder):
    return [post_builder(entries=1) for _ in range(3)]


def test_pages_link_to_their_neighbours(api_get, posts):
    _, first = api_get("/posts/?page_size=2&tag=conference-review")
    _, second = api_get("/posts/?page_size=2&tag=conference-review&page=2")

    assert first["count"] == 3
    assert first["next"] == f"{SITE}/api/v1/posts/?page_size=2&tag=conference-review&page=2"
    assert first["previous"] is None
    assert second["previous"] == f"{SITE}/api/v1/posts/?page_size=2&tag=conference-review&page=1"
    assert second["next"] is None
    assert [p["slug"] for p in first["results"] + second["results"]] == [
        p.slug for p in Post.objects.order_by("-published_at", "-created_at")
    ]


def test_a_page_past_the_end_is_empty_and_links_back_to_the_last(api_get, posts):
    _, body = api_get("/posts/?page=9")

    assert (body["results"], body["next"]) == ([], None)
    assert body["previous"] == f"{SITE}/api/v1/posts/?page=1"


def test_page_size_is_capped_at_100(api_get):
    response, body = api_get("/posts/?page_size=101")

    assert response.status_code == 400
    assert body["detail"] == "page_size: Input should be less than or equal to 100"


@pytest.mark.parametrize("path", ENDPOINTS)
def test_every_endpoint_answers_an_etag_and_304_when_it_matches(client, posts, path):
    first = client.get(f"/api/v1{path}")
    again = client.get(f"/api/v1{path}", headers={"If-None-Match": first["ETag"]})

    assert first.status_code == 200
    assert first["ETag"].startswith('"')
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]


def test_the_etag_changes_with_the_content(client, posts):
    first = client.get("/api/v1/posts/")
    posts[0].title = "Renamed"
    posts[0].save()

    again = client.get("/api/v1/posts/", headers={"If-None-Match": first["ETag"]})

    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]


@pytest.mark.parametrize("path", [*ENDPOINTS, "/posts/nope/", "/posts/?page=0"])
def test_cors_is_open_for_reading_without_credentials(client, path):
    response = client.get(f"/api/v1{path}", headers={"Origin": "https://lab.example"})

    assert response["Access-Control-Allow-Origin"] == "*"
    assert not response.has_header("Access-Control-Allow-Credentials")


def test_a_preflight_request_is_answered(client):
    response = client.options(
        "/api/v1/posts/",
        headers={"Origin": "https://lab.example", "Access-Control-Request-Method": "GET"},
    )

    assert response.status_code == 204
    assert response["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"


def test_writes_are_not_allowed(client):
    response = client.post("/api/v1/posts/")

    assert response.status_code == 405
    assert response["Allow"] == "GET"
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"] == "This API is read-only: use GET."


def test_head_answers_the_headers_of_get(client, posts):
    get = client.get("/api/v1/posts/")
    head = client.head("/api/v1/posts/")

    assert head.status_code == 200
    assert head.content == b""
    assert head["ETag"] == get["ETag"]


@pytest.mark.parametrize(
    ("path", "detail"),
    [
        ("/posts/nope/", "No Post matches the given query."),
        ("/papers/nope/", "No Paper matches the given query."),
        ("/conferences/nope/", "No Conference matches the given query."),
        ("/nothing-here/", "No API operation at this address; see /api/v1/docs/."),
    ],
)
def test_not_found_is_a_problem_document(api_get, path, detail):
    response, body = api_get(path)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert body == {"type": "about:blank", "title": "Not Found", "status": 404, "detail": detail}


HOSTILE = [
    "/posts/?conference=a%00b",
    "/posts/?tag=" + "x" * 10_000,
    "/posts/?year=99999999999999999999999999",
    "/posts/?year=-1",
    "/posts/?year=abc",
    "/posts/?page=99999999999999999999",
    "/posts/?page=0",
    "/posts/?page_size=0",
    "/posts/%00/",
    "/posts/" + "x" * 10_000 + "/",
    "/papers/?decision=a%00b",
    "/papers/?decision=" + "x" * 10_000,
    "/papers/?outcome=maybe",
    "/papers/?topic=%F0%9F%92%A9",
    "/papers/" + "x" * 10_000 + "/",
    "/conferences/?year=1e309",
    "/keynotes/?conference=" + "x" * 10_000,
    "/tags/?page=1.5",
    "/search/?q=a%00b",
    "/search/?q=" + "x" * 10_000,
    "/search/?type=nonsense",
    "/search/?q=x&page=99999999999999999999",
]


@pytest.mark.parametrize("path", HOSTILE, ids=[h[:40] for h in HOSTILE])
def test_hostile_parameters_answer_400_with_a_detail(api_get, path):
    response, body = api_get(path)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert body["status"] == 400
    assert body["detail"]


def test_past_the_rate_limit_an_address_gets_429_with_retry_after(client, settings):
    settings.API_RATE_LIMIT = 3

    answers = [client.get("/api/v1/tags/") for _ in range(4)]
    other = client.get("/api/v1/tags/", REMOTE_ADDR="192.0.2.7")

    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    refused = answers[-1]
    assert refused["Content-Type"] == "application/problem+json"
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused.json()["detail"].startswith("Too many requests from this address")
    assert other.status_code == 200


def test_the_page_cache_serves_the_api_until_a_publish(client, settings, posts):
    settings.PAGE_CACHE_SECONDS = 300
    first = client.get("/api/v1/posts/")
    hit = client.get("/api/v1/posts/", headers={"If-None-Match": first["ETag"]})
    draft = Post.objects.create(title="Fresh", slug="fresh", status=Post.Status.DRAFT)
    draft.status = Post.Status.PUBLISHED
    draft.save()

    after = client.get("/api/v1/posts/")

    assert first["X-Page-Cache"] == "miss"
    assert (hit.status_code, hit["Access-Control-Allow-Origin"]) == (304, "*")
    assert after["X-Page-Cache"] == "miss"
    assert after.json()["results"][0]["slug"] == "fresh"


def test_the_index_links_every_collection(client):
    body = client.get(reverse("api-index")).json()

    assert body == {
        "posts": f"{SITE}/api/v1/posts/",
        "papers": f"{SITE}/api/v1/papers/",
        "authors": f"{SITE}/api/v1/authors/",
        "conferences": f"{SITE}/api/v1/conferences/",
        "keynotes": f"{SITE}/api/v1/keynotes/",
        "tags": f"{SITE}/api/v1/tags/",
        "search": f"{SITE}/api/v1/search/",
        "openapi": f"{SITE}/api/v1/openapi.json",
        "docs": f"{SITE}/api/v1/docs/",
    }
