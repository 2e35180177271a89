import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template

from core.rendering import render_curator_markdown
from reviews.models import Keynote
from tests.factories import PostFactory


def test_markdown_renders_paragraphs_lists_and_inline_links():
    html = render_curator_markdown(
        'Themes:\n- one\n- two\n\nSee <a href="https://example.org/x">the paper</a>.'
    )
    assert html == (
        "<p>Themes:</p>\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n"
        '<p>See <a href="https://example.org/x" rel="noopener noreferrer">the paper</a>.</p>\n'
    )


@pytest.mark.parametrize(
    ("hostile", "expected"),
    [
        ("<script>alert(1)</script>Hi", "Hi"),
        ('<img src="x" onerror="alert(1)">', ""),
        ("[click](javascript:alert(1))", "<p>[click](javascript:alert(1))</p>"),
        (
            '<a href="javascript:alert(1)">click</a>',
            '<p><a rel="noopener noreferrer">click</a></p>',
        ),
        (
            '<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>',
            '<p><a rel="noopener noreferrer">x</a></p>',
        ),
        ('<iframe src="https://evil.example"></iframe>', ""),
        ('<form action="/x"><input name="q"></form>', ""),
        ('<p style="color:red" onclick="alert(1)">text</p>', "<p>text</p>"),
        ('<svg onload="alert(1)"><circle/></svg>', "<p></p>"),
    ],
)
def test_markdown_strips_hostile_html(hostile, expected):
    assert render_curator_markdown(hostile).strip() == expected


def test_empty_text_renders_nothing():
    assert render_curator_markdown("") == ""


def test_template_filter_marks_output_safe_only_after_sanitizing():
    template = Template("{% load reader %}{{ text|curator_markdown }}")
    html = template.render(Context({"text": "**bold** <script>x()</script>"}))
    assert html == "<p><strong>bold</strong> </p>\n"


def test_jsonld_tag_cannot_be_closed_by_the_data():
    template = Template("{% load reader %}{% jsonld data %}")
    html = template.render(Context({"data": {"headline": "</script><script>alert(1)"}}))
    assert html == (
        '<script type="application/ld+json">'
        '{"headline": "\\u003C/script\\u003E\\u003Cscript\\u003Ealert(1)"}</script>'
    )


DEEP_DIVS = "<div>" * 40_000 + "text" + "</div>" * 40_000


def test_deeply_nested_html_is_escaped_without_reaching_the_sanitizer():
    html = render_curator_markdown(DEEP_DIVS)
    assert html.startswith("<p>&lt;div&gt;&lt;div&gt;")
    assert "<div>" not in html


@pytest.mark.django_db
def test_a_post_with_deeply_nested_html_is_refused_at_entry_with_a_clear_error():
    post = PostFactory.build(conclusion="<div>" * 1000 + "text")
    with pytest.raises(ValidationError) as error:
        post.full_clean(exclude=["conference"])
    assert list(error.value.message_dict) == ["conclusion"]
    assert (
        "nests HTML tags 1000 deep; at most 40 levels" in error.value.message_dict["conclusion"][0]
    )


def test_an_overlong_keynote_summary_is_refused_at_entry():
    keynote = Keynote(title="Talk", speaker="Ada", summary="x" * 200_001)
    with pytest.raises(ValidationError) as error:
        keynote.clean()
    assert error.value.message_dict == {
        "summary": ["This text has 200,001 characters; at most 200,000 are allowed."]
    }
