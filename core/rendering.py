"""Curator text (Markdown with inline HTML) rendered to HTML that is safe to publish."""

import functools

import nh3
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
    return mark_safe(sanitize_html(_markdown.render(text)))
