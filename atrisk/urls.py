from django.urls import path

from atrisk import views

app_name = "atrisk"

urlpatterns = [
    path("", views.report_list, name="report_list"),
    path("new/", views.report_create, name="report_create"),
    path("<int:pk>/", views.report_detail, name="report_detail"),
    path("<int:pk>/acknowledge/", views.report_acknowledge, name="report_acknowledge"),
    path("<int:pk>/assessment/", views.report_assess, name="report_assess"),
    path("<int:pk>/case-file/", views.report_file_note, name="report_file_note"),
    path("<int:pk>/disclosures/new/", views.disclosure_create, name="disclosure_create"),
    path("disclosures/", views.register, name="register"),
    path("disclosures.csv", views.register_csv, name="register_csv"),
    path("disclosures/<int:pk>/record/", views.disclosure_register_entry,
         name="disclosure_register_entry"),
    path("duty/", views.duty_rota_view, name="duty_rota"),
]
