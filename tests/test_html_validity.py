"""Every page type passes the Nu HTML Checker (vnu-jar) with zero errors."""

import json
import subprocess

import pytest
from django.template.loader import render_to_string

from papers.models import Paper
from reviews.demo import load_demo
from reviews.models import Keynote
from tests.checkers import VNU_JAR, java
from tests.factories import PaperVideoFactory

pytestmark = pytest.mark.django_db


def validate(pages):
    """Run vnu once over every page; return its error messages with the page they came from."""
    command = [java(), "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *pages]
    result = subprocess.run(command, capture_output=True, text=True, timeout=240, check=False)
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    return [f"{m['url'].rsplit('/', 1)[-1]}:{m.get('lastLine')}: {m['message']}" for m in messages]


def save(tmp_path, name, html):
    path = tmp_path / f"{name}.html"
    path.write_text(html)
    return str(path)


def test_every_page_type_has_zero_html_errors(client, curator, tmp_path):
    java()
    pages = [
        save(tmp_path, f"empty-{n}", client.get(url).content.decode())
        for n, url in enumerate(["/", "/conferences/", "/tags/", "/papers/"])
    ]
    demo = load_demo()[0]
    paper = Paper.objects.first()
    PaperVideoFactory(
        paper=paper, url="https://youtu.be/dQw4w9WgXcQ", title="Oral", suggested_by="Ada"
    )
    PaperVideoFactory(paper=paper, url="https://neurips.cc/virtual/2023/poster/1", title="Poster")
    keynote = Keynote.objects.filter(entries__isnull=False).first()
    urls = {
        "home": "/",
        "post": demo.get_absolute_url(),
        "conferences": "/conferences/",
        "conference": "/conferences/neurips-2023/",
        "tags": "/tags/",
        "tag": "/tags/genomics/",
        "papers": "/papers/?topic=genomics",
        "paper": paper.get_absolute_url(),
        "paper-suggest-video": f"{paper.get_absolute_url()}videos/new/?sent=1",
        "keynote": keynote.get_absolute_url(),
        "not-found": "/posts/missing/",
    }
    for name, url in urls.items():
        pages.append(save(tmp_path, name, client.get(url).content.decode()))
    pages.append(save(tmp_path, "server-error", render_to_string("500.html")))
    demo.status = demo.Status.DRAFT
    demo.save()
    client.force_login(curator)
    pages.append(
        save(tmp_path, "draft-preview", client.get(demo.get_absolute_url()).content.decode())
    )
    # A known-bad page proves the checker ran and reports (one JVM start for all pages).
    pages.append(save(tmp_path, "broken", "<!DOCTYPE html><html lang=en><title>x</title><p></b>"))
    errors = validate(pages)
    assert [e for e in errors if not e.startswith("broken.html")] == []
    assert [e.split(":", 1)[0] for e in errors] == ["broken.html"]
