"""Every public list page, admin changelist filter and autocomplete survives hostile parameters.

NUL bytes, overlong values and out-of-range numbers must give 400 or an empty result, never a
500, on SQLite and PostgreSQL. The admin's parameters are read from its own filter specs, so a
new list_filter or date_hierarchy is walked without touching this test.
"""

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from reviews.models import Post
from tests.factories import EntryFactory, UserFactory

pytestmark = pytest.mark.django_db

HOSTILE_VALUES = (
    "\x00",
    "genomics\x00",
    "x" * 2000,
    "99999999999",
    "-99999999999",
    "99999999999999999999999999",
    "1e309",
    "NaN",
    "2023-13-45",
    "' OR 1=1 --",
    "%",
    "../../../../etc/passwd",
)
PUBLIC_PAGES = {
    "/": ("page",),
    "/papers/": ("conference", "year", "topic", "decision", "page"),
    "/conferences/": ("page",),
    "/tags/": ("page",),
    "/tags/genomics/": ("page",),
    "/search/": ("q", "type", "conference", "year", "tag", "page"),
    "/feed/": ("page",),
    "/sitemap.xml": ("p",),
}
ADMIN_PARAMETERS = ("q", "p", "o", "e", "_to_field", "_popup")


@pytest.fixture
def superuser():
    return UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.fixture(autouse=True)
def content():
    entry = EntryFactory(section__post__status=Post.Status.PUBLISHED)
    entry.section.post.tags.add("genomics")
    entry.paper.topics.add("genomics")


def changelist_parameters(model_admin, user):
    """The GET parameters this changelist understands: its filters', date hierarchy's, Django's."""
    request = RequestFactory().get("/")
    request.user = user
    changelist = model_admin.get_changelist_instance(request)
    names = set(ADMIN_PARAMETERS)
    for spec in changelist.filter_specs:
        names.update(spec.expected_parameters())
    if model_admin.date_hierarchy:
        names.update(f"{model_admin.date_hierarchy}__{part}" for part in ("year", "month", "day"))
    return sorted(names)


def autocomplete_targets():
    for model, model_admin in admin.site._registry.items():
        for field_name in model_admin.autocomplete_fields:
            yield model._meta.app_label, model._meta.model_name, field_name


def changelists():
    """Admins of rows: django-rq's Dashboard is a link to its own pages, with no table."""
    return {m: a for m, a in admin.site._registry.items() if m._meta.managed}


def hostile_requests(user):
    for path, names in PUBLIC_PAGES.items():
        for name in names:
            yield False, path, name
    for model, model_admin in changelists().items():
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for name in changelist_parameters(model_admin, user):
            yield True, url, name
    for app_label, model_name, field_name in autocomplete_targets():
        target = f"{reverse('admin:autocomplete')}?app_label={app_label}"
        yield True, f"{target}&model_name={model_name}&field_name={field_name}", "term"


def test_no_hostile_parameter_gives_a_server_error(client, superuser):
    requests = list(hostile_requests(superuser))
    assert len({url for _, url, _ in requests}) >= len(PUBLIC_PAGES) + len(changelists())
    failures = []
    for signed_in, url, name in requests:
        if signed_in:
            client.force_login(superuser)
        else:
            client.logout()
        for value in HOSTILE_VALUES:
            joiner = "&" if "?" in url else "?"
            try:
                status = client.get(url + joiner, {name: value}).status_code
            # The test client re-raises a view's exception: that is the finding, not a crash.
            except Exception as exc:
                status = f"{type(exc).__name__}: {str(exc)[:80]}"
            if not (isinstance(status, int) and status < 500):
                failures.append((url, name, value[:20], status))
    assert failures == []
