"""A URLconf with one view that fails, to prove the 500 page hides the details."""

from django.urls import include, path


def broken(request):
    raise RuntimeError("secret detail: customer 12345 said something")


urlpatterns = [path("broken/", broken), path("", include("config.urls"))]
handler500 = "core.views.server_error"
