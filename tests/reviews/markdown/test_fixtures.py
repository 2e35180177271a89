"""The fixture posts: each round-trips to its canonical form, and together they carry every
quirk of the real blog, so the set cannot silently lose one."""

import re

import pytest

from reviews.markdown.export import render_post_markdown
from reviews.markdown.format import MODELLED_KEYS, TAGS_KEY, TOC_LINE
from reviews.markdown.importer import import_post
from reviews.models import Post
from tests.fixtures import INVALID_POSTS, POSTS

EXPECTED_SUFFIX = ".expected.md"
FIXTURE_POSTS = sorted(
    path.name for path in POSTS.glob("*.md") if not path.name.endswith(EXPECTED_SUFFIX)
)


def canonical_path(name):
    """The sibling .expected.md where the canonical form differs, else the file itself."""
    expected = POSTS / name.replace(".md", EXPECTED_SUFFIX)
    return expected if expected.exists() else POSTS / name


def raw(name) -> bytes:
    return (POSTS / name).read_bytes()


def lf(data: bytes) -> bytes:
    return data.replace(b"\r\n", b"\n")


@pytest.mark.django_db
@pytest.mark.parametrize("name", FIXTURE_POSTS)
def test_every_fixture_post_round_trips_byte_for_byte_to_its_canonical_form(name):
    report = import_post(source=POSTS / name)

    exported = render_post_markdown(Post.objects.get(slug=report.slug))

    assert exported.encode("utf-8") == canonical_path(name).read_bytes()


def test_every_expected_file_belongs_to_a_fixture_post():
    orphans = [
        path.name
        for path in POSTS.glob(f"*{EXPECTED_SUFFIX}")
        if not (POSTS / path.name.replace(EXPECTED_SUFFIX, ".md")).exists()
    ]

    assert orphans == []


def test_the_broken_posts_are_kept_apart_from_the_round_trip_set():
    assert sorted(path.name for path in INVALID_POSTS.glob("*.md")) == [
        "broken-yaml.md",
        "h4-before-h3.md",
        "no-front-matter.md",
        "no-title.md",
        "unclosed-heading.md",
    ]
    assert [name for name in FIXTURE_POSTS if (INVALID_POSTS / name).exists()] == []


def trailing_blank_after_gallery_item(data):
    return re.search(rb"</galleryitem>[ \t]+\r?\n", data) is not None


def no_final_newline(data):
    return not data.endswith(b"\n")


def double_blank_line(data):
    return b"\n\n\n" in lf(data)


def toc_line(data):
    return TOC_LINE.encode() in data


def text_right_under_an_h4(data):
    return re.search(rb"^<h4>[^\n]*</h4>\n[ \t]*[^\s<]", lf(data), re.MULTILINE) is not None


def section_other_than_keynotes_and_papers(data):
    titles = re.findall(rb"^<h3>(.*)</h3>$", lf(data), re.MULTILINE)
    return bool(set(titles) - {b"Keynotes", b"Selected papers", b"Conclusion"})


def section_level_link_line(data):
    """A link line after an <h3> and before any <h4> of that section."""
    pattern = rb'^<h3>[^\n]*</h3>\n(?:(?!<h[34]>)[^\n]*\n)*?<a href="[^"]+">\[[^\]]*\]</a>$'
    return re.search(pattern, lf(data), re.MULTILINE) is not None


def link_label(label):
    def carries(data):
        return re.search(rb'^<a href="[^"]+">' + re.escape(label) + rb"</a>\s*$", data, re.M)

    return lambda data: carries(data) is not None


def gallery_of(count):
    def carries(data):
        galleries = re.findall(rb'<div class="gallery">\n(.*?)</div>', lf(data), re.DOTALL)
        return any(gallery.count(b"<galleryitem ") == count for gallery in galleries)

    return carries


def inline_link_in_a_summary(data):
    """An <a href> inside a line of text under an entry, not a link line of its own."""
    body = lf(data).split(b"<h4>", 1)[1] if b"<h4>" in data else b""
    return re.search(rb"^[^<\n][^\n]*<a href=", body, re.MULTILINE) is not None


def non_ascii_name(data):
    """A keynote speaker ("TITLE - NAME") or the author with a letter outside ASCII."""
    speaker = rb"^<h4>.* - [^\n]*[\x80-\xff][^\n]*</h4>"
    author = rb"^author: [^\n]*[\x80-\xff]"
    return re.search(speaker + rb"|" + author, lf(data), re.MULTILINE) is not None


def unmodelled_front_matter_key(data):
    front = lf(data).split(b"\n---\n", 1)[0]
    keys = {key.decode() for key in re.findall(rb"^([A-Za-z_][\w-]*):", front, re.MULTILINE)}
    return bool(keys - {*MODELLED_KEYS, TAGS_KEY})


REFERENCE = "jekyll-post-example.md"
ICML_2023 = "2023-08-01-icml-2023-health-bio-review.md"
ICLR_2024 = "2024-05-02-iclr-2024-extra-sections.md"
NEURIPS_2022 = "neurips-2022-no-selected-papers.md"
ODD_FRONT = "odd-front-matter.md"
# Each quirk of the real blog, and the fixture post relied on to carry it.
QUIRKS = {
    "trailing blanks after </galleryitem>": (trailing_blank_after_gallery_item, REFERENCE),
    "no final newline": (no_final_newline, REFERENCE),
    "a double blank line": (double_blank_line, REFERENCE),
    "the table-of-contents <nav> line": (toc_line, REFERENCE),
    "an <h4> with its text on the very next line": (text_right_under_an_h4, NEURIPS_2022),
    "a section other than Keynotes and Selected papers": (
        section_other_than_keynotes_and_papers,
        ICML_2023,
    ),
    "a section-level link line": (section_level_link_line, ICML_2023),
    "a [Video link] line": (link_label(b"[Video link]"), ICML_2023),
    "a [Slides link] line": (link_label(b"[Slides link]"), ICML_2023),
    "a [Recording link] line": (link_label(b"[Recording link]"), ICML_2023),
    "a [Challenge link] line": (link_label(b"[Challenge link]"), ICLR_2024),
    "a gallery of 1 image": (gallery_of(1), ICLR_2024),
    "a gallery of 2 images": (gallery_of(2), ICML_2023),
    "a gallery of 3 images": (gallery_of(3), ICML_2023),
    "a gallery of 4 images": (gallery_of(4), REFERENCE),
    "an inline <a href> in a summary": (inline_link_in_a_summary, ICLR_2024),
    "a non-ASCII name": (non_ascii_name, REFERENCE),
    "an unmodelled front-matter key": (unmodelled_front_matter_key, ODD_FRONT),
}


@pytest.mark.parametrize("quirk", sorted(QUIRKS))
def test_the_fixture_posts_carry_each_quirk_of_the_real_blog(quirk):
    carries, carrier = QUIRKS[quirk]

    assert (carrier in FIXTURE_POSTS, carries(raw(carrier))) == (True, True)


@pytest.mark.parametrize("quirk", sorted(QUIRKS))
def test_each_quirk_check_finds_nothing_in_a_plain_canonical_post(quirk):
    """The checks are specific: a post without the quirks passes none of them."""
    plain = (
        b"---\nlayout: post\ntitle: Plain 2023\n---\nIntro.\n\n"
        b"<h3>Selected papers</h3>\n\n<h4>A Paper</h4>\n\nText.\n\n"
        b'<a href="https://example.org/p">[Paper link]</a>\n'
    )

    carries, _ = QUIRKS[quirk]

    assert carries(plain) is False
