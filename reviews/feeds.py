"""RSS and Atom feeds of public posts: all of them, per tag and per conference."""

import datetime

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import format_html

from core.rendering import render_curator_markdown
from reviews.selectors import post_listing
from reviews.structured_data import absolute_url
from reviews.visibility import public_conferences, public_posts, public_topics

FEED_SIZE = 20
EMPTY_FEED_DATE = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)


class StableDateMixin:
    """An empty feed is dated to a fixed day, not to now, so it changes only with its content."""

    def latest_post_date(self):
        return super().latest_post_date() if self.items else EMPTY_FEED_DATE


class RssFeedType(StableDateMixin, Rss201rev2Feed):
    pass


class AtomFeedType(StableDateMixin, Atom1Feed):
    pass


class LatestPostsFeed(Feed):
    feed_type = RssFeedType
    title = "Conference Reviews"
    description = "Curated reviews of scientific conferences: keynotes, papers, peer reviews."

    def link(self):
        return absolute_url(reverse("reviews:post-list"))

    def feed_url(self, obj=None):
        return absolute_url(self.request_path)

    def __call__(self, request, *args, **kwargs):
        self.request_path = request.path
        return super().__call__(request, *args, **kwargs)

    def posts(self, obj):
        return public_posts()

    def items(self, obj=None):
        return post_listing(self.posts(obj))[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        subtitle = format_html("<p>{}</p>", item.subtitle) if item.subtitle else ""
        return subtitle + render_curator_markdown(item.intro)

    def item_link(self, item):
        return absolute_url(item.get_absolute_url())

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.author_name or None

    def item_categories(self, item):
        # By name: the prefetched tags come in no fixed order on PostgreSQL.
        return sorted(tag.name for tag in item.tags.all())


class LatestPostsAtomFeed(LatestPostsFeed):
    feed_type = AtomFeedType
    subtitle = LatestPostsFeed.description


class TagFeed(LatestPostsFeed):
    def get_object(self, request, slug):
        return get_object_or_404(public_topics(), slug__iexact=slug)

    def title(self, obj):
        return f"Conference Reviews: {obj.name}"

    def description(self, obj):
        return f"Public posts tagged “{obj.name}”."

    def link(self, obj):
        return absolute_url(reverse("reviews:tag-detail", kwargs={"slug": obj.slug}))

    def posts(self, obj):
        return public_posts().tagged(obj)


class TagAtomFeed(TagFeed):
    feed_type = AtomFeedType
    subtitle = TagFeed.description


class ConferenceFeed(LatestPostsFeed):
    def get_object(self, request, slug):
        return get_object_or_404(public_conferences(), slug=slug)

    def title(self, obj):
        return f"Conference Reviews: {obj}"

    def description(self, obj):
        return f"Public posts about {obj}."

    def link(self, obj):
        return absolute_url(obj.get_absolute_url())

    def posts(self, obj):
        return public_posts().for_conference(obj)


class ConferenceAtomFeed(ConferenceFeed):
    feed_type = AtomFeedType
    subtitle = ConferenceFeed.description
