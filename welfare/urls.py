from django.urls import path

from welfare import views

app_name = "welfare"

urlpatterns = [
    path("", views.home, name="home"),
    path("follow-ups/<int:pk>/", views.follow_up_detail, name="follow_up_detail"),
    path("distress/", views.distress_raise, name="distress_raise"),
    path("distress/<int:pk>/", views.distress_detail, name="distress_detail"),
]
