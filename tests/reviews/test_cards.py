"""A post's stored card follows every change to what it shows, and appears only where the
post is public."""

from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.test import Client
from taggit.models import Tag

from reviews.cards import card_posts, refresh_post_cards, render_post_card
from reviews.markdown.importer import MarkdownSource, import_post
from reviews.models import Post
from reviews.workflow.drafts import open_working_copy, publish_changes
from reviews.workflow.publishing import unpublish_post
from tests.factories import ConferenceFactory, PostFactory

pytestmark = pytest.mark.django_db

FIXTURE = Path(__file__).parents[1] / "fixtures" / "posts" / "jekyll-post-example.md"


def stored_card(post) -> str:
    return Post.objects.values_list("card_html", flat=True).get(pk=post.pk)


def live_card(post) -> str:
    return render_post_card(card_posts(Post.objects.filter(pk=post.pk)).get())


def list_pages(post) -> dict[str, str]:
    """Every list page that shows `post`'s card, as a reader gets it."""
    client = Client()
    pages = {
        "home": "/",
        "conference": post.conference.get_absolute_url(),
        "tag": "/tags/genomics/",
    }
    return {name: client.get(url).content.decode() for name, url in pages.items()}


@pytest.fixture
def post():
    conference = ConferenceFactory(short_name="NeurIPS", year=2023)
    post = PostFactory(
        published=True, title="Genomes at NeurIPS", subtitle="Long reads", conference=conference
    )
    post.tags.set(["genomics", "biology"])
    return post


def test_a_saved_post_stores_the_card_every_list_page_shows(post):
    card = stored_card(post)
    assert card == live_card(post)
    assert card.startswith('<article class="post-card">')
    assert '<h2 class="post-card-title"><a href="/posts/' in card
    assert '<a href="/conferences/neurips-2023/">NeurIPS 2023</a>' in card
    assert '<li><a href="/tags/genomics/">genomics</a></li>' in card
    pages = list_pages(post)
    assert pages["home"].count(card) == 1
    level_three = card.replace("<h2 ", "<h3 ").replace("</h2>", "</h3>")
    assert pages["conference"].count(level_three) == 1
    assert pages["tag"].count(level_three) == 1


def test_editing_the_post_changes_its_card(post):
    post.title = "Genomes & proteins"
    post.reading_time = "12 min"
    post.save()
    card = stored_card(post)
    assert ">Genomes &amp; proteins</a>" in card
    assert "12 min read" in card
    assert card == live_card(post)


def test_a_save_of_what_no_card_shows_leaves_the_card_alone(post):
    Post.objects.filter(pk=post.pk).update(card_html="<article>kept</article>")
    post.disclaimer = "Not medical advice."
    post.save(update_fields=["disclaimer"])
    assert stored_card(post) == "<article>kept</article>"
    post.save(update_fields=["subtitle"])
    assert stored_card(post) == live_card(post)


def test_renaming_the_conference_changes_its_posts_cards(post):
    conference = post.conference
    conference.short_name = "NIPS"
    conference.slug = "nips-2023"
    conference.save()
    assert '<a href="/conferences/nips-2023/">NIPS 2023</a>' in stored_card(post)


def test_retagging_and_renaming_a_tag_change_the_card(post):
    post.tags.add("proteins")
    assert ">proteins</a>" in stored_card(post)
    post.tags.remove("biology")
    assert ">biology</a>" not in stored_card(post)
    tag = Tag.objects.get(name="genomics")
    tag.name, tag.slug = "Genomics", "genome-science"
    tag.save()
    assert '<a href="/tags/genome-science/">Genomics</a>' in stored_card(post)
    Tag.objects.get(name="proteins").delete()
    assert "proteins" not in stored_card(post)
    post.tags.clear()
    assert 'class="tags"' not in stored_card(post)
    assert stored_card(post) == live_card(post)


def test_an_import_stores_the_card_and_a_reimport_replaces_it():
    text = FIXTURE.read_text()
    import_post(source=MarkdownSource(FIXTURE.name, text.encode()))
    post = Post.objects.get(title="NeurIPS 2023 Health & Bio Conference Review")
    assert '<a href="/tags/conference-review/">conference review</a>' in stored_card(post)
    changed = text.replace("- conference review", "- genomics").replace(
        "subtitle: Health and biology highlights", "subtitle: Only genomes"
    )
    import_post(source=MarkdownSource(FIXTURE.name, changed.encode()), update=True)
    card = stored_card(post)
    assert '<li><a href="/tags/genomics/">genomics</a></li>' in card
    assert "conference review" not in card
    assert '<p class="subtitle">Only genomes from NeurIPS 2023</p>' in card
    assert card == live_card(post)


def test_publishing_a_working_copy_moves_its_changes_onto_the_live_card(post, curator):
    copy = open_working_copy(post=post, by=curator)
    copy.title = "Genomes, revised"
    copy.save()
    copy.tags.set(["proteins"])
    assert "Genomes at NeurIPS</a>" in stored_card(post)
    publish_changes(copy=copy, by=curator)
    card = stored_card(post)
    assert "Genomes, revised</a>" in card
    assert '<li><a href="/tags/proteins/">proteins</a></li>' in card
    assert "genomics" not in card


def test_a_post_written_around_the_signals_is_shown_live_not_empty(post, client):
    Post.objects.filter(pk=post.pk).update(card_html="")
    html = client.get("/").content.decode()
    assert html.count(live_card(post)) == 1


def test_a_restored_backup_renders_every_card_again(post):
    Post.objects.filter(pk=post.pk).update(card_html="<article>stale</article>", title="Restored")
    apps.get_app_config("reviews").after_restore()
    assert "Restored</a>" in stored_card(post)


def test_the_command_stores_the_cards_a_migration_left_empty(post):
    Post.objects.update(card_html="")
    out = StringIO()
    call_command("refresh_post_cards", stdout=out)
    assert out.getvalue() == "Refreshed 1 of 1 post cards.\n"
    assert stored_card(post) == live_card(post)


def test_refreshing_writes_only_the_cards_that_changed(post):
    other = PostFactory()
    Post.objects.filter(pk=other.pk).update(card_html="")
    assert refresh_post_cards(post_ids=[post.pk, other.pk, 0]) == [other.pk]
    assert refresh_post_cards(post_ids=[post.pk, other.pk]) == []


def test_a_drafts_card_is_on_no_list_page(post):
    draft = PostFactory(title="Secret draft review", conference=post.conference)
    draft.tags.set(["genomics"])
    assert "Secret draft review" in stored_card(draft)
    for name, html in list_pages(post).items():
        assert "Genomes at NeurIPS</a>" in html, name
        assert "Secret draft review" not in html, name


def test_unpublishing_takes_the_card_off_every_list_page(post, curator):
    PostFactory(published=True, title="Still public", conference=post.conference).tags.set(
        ["genomics"]
    )
    unpublish_post(post=post, by=curator)
    for name, html in list_pages(post).items():
        assert "Still public</a>" in html, name
        assert "Genomes at NeurIPS" not in html, name
