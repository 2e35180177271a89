"""The site's URLs plus one view that fails, for testing how a 500 is handled."""

from django.urls import path

from config.urls import urlpatterns as site_urlpatterns


def broken_view(request):
    raise RuntimeError("deliberate failure for the test")


urlpatterns = [path("broken/", broken_view), *site_urlpatterns]

handler500 = "core.errors.server_error"
