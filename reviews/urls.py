from django.urls import path

from . import bibtex_views, views

app_name = "reviews"

urlpatterns = [
    path("", views.PostListView.as_view(), name="post-list"),
    path("posts/<slug:slug>/", views.PostDetailView.as_view(), name="post-detail"),
    path("posts/<slug:slug>.bib", bibtex_views.PostBibtexView.as_view(), name="post-bibtex"),
]
