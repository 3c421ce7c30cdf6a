from django.urls import path

from dashboards import views

app_name = "dashboards"

urlpatterns = [
    path("team/", views.team, name="team"),
    path("department/", views.department, name="department"),
    path("reports/", views.report_index, name="reports"),
    path("reports/<slug:slug>/", views.report_detail, name="report"),
    path("reports/<slug:slug>.csv", views.report_csv, name="report_csv"),
]
