from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

import papers.urls
import reviews.urls

urlpatterns = [
    path("admin/", admin.site.urls),
    path("_nested_admin/", include("nested_admin.urls")),
    path("", include("reviews.urls")),
    path(
        "",
        include(([*papers.urls.urlpatterns, *reviews.urls.papers_urlpatterns], "papers")),
    ),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
