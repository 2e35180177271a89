from django.urls import path

from reviews import bibtex_views, feeds, video_views, views
from reviews.sitemaps import sitemap

app_name = "reviews"

urlpatterns = [
    path("", views.PostListView.as_view(), name="post-list"),
    path("posts/<slug:slug>.md", views.PostMarkdownView.as_view(), name="post-markdown"),
    path("posts/<slug:slug>/", views.PostDetailView.as_view(), name="post-detail"),
    path("posts/<slug:slug>.bib", bibtex_views.PostBibtexView.as_view(), name="post-bibtex"),
    path("tags/", views.TagListView.as_view(), name="tag-list"),
    path("tags/<slug:slug>/", views.TagDetailView.as_view(), name="tag-detail"),
    path("feed/", feeds.LatestPostsFeed(), name="feed-rss"),
    path("feed/atom/", feeds.LatestPostsAtomFeed(), name="feed-atom"),
    path("tags/<slug:slug>/feed/", feeds.TagFeed(), name="tag-feed-rss"),
    path("tags/<slug:slug>/feed/atom/", feeds.TagAtomFeed(), name="tag-feed-atom"),
    path("conferences/<slug:slug>/feed/", feeds.ConferenceFeed(), name="conference-feed-rss"),
    path(
        "conferences/<slug:slug>/feed/atom/",
        feeds.ConferenceAtomFeed(),
        name="conference-feed-atom",
    ),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("robots.txt", views.RobotsView.as_view(), name="robots"),
    path("keynotes/<int:pk>/", views.KeynoteDetailView.as_view(), name="keynote-detail"),
    path(
        "keynotes/<int:pk>/videos/new/",
        video_views.SuggestKeynoteVideoView.as_view(),
        name="keynote-suggest-video",
    ),
]

# The pages of the "papers" namespace: which papers and conferences are public depends on the
# posts (reviews.visibility), so their views live here and papers never imports reviews.
papers_urlpatterns = [
    path("conferences/", views.ConferenceListView.as_view(), name="conference-list"),
    path("papers/<slug:slug>.bib", bibtex_views.PaperBibtexView.as_view(), name="paper-bibtex"),
    path("papers/<slug:slug>.ris", bibtex_views.PaperRisView.as_view(), name="paper-ris"),
    path(
        "papers/<slug:slug>.csl.json",
        bibtex_views.PaperCslJsonView.as_view(),
        name="paper-csl-json",
    ),
    path(
        "conferences/<slug:slug>.bib",
        bibtex_views.ConferenceBibtexView.as_view(),
        name="conference-bibtex",
    ),
    path("papers/", views.PaperListView.as_view(), name="paper-list"),
    path(
        "conferences/<slug:slug>/", views.ConferenceDetailView.as_view(), name="conference-detail"
    ),
    path("papers/<slug:slug>/", views.PaperDetailView.as_view(), name="paper-detail"),
    path(
        "papers/<slug:slug>/videos/new/",
        video_views.SuggestPaperVideoView.as_view(),
        name="paper-suggest-video",
    ),
    path("authors/", views.AuthorListView.as_view(), name="author-list"),
    path("authors/<slug:slug>/", views.AuthorDetailView.as_view(), name="author-detail"),
]
