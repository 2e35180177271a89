"""The results list written by {% search_results %}: escaped as the template escaped it."""

import pytest
from django.db import connection

from tests.factories import AuthorFactory, AuthorshipFactory, PaperFactory

pytestmark = pytest.mark.django_db


def test_a_result_escapes_its_title_meta_and_snippet_around_the_marks(client):
    paper = PaperFactory(
        title='Tapir <b>trails</b> & "paths"', tldr="", abstract="A tapir & <i>friends</i>."
    )
    AuthorshipFactory(paper=paper, author=AuthorFactory(name="O'Brien <Lab>"))
    html = client.get("/search/", {"q": "tapir"}).content.decode()
    item = (
        '<ol class="search-results" start="1">\n        \n'
        '          <li class="search-result search-result-paper">\n'
        '            <p class="search-kind">Paper</p>\n'
        f'            <h2><a href="/papers/{paper.slug}/"><mark>Tapir</mark> '
        "&lt;b&gt;trails&lt;/b&gt; &amp; &quot;paths&quot;</a></h2>\n"
        f'            <p class="meta">{paper.conference} · O&#x27;Brien &lt;Lab&gt;</p>\n'
    )
    if connection.vendor == "sqlite":  # ts_headline drops what looks like a tag
        item += (
            '            <p class="snippet">A <mark>tapir</mark> &amp; &lt;i&gt;friends&lt;/i&gt;.</p>\n'
            "          </li>\n        \n      </ol>"
        )
    assert item in html


def test_a_result_with_no_meta_has_no_empty_paragraph(client):
    paper = PaperFactory(title="Numbat at dusk", conference=None, tldr="", abstract="")
    html = client.get("/search/", {"q": "numbat"}).content.decode()
    assert (
        '          <li class="search-result search-result-paper">\n'
        '            <p class="search-kind">Paper</p>\n'
        f'            <h2><a href="/papers/{paper.slug}/"><mark>Numbat</mark> at dusk</a></h2>\n'
        "            \n            "
    ) in html
