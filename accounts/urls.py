from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("sign-in/", views.SignInView.as_view(), name="login"),
    path("sign-out/", views.SignOutView.as_view(), name="logout"),
    path("two-factor/", views.two_factor, name="two_factor"),
    path("enrolment/", views.enrolment_list, name="enrolment"),
    path("enrolment/<int:pk>/", views.enrolment_code_issue, name="enrolment_code_issue"),
]
