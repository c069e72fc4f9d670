"""The site's URLs plus one view that fails: for tests of what a failure leaves behind."""

from django.urls import path

from config.urls import urlpatterns as site_urls


def fails(request):
    raise RuntimeError("a bug in a view")


urlpatterns = [path("fails/", fails), *site_urls]
