"""A restored site serves every URL the original served, byte for byte, media included.

The demo (plus an uploaded cover and slide, a draft and a second published post) is exported,
the instance emptied (rows, users and media folder), the archive restored, and every public
URL compared: pages, feeds, sitemap, .md, .bib, the API, and every media URL any of them
names (originals and every rendition in a srcset).
"""

import html
import re
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.exceptions import NoReverseMatch

from core.backup import delete_content, existing_content, export_site, import_site
from papers.models import Paper
from reviews.demo import load_demo
from reviews.models import GalleryImage
from reviews.workflow.publishing import publish_post
from tests.factories import PeerReviewExcerptFactory, PostFactory
from tests.imagefiles import slide, upload

pytestmark = pytest.mark.django_db

NOT_PUBLIC = ("/admin/",)
# Any same-site path in a page, a feed, the sitemap or a JSON document, relative or absolute,
# where an attribute, an element, a srcset item or a JSON string starts.
SITE_HOST = re.escape(urlsplit(django_settings.SITE_URL).netloc)
LINK = re.compile(
    r"""(?<=["'>\s(,])(?:https?://(?:testserver|""" + SITE_HOST + r"""))?(/[^\s"'<>()\\,?#]*)"""
)


def _named_patterns(patterns, prefix="", namespace=""):
    """(url name, converter names) of every public named pattern, however deeply included."""
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if f"/{route}".startswith(NOT_PUBLIC):
            continue
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _named_patterns(pattern.url_patterns, route, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", list(pattern.pattern.converters)


def _candidate_values():
    """Every slug and primary key in the database: what a URL argument can be."""
    values = set()
    for model in apps.get_models():
        if not model._meta.managed:
            continue  # no table (django-rq's admin-only Dashboard)
        for name in [
            f.name for f in model._meta.concrete_fields if f.get_internal_type() == "SlugField"
        ]:
            values.update(model._default_manager.values_list(name, flat=True))
        values.update(str(pk) for pk in model._default_manager.values_list("pk", flat=True))
    return sorted(values)


def _url_name(path):
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


CSRF_TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]*"')


def _body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    # A form's CSRF token is new on every request (the video suggestion pages).
    return CSRF_TOKEN.sub(b'name="csrfmiddlewaretoken" value=""', response.content)


def _links(body: bytes) -> set[str]:
    text = html.unescape(body.decode("utf-8", "replace"))
    return {path for path in LINK.findall(text) if not path.startswith(NOT_PUBLIC)}


def crawl():
    """Every public URL a visitor reaches, {url: (status, body)}, and the patterns never reached.

    Starts from every pattern without arguments and follows same-site links in every answer;
    a named pattern no link reached is tried with every slug and key in the database.
    """
    visitor = Client()
    patterns = dict(_named_patterns(get_resolver().url_patterns))
    queue = [reverse(name) for name, arguments in patterns.items() if not arguments]
    answers, reached = {}, set()

    def visit(url):
        if url in answers or _url_name(url) is None:
            return
        response = visitor.get(url)
        answers[url] = (response.status_code, _body(response))
        if response.status_code == 200:
            reached.add(_url_name(url))
            if not url.startswith(django_settings.MEDIA_URL):
                queue.extend(_links(answers[url][1]))

    while queue:
        visit(queue.pop())
    # Two patterns may share a URL (the API's root and our index page): both are reached.
    fixed = {name: reverse(name) for name, arguments in patterns.items() if not arguments}
    reached |= {name for name, url in fixed.items() if answers.get(url, (None,))[0] == 200}
    for name, arguments in patterns.items():
        if name in reached or len(arguments) != 1:
            continue
        for value in _candidate_values():
            try:
                url = reverse(name, kwargs={arguments[0]: value})
            except NoReverseMatch:
                continue
            visit(url)
            while queue:
                visit(queue.pop())
    public = {url: body for url, (status, body) in answers.items() if status == 200}
    return public, sorted(set(patterns) - reached)


@pytest.fixture
def demo_site(curator, settings, tmp_path):
    """The demo, an uploaded cover and slide, a featured excerpt, a draft and a second post."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    demo = load_demo()[0]
    demo.cover_image = upload("cover.png", slide(1200, 675))
    demo.save()
    GalleryImage.objects.create(
        entry=demo.sections.first().entries.first(),
        image=upload("uploaded-slide.png", slide(1600, 900, color=(120, 20, 20))),
        alt_text="An uploaded slide",
        order=99,
    )
    PeerReviewExcerptFactory(paper=Paper.objects.first(), featured=True, order=50)
    PostFactory(title="A draft nobody sees", slug="secret-draft", conference=demo.conference)
    second = PostFactory(title="Second review", slug="second-review", conference=demo.conference)
    second.tags.set(["conference review", "health"])
    publish_post(post=second, by=curator)
    return demo


def test_a_restore_into_an_empty_instance_serves_every_url_the_original_served(
    demo_site, settings, tmp_path, django_capture_on_commit_callbacks
):
    before, unreached = crawl()
    media = sorted(url for url in before if url.startswith(settings.MEDIA_URL))
    renditions = [url for url in media if "/renditions/" in url]
    assert unreached == []
    assert reverse("reviews:post-detail", kwargs={"slug": "secret-draft"}) not in before
    assert len(renditions) > len(media) / 2
    counts = {
        m._meta.label: m._default_manager.count() for m in apps.get_models() if m._meta.managed
    }

    report = export_site(destination=tmp_path / "site.zip")
    delete_content()
    get_user_model().objects.all().delete()
    settings.MEDIA_ROOT = str(tmp_path / "restored-media")
    assert existing_content() == {}
    with django_capture_on_commit_callbacks(execute=True):
        import_site(source=report.path)
    after, _ = crawl()

    different = sorted(url for url in before if after.get(url) != before[url])
    print(
        f"\n{len(before) - len(different)} of {len(before)} public URLs identical after the "
        f"restore, {len(media)} of them media ({len(renditions)} renditions)"
    )
    assert different == []
    assert sorted(after) == sorted(before)
    assert {
        m._meta.label: m._default_manager.count() for m in apps.get_models() if m._meta.managed
    } == counts
    assert report.missing_files == []
