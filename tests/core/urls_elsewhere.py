"""A second URLconf, as a request may carry its own (``request.urlconf``), for
tests/core/test_routes.py."""

from django.http import HttpResponse
from django.urls import include, path

urlpatterns = [path("elsewhere/", include(
    ([path("help/", lambda request: HttpResponse(), name="help_index")], "core")))]
