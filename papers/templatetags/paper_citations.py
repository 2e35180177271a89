import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from papers.citations import plain_citation
from papers.structured_data import citation_meta, paper_jsonld

register = template.Library()

# The escapes of Django's json_script: no "</script>" can end the block early.
JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag
def paper_jsonld_script(paper):
    text = json.dumps(paper_jsonld(paper), cls=DjangoJSONEncoder, ensure_ascii=False)
    return format_html(
        '<script type="application/ld+json">{}</script>', mark_safe(text.translate(JSON_ESCAPES))
    )


@register.simple_tag
def paper_citation_meta(paper):
    return citation_meta(paper)


@register.simple_tag
def paper_plain_citation(paper):
    """The APA-like line behind the paper page's “Copy citation” button."""
    return plain_citation(paper)
