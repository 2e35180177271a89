from django.urls import path

from . import views

app_name = "reviews"

urlpatterns = [
    path("", views.PostListView.as_view(), name="post-list"),
    path("posts/<slug:slug>/", views.PostDetailView.as_view(), name="post-detail"),
    path("search/", views.SearchView.as_view(), name="search"),
]
