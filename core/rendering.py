"""Curator text (Markdown with inline HTML) rendered to HTML that is safe to publish."""

import functools
import re

import nh3
from django.core.exceptions import ValidationError
from django.utils.html import escape, linebreaks
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

_markdown = MarkdownIt("commonmark", {"html": True, "linkify": False}).enable("table")

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h2", "h3", "h4", "h5", "h6",
    "hr", "i", "li", "ol", "p", "pre", "q", "s", "small", "strong", "sub", "sup", "table",
    "tbody", "td", "th", "thead", "tr", "u", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "abbr": {"title"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
}
# No javascript:, data: or vbscript: links; nh3 drops any href with another scheme.
URL_SCHEMES = {"http", "https", "mailto"}
# Bounds on what the sanitizer sees: 40,000 nested <div> take nh3 6 s on every render. Real
# posts stay far below both (a long intro is ~10,000 characters, inline HTML a few levels deep).
MAX_TEXT_CHARS = 200_000
MAX_HTML_DEPTH = 40
VOID_TAGS = {"br", "hr", "img", "wbr", "input", "meta", "link", "source", "col", "area"}
TAG_RE = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)[^<>]*?(/?)>")


def html_depth(text: str) -> int:
    """How deep the text's inline HTML tags nest (unclosed tags count as open)."""
    depth = deepest = 0
    for closing, name, self_closing in TAG_RE.findall(text):
        if closing:
            depth = max(0, depth - 1)
        elif not self_closing and name.lower() not in VOID_TAGS:
            depth += 1
            deepest = max(deepest, depth)
    return deepest


def curator_text_problem(text: str) -> str | None:
    """Why the sanitizer must not see this text, in words a curator can act on; None if fine."""
    if len(text) > MAX_TEXT_CHARS:
        return f"This text has {len(text):,} characters; at most {MAX_TEXT_CHARS:,} are allowed."
    if (depth := html_depth(text)) > MAX_HTML_DEPTH:
        return (
            f"This text nests HTML tags {depth} deep; at most {MAX_HTML_DEPTH} levels are "
            "allowed. Remove the extra wrapping tags (often pasted <div>s)."
        )
    return None


def check_curator_fields(instance, names) -> None:
    """For a model's clean(): a ValidationError on each curator text field over the bounds."""
    errors = {
        name: problem
        for name in names
        if (problem := curator_text_problem(getattr(instance, name) or ""))
    }
    if errors:
        raise ValidationError(errors)


def sanitize_html(html: str) -> str:
    """Whitelist formatting and links; scripts, styles, handlers, iframes and forms go."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


@functools.lru_cache(maxsize=2048)
def render_curator_markdown(text: str) -> SafeString:
    """Markdown with inline HTML, as curators write it, rendered and then sanitized.

    A pure function of the text, so memoized per process: a page renders the same summaries
    on every request, and an edited text is simply a new key.
    """
    if not text:
        return mark_safe("")
    if curator_text_problem(text):
        # Rows written before the bound existed: shown as escaped text, never sanitized slowly.
        return mark_safe(linebreaks(escape(text[:MAX_TEXT_CHARS])))
    return mark_safe(sanitize_html(_markdown.render(text)))
