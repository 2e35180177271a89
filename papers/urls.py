from django.urls import path

from . import bibtex_views, views

app_name = "papers"

urlpatterns = [
    path("conferences/", views.ConferenceListView.as_view(), name="conference-list"),
    path(
        "conferences/<slug:slug>/", views.ConferenceDetailView.as_view(), name="conference-detail"
    ),
    path("papers/<slug:slug>/", views.PaperDetailView.as_view(), name="paper-detail"),
    path("papers/<slug:slug>.bib", bibtex_views.PaperBibtexView.as_view(), name="paper-bibtex"),
    path(
        "conferences/<slug:slug>.bib",
        bibtex_views.ConferenceBibtexView.as_view(),
        name="conference-bibtex",
    ),
]
