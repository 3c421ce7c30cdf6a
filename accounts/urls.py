from django.urls import path

from accounts import views
from accounts.sso import views as sso_views

app_name = "accounts"

urlpatterns = [
    path("sign-in/", views.SignInView.as_view(), name="login"),
    path("sign-out/", views.SignOutView.as_view(), name="logout"),
    path("two-factor/", views.two_factor, name="two_factor"),
    # Single sign-on (issue 21); the redirect URI to register is .../accounts/oidc/callback/
    path("oidc/start/", sso_views.ProviderSignInStart.as_view(), name="oidc_start"),
    path("oidc/callback/", sso_views.ProviderCallback.as_view(), name="oidc_callback"),
    path("break-glass/", views.SignInView.as_view(break_glass=True), name="break_glass"),
]
