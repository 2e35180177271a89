"""`{% chrome %}`: the parts of every page no request changes, rendered once per process."""

import pytest
from django.template import TemplateSyntaxError, engines
from django.test import Client, RequestFactory
from django.urls import clear_script_prefix, set_script_prefix

pytestmark = pytest.mark.django_db

LINKS = "{% load chrome static %}{% chrome %}<a href=\"{% url 'reviews:tag-list' %}\">Tags</a>{% endchrome %}"


def render(source, **context):
    return engines["django"].from_string(source).render(context, RequestFactory().get("/"))


def test_a_chrome_block_renders_what_its_tags_would_render_without_it():
    plain = LINKS.replace("{% chrome %}", "").replace("{% endchrome %}", "")
    assert render(LINKS) == render(plain) == '<a href="/tags/">Tags</a>'


def test_a_chrome_block_is_rendered_once_and_then_reused():
    template = engines["django"].from_string(LINKS)
    [node] = [n for n in template.template.nodelist if type(n).__name__ == "ChromeNode"]
    template.render({})
    node.nodelist = engines["django"].from_string("changed").template.nodelist
    assert template.render({}) == '<a href="/tags/">Tags</a>'


def test_a_site_under_a_sub_path_gets_its_own_copy():
    template = engines["django"].from_string(LINKS)
    assert template.render({}) == '<a href="/tags/">Tags</a>'
    set_script_prefix("/reviews/")
    try:
        assert template.render({}) == '<a href="/reviews/tags/">Tags</a>'
    finally:
        clear_script_prefix()
    assert template.render({}) == '<a href="/tags/">Tags</a>'


def test_a_changed_setting_renders_the_block_again(settings):
    template = engines["django"].from_string(
        "{% load chrome static %}{% chrome %}{% static 'css/site.css' %}{% endchrome %}"
    )
    assert template.render({}) == "/static/css/site.css"
    settings.STATIC_URL = "/assets/"
    assert template.render({}) == "/assets/css/site.css"


def test_a_variable_inside_the_block_is_refused_when_the_template_is_compiled():
    with pytest.raises(TemplateSyntaxError, match=r"cannot show 'user\.username'"):
        render("{% load chrome %}{% chrome %}Hello {{ user.username }}{% endchrome %}")


def test_the_block_never_sees_the_request_context():
    source = "{% load chrome %}{% chrome %}{% if secret %}leaked{% endif %}{% endchrome %}"
    assert render(source, secret=True) == ""


def test_every_page_keeps_its_own_search_text_beside_the_shared_header():
    first = Client().get("/search/?q=protein").content.decode()
    second = Client().get("/search/?q=genomics").content.decode()
    assert 'name="q" value="protein"' in first
    assert 'name="q" value="genomics"' in second
    for page in (first, second):
        assert '<li><a href="/tags/">Tags</a></li>' in page
        assert 'href="/feed/atom/">Atom feed</a>' in page
