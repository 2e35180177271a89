import os
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SHARED_FORMATS = Path(__file__).resolve().parents[2] / "shared" / "formats"


@pytest.fixture
def example_post_path():
    """The reference Jekyll post; CI always has ../shared, so its absence is a failure."""
    path = SHARED_FORMATS / "jekyll-post-example.md"
    assert path.exists(), f"reference file missing: {path}"
    return path


@pytest.fixture
def curator(db):
    from django.contrib.auth.models import Group

    from reviews.roles import CURATORS
    from tests.factories import UserFactory

    user = UserFactory(username="curator", is_staff=True)
    user.groups.add(Group.objects.get(name=CURATORS))
    return user


@pytest.fixture
def curator_client(client, curator):
    client.force_login(curator)
    return client


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgres` need full-text search or pg_trgm: they run on PostgreSQL only."""
    from django.conf import settings

    if "postgresql" in settings.DATABASES["default"]["ENGINE"]:
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL; CI runs the suite there too")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)
