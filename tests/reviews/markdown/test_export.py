import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from reviews.markdown.export import canonical, render_post_markdown, yaml_scalar
from reviews.models import Entry, Post
from tests.factories import (
    EntryFactory,
    GalleryImageFactory,
    KeynoteFactory,
    PaperFactory,
    PostFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db


def png(name="slide.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), "teal").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def test_canonical_form_has_lf_no_trailing_blanks_no_double_blank_lines_one_final_newline():
    assert canonical("a  \r\nb\t\r\n\r\n\r\n\r\nc") == "a\nb\n\nc\n"
    assert canonical("\n\nx\n\n\n") == "x\n"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (
            "NeurIPS 2023 Health & Bio Conference Review",
            "NeurIPS 2023 Health & Bio Conference Review",
        ),
        ("5 min", "5 min"),
        ("ICLR 2024: a review", '"ICLR 2024: a review"'),
        ("false", '"false"'),
        ("2023", '"2023"'),
        ('Say "hi"', 'Say "hi"'),
        ('"quoted" start', '"\\"quoted\\" start"'),
        ("- dash", '"- dash"'),
        ("#hashtag", '"#hashtag"'),
        ("Zoë Ångström", "Zoë Ångström"),
    ],
)
def test_yaml_values_are_quoted_only_where_yaml_requires(value, expected):
    assert yaml_scalar(value) == expected


def test_export_of_a_post_built_in_the_admin_matches_the_reference_format():
    post = PostFactory(
        title="ICML 2024: Review & Notes",
        slug="icml-2024-review",
        subtitle="",
        author_name="Ada Curator",
        reading_time="7 min",
        social_url="https://twitter.com/ada/status/1",
        intro="First paragraph.\n\nSecond paragraph.",
        conclusion="All in all, good.",
        disclaimer="DISCLAIMER: a personal curation.",
    )
    post.tags.add("conference review")
    post.tags.add("health & bio")
    keynotes = SectionFactory(post=post, title="Keynotes", order=0)
    keynote = KeynoteFactory(conference=post.conference, title="Scaling - Why", speaker="Ann Lee")
    talk = EntryFactory(
        section=keynotes, order=0, kind=Entry.Kind.KEYNOTE, keynote=keynote, paper=None,
        summary="Ann argues.\nA soft break.", link_url="",
    )  # fmt: skip
    GalleryImageFactory(entry=talk, order=0, external_url="https://img.example.org/k1.png")
    GalleryImageFactory(entry=talk, order=1, external_url="", image=png("k2.png"))
    papers = SectionFactory(post=post, title="Selected papers", order=1)
    paper = PaperFactory(conference=post.conference, title="A <Bold> Paper")
    EntryFactory(section=papers, order=0, paper=paper, summary="", link_url="https://x.org/p")

    markdown = render_post_markdown(post)

    upload = talk.images.get(order=1).image.url
    assert markdown == (
        "---\n"
        "layout: post\n"
        'title: "ICML 2024: Review & Notes"\n'
        "howlong: 7 min\n"
        "comments: false\n"
        "author: Ada Curator\n"
        "twitter: https://twitter.com/ada/status/1\n"
        "tags:\n"
        "- conference review\n"
        "- health & bio\n"
        "---\n"
        "First paragraph.\n\nSecond paragraph.\n\n"
        '<nav id="toc"><h3><a data-toggle="collapse" href="#toccontent" role="button" '
        'aria-expanded="false" aria-controls="toccontent"><i class="fa fa-bars"></i>  '
        "Table of contents</a></h3></nav>\n\n"
        "<h3>Keynotes</h3>\n\n"
        "<h4>Scaling - Why - Ann Lee</h4>\n\n"
        "Ann argues.\nA soft break.\n\n"
        '<div class="gallery">\n'
        '<galleryitem src="https://img.example.org/k1.png"></galleryitem>\n'
        f'<galleryitem src="https://reviews.example.org{upload}"></galleryitem>\n'
        "</div>\n\n"
        "<h3>Selected papers</h3>\n\n"
        "<h4>A <Bold> Paper</h4>\n\n"
        '<a href="https://x.org/p">[Paper link]</a>\n\n'
        "<h3>Conclusion</h3>\n\n"
        "All in all, good.\n\n"
        "<br/>\n\n"
        "DISCLAIMER: a personal curation.\n"
    )


def test_a_modelled_key_set_after_import_takes_its_place_among_the_stored_keys(example_post_path):
    from reviews.markdown.importer import import_post

    report = import_post(source=example_post_path)
    post = Post.objects.get(slug=report.slug)
    post.subtitle = ""
    post.social_url = ""
    post.save()
    without = render_post_markdown(post)
    post.social_url = "https://example.org/new"
    post.save()

    with_twitter = render_post_markdown(post)

    assert "subtitle:" not in without
    assert "twitter:" not in without
    assert (
        "image: http://schwabpatrick.com/img/neurips23-img.png\ntwitter: https://example.org/new\ntags:\n"
        in with_twitter
    )


def test_export_never_contains_trailing_blanks_or_double_blank_lines():
    post = PostFactory(intro="a  \n\n\n\nb\t", conclusion="\n\nend  \n\n")
    SectionFactory(post=post, title="Empty")

    markdown = render_post_markdown(post)

    assert all(line == line.rstrip(" \t") for line in markdown.split("\n"))
    assert "\n\n\n" not in markdown
    assert markdown.endswith("end\n")
    assert not markdown.endswith("\n\n")


@pytest.mark.parametrize(
    ("summary", "link_url", "first_line"),
    [
        ("Text on the next line.", "https://x.org/p", "Text on the next line."),
        ("", "https://x.org/p", '<a href="https://x.org/p">[Paper link]</a>'),
    ],
)
def test_an_entry_without_a_heading_blank_line_exports_its_first_block_on_the_next_line(
    summary, link_url, first_line
):
    section = SectionFactory(title="Selected papers")
    paper = PaperFactory(conference=section.post.conference, title="Tight")
    EntryFactory(
        section=section, paper=paper, summary=summary, link_url=link_url, heading_blank_line=False
    )

    markdown = render_post_markdown(section.post)

    assert f"<h3>Selected papers</h3>\n\n<h4>Tight</h4>\n{first_line}\n" in markdown


def test_an_entry_with_only_a_heading_exports_the_heading_alone_whatever_its_blank_line_flag():
    section = SectionFactory(title="Selected papers")
    paper = PaperFactory(conference=section.post.conference, title="Bare")
    EntryFactory(section=section, paper=paper, summary="", link_url="", heading_blank_line=False)

    markdown = render_post_markdown(section.post)

    assert markdown.endswith("<h3>Selected papers</h3>\n\n<h4>Bare</h4>\n")
