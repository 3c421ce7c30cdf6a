from django.urls import path

from documents import views

app_name = "documents"

urlpatterns = [
    path("<int:pk>/download/", views.document_download, name="download"),
    path("restriction/<int:pk>/letter/", views.restriction_letter_issue,
         name="restriction_letter"),
    path("appeal/<int:pk>/letter/", views.appeal_letter_issue, name="appeal_letter"),
    path("call-log/<int:pk>/copy/", views.calllog_copy, name="calllog_copy"),
    path("at-risk/<int:pk>/note/", views.atrisk_note, name="atrisk_note"),
]
