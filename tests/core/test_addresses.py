"""The client's address: the connection's, or the one the trusted proxies saw."""

import pytest

from core.addresses import forwarded_client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("header", "proxies", "client"),
    [
        ("203.0.113.9", 1, "203.0.113.9"),
        ("198.51.100.1, 203.0.113.9", 1, "203.0.113.9"),
        ("198.51.100.1, 203.0.113.9", 2, "198.51.100.1"),
        ("forged, 198.51.100.1, 203.0.113.9", 2, "198.51.100.1"),
        ("2001:db8::1", 1, "2001:db8::1"),
        ("203.0.113.9", 2, None),
        ("not-an-address", 1, None),
        ("203.0.113.9\x00", 1, None),
        ("", 1, None),
        ("203.0.113.9", 0, None),
    ],
)
def test_the_client_is_the_address_the_outermost_trusted_proxy_saw(header, proxies, client):
    assert forwarded_client(header, proxies=proxies) == client


def test_without_a_trusted_proxy_the_header_is_ignored(client, settings):
    settings.API_RATE_LIMIT = 1
    settings.TRUSTED_PROXY_COUNT = 0

    first = client.get("/api/v1/tags/", headers={"X-Forwarded-For": "198.51.100.1"})
    forged = client.get("/api/v1/tags/", headers={"X-Forwarded-For": "198.51.100.2"})

    assert (first.status_code, forged.status_code) == (200, 429)


def test_behind_one_proxy_each_forwarded_client_has_its_own_limit(client, settings):
    settings.API_RATE_LIMIT = 1
    settings.TRUSTED_PROXY_COUNT = 1

    def get(forwarded_for):
        return client.get("/api/v1/tags/", headers={"X-Forwarded-For": forwarded_for})

    first = get("198.51.100.1")
    again = get("198.51.100.1")
    spoofed = get("203.0.113.5, 198.51.100.1")
    other = get("198.51.100.2")

    assert [r.status_code for r in (first, again, spoofed, other)] == [200, 429, 429, 200]
