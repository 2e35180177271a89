"""export(import(export(P))) == export(P) for generated posts (Hypothesis)."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from reviews.markdown.export import render_post_markdown
from reviews.markdown.importer import MarkdownSource, import_post
from reviews.models import Entry, GalleryImage, Keynote, Post, Section
from tests.factories import ConferenceFactory, PaperFactory

TRICKY = "&<>\"':-–#*[]{}()é漢ß Ω😀"
line_text = (
    st.text(
        alphabet=st.one_of(
            st.characters(
                codec="utf-8",
                exclude_categories=("Cc", "Cs", "Co", "Cn", "Zl", "Zp"),
                exclude_characters="\x85",
            ),
            st.sampled_from(TRICKY),
        ),
        min_size=1,
        max_size=30,
    )
    .map(str.strip)
    .filter(bool)
)
words = st.lists(
    st.sampled_from(
        ["the", "model", "&", "x<y", '"quoted"', "it's", "a:b", "Ünï", "漢字", "-", "50%"]
    ),
    min_size=1,
    max_size=8,
).map(" ".join)
inline_link = st.just('see <a href="https://example.org/x?a=1&b=2">this</a>.')
paragraph = st.lists(st.one_of(words, inline_link), min_size=1, max_size=3).map("\n".join)
body = st.lists(paragraph, max_size=3).map("\n\n".join)
urls = st.sampled_from(
    ["https://arxiv.org/abs/2306.15794", "https://example.org/a?b=c&d=e", "http://ex.org/ü"]
)
labels = st.sampled_from(["[Paper link]", "[Video link]", "[Slides link]", "[Recording link]"])
keynote_title = st.one_of(line_text, st.tuples(line_text, line_text).map(" - ".join))
section_titles = st.one_of(
    st.sampled_from(["Keynotes", "Selected papers", "Workshops", "Conclusion"]), line_text
)
optional = st.one_of(st.just(""), line_text)

entry_spec = st.fixed_dictionaries(
    {
        "kind": st.sampled_from(["paper", "keynote", "free"]),
        "title": line_text,
        "keynote_title": keynote_title,
        "speaker": line_text.filter(lambda s: " - " not in s),
        "summary": body,
        "link": st.one_of(st.none(), st.tuples(urls, labels)),
        "images": st.lists(urls, max_size=3),
        "keep_empty_gallery": st.booleans(),
        "heading_blank_line": st.booleans(),
    }
)
section_spec = st.fixed_dictionaries(
    {
        "title": section_titles,
        "body": body,
        "link": st.one_of(st.none(), st.tuples(urls, labels)),
        "entries": st.lists(entry_spec, max_size=3),
    }
)
front_extra = st.sampled_from(
    [[], [["date", "date: 2023-12-20 10:00\n"]], [["categories", "categories: [a, b]\n"]]]
)
post_spec = st.fixed_dictionaries(
    {
        "title": line_text,
        "subtitle": optional,
        "author_name": optional,
        "reading_time": st.sampled_from(["", "5 min", "12 min: long", "true"]),
        "cover_image_url": st.sampled_from(["", "https://example.org/c.png"]),
        "social_url": st.sampled_from(["", "https://twitter.com/x/status/1?s=20"]),
        "comments": st.booleans(),
        "intro": body,
        "markdown_toc": st.booleans(),
        "conclusion": body,
        "disclaimer": body,
        "tags": st.lists(line_text.map(lambda t: t[:50]), max_size=3, unique_by=str.casefold),
        "front_matter": front_extra,
        "sections": st.lists(section_spec, max_size=4),
    }
)


def build_post(spec):
    conference = ConferenceFactory()
    post = Post.objects.create(
        slug="generated",
        conference=conference,
        **{k: v for k, v in spec.items() if k not in ("sections", "tags")},
    )
    for tag in spec["tags"]:
        post.tags.add(tag)
    for s_order, s_spec in enumerate(spec["sections"]):
        url, label = s_spec["link"] or ("", "")
        section = Section.objects.create(
            post=post,
            order=s_order,
            title=s_spec["title"],
            body=s_spec["body"],
            link_url=url,
            link_label=label,
        )
        for e_order, e_spec in enumerate(s_spec["entries"]):
            url, label = e_spec["link"] or ("", "")
            entry = Entry(
                section=section,
                order=e_order,
                summary=e_spec["summary"],
                link_url=url,
                link_label=label,
                keep_empty_gallery=e_spec["keep_empty_gallery"],
                heading_blank_line=e_spec["heading_blank_line"],
                kind=e_spec["kind"],
            )
            if e_spec["kind"] == "paper":
                entry.paper = PaperFactory(conference=conference, title=e_spec["title"])
            elif e_spec["kind"] == "keynote":
                entry.keynote, _ = Keynote.objects.get_or_create(
                    conference=conference,
                    title=e_spec["keynote_title"],
                    speaker=e_spec["speaker"],
                )
            else:
                entry.heading = e_spec["title"]
            entry.save()
            for i_order, src in enumerate(e_spec["images"]):
                GalleryImage.objects.create(entry=entry, external_url=src, order=i_order)
    return post


class MarkdownRoundTripTests(TestCase):
    @settings(
        max_examples=40,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(post_spec)
    def test_export_of_import_of_export_is_the_export(self, spec):
        first = render_post_markdown(build_post(spec))

        report = import_post(source=MarkdownSource("round-trip.md", first.encode()))

        second = render_post_markdown(Post.objects.get(slug=report.slug))
        assert second == first
