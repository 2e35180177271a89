"""An XSS corpus in every curator-written field: no public page runs or links to any of it."""

import html.parser

import pytest
from django.urls import reverse

from reviews.models import Entry
from tests.factories import (
    GalleryImageFactory,
    KeynoteFactory,
    PaperVideoFactory,
    PeerReviewExcerptFactory,
    PostFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db

CORPUS = [
    '<script>alert("xss-1")</script>',
    '<img src=x onerror=alert("xss-2")>',
    "<a href=\"javascript:alert('xss-3')\">click</a>",
    '<iframe src="https://evil.example/xss-4"></iframe>',
    '<form action="https://evil.example/xss-5"><input name=q></form>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">xss-6</a>',
    '<svg onload=alert("xss-7")></svg>',
    '<div style="background:url(javascript:alert(8))" onclick="alert(\'xss-8\')">x</div>',
    "[xss-9](javascript:alert(9))",
    '<a href="jav&#x09;ascript:alert(10)">xss-10</a>',
    '"><script>alert("xss-11")</script>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(12)>",
    "<object data=\"javascript:alert('xss-13')\"></object>",
    '<a href="vbscript:msgbox(14)">xss-14</a>',
]
HOSTILE = "\n\n".join(CORPUS)


class Inspector(html.parser.HTMLParser):
    """Collects everything in a page that could run script or leave the site by surprise."""

    def __init__(self):
        super().__init__()
        self.problems, self._in_script = [], None

    def handle_starttag(self, tag, attrs):
        if tag in {"iframe", "object", "embed", "svg", "math", "style"}:
            self.problems.append(f"<{tag}>")
        if tag == "form" and "evil.example" in str(attrs):
            self.problems.append("hostile <form>")
        if tag == "script":
            self._in_script = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"{tag}[{name}]")
            if name in {"href", "src", "action", "data", "srcset", "formaction"} and value:
                scheme = value.strip().lower().replace("\t", "").split(":", 1)[0]
                if scheme in {"javascript", "data", "vbscript"}:
                    self.problems.append(f"{tag}[{name}={value[:30]}]")
            if name == "style":
                self.problems.append(f"{tag}[style]")

    def handle_data(self, data):
        if self._in_script is not None:
            kind = self._in_script.get("type")
            if kind != "application/ld+json" or ("alert(" in data and "</" in data):
                self.problems.append(f"script: {data[:40]}")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = None


@pytest.fixture
def hostile_site():
    post = PostFactory(
        published=True,
        title=CORPUS[0],
        subtitle=CORPUS[1],
        intro=HOSTILE,
        conclusion=HOSTILE,
        disclaimer=HOSTILE,
        author_name=CORPUS[10],
    )
    post.tags.set([CORPUS[1][:90]])
    section = SectionFactory(post=post, title=CORPUS[6], order=0)
    keynote = KeynoteFactory(
        conference=post.conference, title=CORPUS[0], speaker=CORPUS[1], summary=HOSTILE
    )
    Entry.objects.create(
        section=section, order=0, kind=Entry.Kind.KEYNOTE, keynote=keynote, summary=HOSTILE
    )
    entry = Entry.objects.create(
        section=section,
        order=1,
        kind=Entry.Kind.FREE,
        heading=CORPUS[2],
        summary=HOSTILE,
        link_url="https://example.org/paper",
        link_label=CORPUS[0],
    )
    GalleryImageFactory(entry=entry, alt_text=CORPUS[1], caption=CORPUS[0], order=0)
    paper_entry = Entry.objects.create(
        section=section, order=2, kind=Entry.Kind.PAPER, summary=HOSTILE,
        paper=PaperVideoFactory(title=CORPUS[0], suggested_by=CORPUS[1]).paper,
    )  # fmt: skip
    paper = paper_entry.paper
    paper.title, paper.abstract, paper.tldr = CORPUS[11], HOSTILE, CORPUS[0]
    paper.contribution, paper.findings, paper.decision = HOSTILE, CORPUS, CORPUS[1]
    paper.conference = post.conference
    paper.save()
    PeerReviewExcerptFactory(paper=paper, text=HOSTILE, reviewer_label=CORPUS[0], featured=True)
    return post, paper


def test_no_public_page_carries_any_of_the_corpus_in_a_runnable_form(client, hostile_site):
    post, paper = hostile_site
    tag = post.tags.get()
    urls = [
        "/",
        post.get_absolute_url(),
        paper.get_absolute_url(),
        post.conference.get_absolute_url(),
        reverse("papers:paper-list"),
        reverse("papers:conference-list"),
        reverse("reviews:tag-list"),
        reverse("reviews:tag-detail", kwargs={"slug": tag.slug}),
        reverse("search:search") + "?q=xss",
        reverse("search:search") + "?q=" + '"><script>alert(1)</script>',
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        inspector = Inspector()
        inspector.feed(response.content.decode())
        assert inspector.problems == [], url


def test_the_markdown_export_keeps_the_curators_text_verbatim(client, hostile_site):
    """The export is a file for Jekyll, not a page: it must not lose a byte of the source."""
    post, _ = hostile_site
    response = client.get(reverse("reviews:post-markdown", kwargs={"slug": post.slug}))
    assert CORPUS[0] in response.content.decode()
    assert response["Content-Type"].startswith("text/markdown")
    assert response["X-Content-Type-Options"] == "nosniff"
