"""The URL gate: every model URL field stores http(s) only, and stored URLs render only if safe."""

import pytest
from django.core.exceptions import ValidationError

from core.fields import URLField
from papers.models import Conference, PaperLink, PaperVideo, PeerReviewExcerpt
from reviews.models import Entry, GalleryImage, Keynote, KeynoteVideo, Post, Section
from tests.factories import (
    EntryFactory,
    GalleryImageFactory,
    KeynoteFactory,
    PaperLinkFactory,
    PaperVideoFactory,
    PostFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db

URL_FIELDS = [
    (Conference, "website"),
    (PaperLink, "url"),
    (PeerReviewExcerpt, "source_url"),
    (Keynote, "video_url"),
    (Post, "cover_image_url"),
    (Post, "social_url"),
    (Section, "link_url"),
    (Entry, "link_url"),
    (GalleryImage, "external_url"),
    (GalleryImage, "fetched_from"),
]
# What readers suggest: https only.
HTTPS_FIELDS = [(PaperVideo, "url"), (KeynoteVideo, "url")]
HOSTILE = [
    ("javascript:alert(1)", "javascript"),
    ("JavaScript:alert(document.cookie)", "javascript"),
    ("data:text/html,<script>alert(1)</script>", "data"),
    ("vbscript:msgbox(1)", "vbscript"),
    ("file:///etc/passwd", "file"),
    ("mailto:someone@example.org", "mailto"),
]


def test_every_url_field_of_the_project_is_the_gated_one():
    from django.apps import apps

    url_fields = {
        (field.model, field.name)
        for app in ("papers", "reviews", "core")
        for model in apps.get_app_config(app).get_models()
        for field in model._meta.get_fields()
        if isinstance(field, URLField.__mro__[1])
    }
    gated = {(model, name) for model, name in URL_FIELDS + HTTPS_FIELDS}
    assert url_fields == gated
    assert all(
        isinstance(model._meta.get_field(name), URLField)
        for model, name in URL_FIELDS + HTTPS_FIELDS
    )


@pytest.mark.parametrize(("model", "name"), HTTPS_FIELDS)
def test_suggested_video_fields_refuse_plain_http_by_name(model, name):
    field = model._meta.get_field(name)
    with pytest.raises(ValidationError) as caught:
        field.clean("http://example.org/a", model())
    assert caught.value.messages == [
        "Only https addresses are allowed; this one starts with “http:”."
    ]
    assert field.clean("https://example.org/a", model()) == "https://example.org/a"


@pytest.mark.parametrize(("model", "name"), URL_FIELDS + HTTPS_FIELDS)
@pytest.mark.parametrize(("url", "scheme"), HOSTILE)
def test_url_fields_refuse_other_schemes_with_a_message_naming_it(model, name, url, scheme):
    field = model._meta.get_field(name)

    with pytest.raises(ValidationError) as caught:
        field.clean(url, model())

    assert caught.value.messages == [f"Only http and https addresses are allowed; got “{scheme}:”."]


@pytest.mark.parametrize(("model", "name"), URL_FIELDS)
@pytest.mark.parametrize("url", ["http://example.org/a", "https://example.org/a?b=c#d"])
def test_url_fields_accept_http_and_https(model, name, url):
    assert model._meta.get_field(name).clean(url, model()) == url


def test_full_clean_refuses_a_javascript_link_on_an_entry():
    entry = EntryFactory.build(link_url="javascript:alert(1)")

    with pytest.raises(ValidationError) as caught:
        entry.full_clean(exclude=["section", "paper", "keynote"])

    assert caught.value.message_dict["link_url"] == [
        "Only http and https addresses are allowed; got “javascript:”."
    ]


@pytest.mark.parametrize(("model", "name"), [m for m in URL_FIELDS if m[1] != "external_url"])
def test_site_relative_paths_are_refused_where_not_named(model, name):
    with pytest.raises(ValidationError):
        model._meta.get_field(name).clean("/img/post/slide.png", model())


@pytest.mark.parametrize("path", ["/img/post/slide.png", "/media/gallery/a%20b.png"])
def test_gallery_images_accept_a_path_on_this_site(path):
    field = GalleryImage._meta.get_field("external_url")

    assert field.clean(path, GalleryImage()) == path


@pytest.mark.parametrize("path", ["//evil.example/x.png", "/\\evil.example/x.png", "/a b.png"])
def test_gallery_images_refuse_protocol_relative_and_odd_paths(path):
    with pytest.raises(ValidationError):
        GalleryImage._meta.get_field("external_url").clean(path, GalleryImage())


def test_a_javascript_url_forced_into_the_database_is_never_rendered_on_the_post_page(client):
    post = PostFactory(published=True, cover_image_url="https://img.example.org/cover.png")
    section = SectionFactory(post=post, title="Keynotes")
    keynote = KeynoteFactory(conference=post.conference)
    keynote_entry = EntryFactory(
        section=section, kind=Entry.Kind.KEYNOTE, paper=None, keynote=keynote, link_url=""
    )
    entry = EntryFactory(section=SectionFactory(post=post))
    GalleryImageFactory(entry=entry)
    Post.objects.filter(pk=post.pk).update(
        cover_image_url="javascript:alert(1)", social_url="javascript:alert(2)"
    )
    Entry.objects.filter(pk=entry.pk).update(link_url="javascript:alert(3)")
    Keynote.objects.filter(pk=keynote.pk).update(video_url="data:text/html,<script>x</script>")
    GalleryImage.objects.filter(entry=entry).update(external_url="javascript:alert(4)")

    response = client.get(post.get_absolute_url())
    html = response.content.decode()

    assert response.status_code == 200
    assert keynote_entry.keynote.title in html
    assert "javascript:" not in html
    assert "data:text/html" not in html


def test_a_javascript_url_forced_into_the_database_is_never_rendered_on_the_paper_page(client):
    link = PaperLinkFactory(kind=PaperLink.Kind.PDF)
    paper = link.paper
    video = PaperVideoFactory(paper=paper, url="https://video.example.org/1")
    EntryFactory(paper=paper, section=SectionFactory(post=PostFactory(published=True)))
    PaperLink.objects.filter(paper=paper).update(url="javascript:alert(1)")
    PaperVideo.objects.filter(pk=video.pk).update(url="javascript:alert(2)")

    response = client.get(paper.get_absolute_url())
    html = response.content.decode()

    assert response.status_code == 200
    assert paper.title in html
    assert "javascript:" not in html
