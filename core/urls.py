from django.urls import path

from core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("help/", views.help_index, name="help_index"),
    path("help/<slug:slug>/", views.help_topic, name="help"),
]
