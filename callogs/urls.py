from django.urls import path

from callogs import views

app_name = "callogs"

urlpatterns = [
    path("", views.my_logs, name="my_logs"),
    path("reviews/", views.review_queue, name="review_queue"),
    path("contact/<int:contact_pk>/start/", views.log_start, name="log_start"),
    path("contact/<int:contact_pk>/take-over/", views.contact_take_over, name="take_over"),
    path("<int:pk>/", views.log_detail, name="log_detail"),
    path("<int:pk>/edit/", views.log_edit, name="log_edit"),
    path("<int:pk>/submit/", views.log_submit, name="log_submit"),
    path("<int:pk>/print/", views.log_print, name="log_print"),
    path("<int:pk>/case-file/", views.log_place_in_case_file, name="log_case_file"),
    path("<int:pk>/review/", views.log_review, name="review"),
    path("<int:pk>/return/", views.log_return, name="log_return"),
]
