from django.urls import path

from papers import bibtex_views, views

app_name = "papers"

# conference-detail and paper-detail show posts, so they live in reviews.urls.papers_urlpatterns;
# config/urls.py mounts both lists under this namespace.
urlpatterns = [
    path("conferences/", views.ConferenceListView.as_view(), name="conference-list"),
    path("papers/<slug:slug>.bib", bibtex_views.PaperBibtexView.as_view(), name="paper-bibtex"),
    path(
        "conferences/<slug:slug>.bib",
        bibtex_views.ConferenceBibtexView.as_view(),
        name="conference-bibtex",
    ),
    path("papers/", views.PaperListView.as_view(), name="paper-list"),
]
