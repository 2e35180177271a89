import pytest

SITE = "https://reviews.example.org"


@pytest.fixture
def api_get(client):
    """GET an API path and return (response, decoded JSON)."""

    def get(path, **headers):
        response = client.get(f"/api/v1{path}", headers=headers)
        return response, response.json() if response.content else None

    return get
