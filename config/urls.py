from django.conf import settings
from django.contrib import admin
from django.urls import include, path

import reviews.urls
from core.health import healthz
from reviews.media.serve import serve_media

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # django-rq's queue dashboard (staff only): queued, scheduled and failed jobs with requeue.
    path("admin/rq/", include("django_rq.urls")),
    path("admin/", admin.site.urls),
    path("", include("reviews.urls")),
    path("search/", include("search.urls")),
    path("api/", include("api.urls")),
    path("", include((reviews.urls.papers_urlpatterns, "papers"))),
]

urlpatterns.insert(
    0, path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", serve_media, name="media")
)

handler500 = "core.errors.server_error"
