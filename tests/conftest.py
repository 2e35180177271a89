import os

import pytest

from tests.fixtures import POSTS

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

REFERENCE_POST = POSTS / "jekyll-post-example.md"


def pytest_collection_modifyitems(config, items):
    """PostgreSQL-only tests are deselected on SQLite (CI runs both), never reported as skipped."""
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        return
    kept = [item for item in items if item.get_closest_marker("postgres") is None]
    if len(kept) != len(items):
        config.hook.pytest_deselected(items=[i for i in items if i not in kept])
        items[:] = kept


@pytest.fixture
def example_post_path():
    """The reference Jekyll post: the blog's exact format and quirks, in the project's words."""
    return REFERENCE_POST


@pytest.fixture
def curator(db):
    from reviews.workflow.roles import CURATORS
    from tests.factories import staff_member

    return staff_member("curator", CURATORS)


@pytest.fixture
def curator_client(client, curator):
    client.force_login(curator)
    return client


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache, as a fresh server would."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def media_root(settings, tmp_path):
    """A MEDIA_ROOT of the test's own, so file assertions see only this test's files."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
