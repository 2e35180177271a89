import json

from django import template
from django.utils.html import _json_script_escapes, escape
from django.utils.safestring import mark_safe

from core.fields import is_safe_url
from core.rendering import render_curator_markdown
from reviews.slug_paths import slug_path
from reviews.structured_data import absolute_url as _absolute_url

register = template.Library()


@register.filter
def curator_markdown(text):
    """Curator Markdown to sanitized HTML (see core.rendering)."""
    return render_curator_markdown(text)


@register.filter
def safe_url(value):
    """A stored address fit for href/src: http(s) or a path on this site, else "".

    The model field already refuses other schemes; this guards rows written around it
    (queryset.update, raw SQL, old data) so a `javascript:` address is never made live.
    """
    value = str(value or "")
    return value if is_safe_url(value) else ""


@register.filter
def tag_path(slug):
    """A tag page's path, as `{% url 'reviews:tag-detail' slug %}` writes it (reversed once)."""
    return slug_path("reviews:tag-detail", slug)


@register.filter
def slug_url(slug, url_name):
    """`{% url url_name slug %}`, reversed once per process (reviews.slug_paths)."""
    return slug_path(url_name, slug)


@register.simple_tag
def tag_cloud(tags):
    """The tag cloud's list (includes/tag_cloud.html) from rows with a `name`, `slug` and
    `total`: one string per tag, not a dozen variable lookups and a filter in a template loop
    (most of the home page's rendering)."""
    items = [
        f'<li{_cloud_size(tag.total)}><a href="{escape(tag_path(tag.slug))}">{escape(tag.name)}'
        f' <span class="count">({tag.total})</span></a></li>'
        for tag in tags
    ]
    if not items:
        return mark_safe("<p>No tags yet.</p>")
    return mark_safe(f'<ul class="tag-cloud">{"".join(items)}</ul>')  # every field escaped


def _cloud_size(total: int) -> str:
    if total > 4:
        return ' class="tag-big"'
    return ' class="tag-mid"' if total > 1 else ""


@register.filter
def absolute_url(path):
    return _absolute_url(path)


@register.simple_tag
def jsonld(data):
    """A JSON-LD data block; <, > and & are escaped so the JSON cannot close the element."""
    payload = json.dumps(data, ensure_ascii=False).translate(_json_script_escapes)
    return mark_safe(f'<script type="application/ld+json">{payload}</script>')
