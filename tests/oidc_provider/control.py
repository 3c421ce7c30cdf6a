"""The test's hand on the provider: register the client and set users and their groups.

POST JSON to /test-control/ with the ``X-Control-Token`` the test started the provider with.
"""

import hmac
import json
import os

from django.contrib.auth.models import Group, User
from django.db import transaction
from django.http import HttpResponse, HttpResponseForbidden
from django.views.decorators.csrf import csrf_exempt
from oauth2_provider.models import get_application_model


@csrf_exempt
def control(request):
    token = request.headers.get("X-Control-Token", "")
    if request.method != "POST" or not hmac.compare_digest(token,
                                                           os.environ["TEST_PROVIDER_TOKEN"]):
        return HttpResponseForbidden()
    body = json.loads(request.body)
    with transaction.atomic():
        if "application" in body:
            _application(**body["application"])
        for spec in body.get("users", []):
            _user(**spec)
    return HttpResponse("ok")


def _application(*, client_id, client_secret, redirect_uri, post_logout_redirect_uri):
    application_model = get_application_model()
    application_model.objects.filter(client_id=client_id).delete()
    application_model.objects.create(
        name="Customer contact service (under test)",
        client_id=client_id,
        client_secret=client_secret,
        client_type=application_model.CLIENT_CONFIDENTIAL,
        authorization_grant_type=application_model.GRANT_AUTHORIZATION_CODE,
        redirect_uris=redirect_uri,
        post_logout_redirect_uris=post_logout_redirect_uri,
        algorithm=application_model.RS256_ALGORITHM,
        skip_authorization=True,
    )


def _user(*, username, password, first_name="", last_name="", email="", groups=(),
          is_active=True):
    user, _ = User.objects.get_or_create(username=username)
    user.first_name, user.last_name, user.email = first_name, last_name, email
    user.is_active = is_active
    user.set_password(password)
    user.save()
    user.groups.set([Group.objects.get_or_create(name=name)[0] for name in groups])
