"""`{% chrome %}…{% endchrome %}`: a part of every page that no request changes (the header's
links, the feeds, the footer), rendered once per process and then reused.

Every `{% url %}` in the site's header costs a reverse() (about 0.1 ms each, a dozen a page);
the enclosed part may use only what is the same for every request (routes, static files,
settings), never the context: a `{{ variable }}` inside is an error at compile time. The kept
output is keyed by the script prefix (a site served under a sub-path) and dropped when a test
changes a setting.
"""

from django import template
from django.core.signals import setting_changed
from django.template.base import VariableNode
from django.urls import get_script_prefix

register = template.Library()
_settings = {"generation": 0}


class ChromeNode(template.Node):
    """Keeps its output on itself, so it lives as long as its compiled template."""

    def __init__(self, nodelist):
        self.nodelist = nodelist
        self.rendered: dict[tuple[int, str], str] = {}

    def render(self, context):
        key = (_settings["generation"], get_script_prefix())
        output = self.rendered.get(key)
        if output is None:
            output = self.nodelist.render(template.Context(autoescape=context.autoescape))
            self.rendered = {key: output}
        return output


@register.tag
def chrome(parser, token):
    if len(token.split_contents()) != 1:
        raise template.TemplateSyntaxError("{% chrome %} takes no arguments.")
    nodelist = parser.parse(("endchrome",))
    parser.delete_first_token()
    for node in nodelist.get_nodes_by_type(VariableNode):
        raise template.TemplateSyntaxError(
            f"{{% chrome %}} is rendered once for every request, so it cannot show "
            f"{node.filter_expression.token!r}: move it out of the block."
        )
    return ChromeNode(nodelist)


def _forget(**kwargs):
    _settings["generation"] += 1


setting_changed.connect(_forget, dispatch_uid="chrome-rendered-once")
