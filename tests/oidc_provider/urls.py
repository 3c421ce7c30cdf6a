import json

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import JsonResponse
from django.urls import include, path
from jwcrypto import jwk

from tests.oidc_provider.control import control


def decoy_jwks(request):
    """A key set with the provider's key id but another key: a token the provider signed
    looks wrongly signed to a client that trusts this set."""
    real = jwk.JWK.from_pem(settings.OAUTH2_PROVIDER["OIDC_RSA_PRIVATE_KEY"].encode())
    decoy = jwk.JWK.generate(kty="RSA", size=2048)
    public = json.loads(decoy.export_public())
    public.update(kid=real.thumbprint(), alg="RS256", use="sig")
    return JsonResponse({"keys": [public]})


urlpatterns = [
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
    path("login/", auth_views.LoginView.as_view(template_name="registration/login.html")),
    path("decoy-jwks/", decoy_jwks),
    path("test-control/", control),
]
