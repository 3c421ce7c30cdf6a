from django.urls import path

from restrictions import views

app_name = "restrictions"

urlpatterns = [
    path("to-decide/", views.queue, {"name": "to_decide"}, name="to_decide"),
    path("mine/", views.queue, {"name": "mine"}, name="mine"),
    path("reviews-due/", views.queue, {"name": "reviews_due"}, name="reviews_due"),
    path("triage/", views.triage_list, name="triage"),
    path("triage/<int:pk>/", views.triage_sign_off, name="triage_sign_off"),
    path("customer/<int:customer_id>/", views.customer_summary, name="customer"),
    path("customer/<int:customer_id>/request/", views.restriction_create, name="create"),
    path("customer/<int:customer_id>/further-action/", views.further_action_create,
         name="further_action"),
    path("<int:pk>/", views.restriction_detail, name="detail"),
    path("<int:pk>/grounds/", views.restriction_grounds, name="grounds"),
    path("<int:pk>/change/", views.restriction_edit, name="edit"),
    path("<int:pk>/withdraw/", views.restriction_withdraw, name="withdraw"),
    path("<int:pk>/decide/", views.restriction_decide, name="decide"),
    path("<int:pk>/review/", views.restriction_review, name="review"),
    path("<int:pk>/letter/", views.restriction_letter, name="letter"),
    path("<int:pk>/letter/record/", views.restriction_letter_record, name="letter_record"),
    path("<int:pk>/appeal/", views.appeal_create, name="appeal"),
    path("appeals/<int:pk>/decide/", views.appeal_decide, name="appeal_decide"),
    path("appeals/<int:pk>/letter/", views.appeal_letter, name="appeal_letter"),
]
