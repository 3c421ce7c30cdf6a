from django.urls import path

from privacy import views

app_name = "privacy"

urlpatterns = [
    path("subject-access/", views.sar_list, name="sar_list"),
    path("subject-access/new/", views.sar_create, name="sar_create"),
    path("subject-access/<int:pk>/", views.sar_detail, name="sar_detail"),
    path("subject-access/<int:pk>/status/", views.sar_status, name="sar_status"),
    path("subject-access/<int:pk>/download/", views.sar_download, name="sar_download"),
    path("subject-access/<int:pk>/retry/", views.sar_retry, name="sar_retry"),
    path("retention/", views.retention, name="retention"),
    path("customers/<int:customer_pk>/challenge/", views.challenge_create,
         name="challenge_create"),
    path("customers/<int:customer_pk>/legal-hold/", views.legal_hold, name="legal_hold"),
    path("legal-holds/<int:pk>/release/", views.legal_hold_release,
         name="legal_hold_release"),
    path("challenges/<int:pk>/decide/", views.challenge_decide, name="challenge_decide"),
]
