from django.urls import path

from accounts import departments, views

app_name = "accounts"

urlpatterns = [
    path("sign-in/", views.SignInView.as_view(), name="login"),
    path("sign-out/", views.SignOutView.as_view(), name="logout"),
    path("two-factor/", views.two_factor, name="two_factor"),
    path("enrolment/", views.enrolment_list, name="enrolment"),
    path("enrolment/<int:pk>/", views.enrolment_code_issue, name="enrolment_code_issue"),
    # 7.2, 12.1: administrators record Heads and acting Heads of Department (audited)
    path("departments/", departments.department_list, name="departments"),
    path("departments/<int:pk>/head/", departments.department_head, name="department_head"),
    path("departments/<int:pk>/acting/", departments.acting_head_appoint,
         name="acting_head_appoint"),
    path("acting-heads/<int:pk>/end/", departments.acting_head_end, name="acting_head_end"),
]
