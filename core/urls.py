from django.urls import path

from core import views
from core.metrics import metrics_view
from core.navigation import SECTIONS

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    # Issue 23: Prometheus, with METRICS_TOKEN only (core.metrics); 404 when it is unset.
    path("metrics", metrics_view, name="metrics"),
    path("help/", views.help_index, name="help_index"),
    path("help/<slug:slug>/", views.help_topic, name="help"),
    # Issue 24: one page per section of the navigation (/team/, /decisions/, ...).
    *(path(f"{s.slug}/", views.section, {"slug": s.slug}, name=f"section_{s.slug}")
      for s in SECTIONS),
]
