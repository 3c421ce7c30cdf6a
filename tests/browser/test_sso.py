"""Sign-in through a REAL OpenID Connect provider on 127.0.0.1 (issue 21).

The provider is django-oauth-toolkit in its own process (tests/oidc_provider): users sign in
on its own page, it enforces PKCE, signs ID tokens with its RSA key and issues its groups as
claims. The browser follows every redirect: service -> provider -> service.
"""

import copy
import html
from datetime import timedelta
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone
from playwright.sync_api import expect

from accounts.constants import Role
from accounts.models import Department, ExternalIdentity, User
from accounts.sso.config import forget_discovery
from audit.models import AuditEvent
from tests.oidc_provider.fixtures import CLIENT_ID, CLIENT_SECRET, PROVIDER_PASSWORD, Provider

pytestmark = pytest.mark.django_db(transaction=True)
ORGANISATION = "Test Council"


@pytest.fixture(scope="module")
def provider(tmp_path_factory):
    running = Provider(tmp_path_factory.mktemp("oidc-provider"))
    yield running
    running.stop()


@pytest.fixture
def sso(provider, live_server, settings):
    """The service signs in through the test provider; local accounts are off."""
    provider.register_client(live_server.url)
    settings.OIDC_ISSUER = provider.issuer
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_ORGANISATION_NAME = ORGANISATION
    settings.OIDC_ROLE_GROUPS = {
        Role.CASEWORKER: ["ucb-caseworkers"],
        Role.LINE_MANAGER: ["ucb-managers"],
        Role.HEAD_OF_DEPARTMENT: ["ucb-heads"],
    }
    settings.OIDC_LINE_MANAGER_CLAIM = "manager_sub"
    settings.LOCAL_ACCOUNTS_ENABLED = False
    # settings.py adds the issuer's origin to form-action when OIDC_ISSUER is set at start-up.
    csp = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
    csp["DIRECTIVES"]["form-action"].append(provider.url)
    settings.CONTENT_SECURITY_POLICY = csp
    forget_discovery()
    yield provider
    forget_discovery()


def start_sign_in(page, live_server):
    page.goto(f"{live_server.url}/accounts/sign-in/")
    page.get_by_role("button", name=f"Sign in with {ORGANISATION}").click()


def provider_login(page, provider, username):
    page.wait_for_url(f"{provider.url}/login/**")
    page.get_by_label("Provider username").fill(username)
    page.get_by_label("Provider password").fill(PROVIDER_PASSWORD)
    page.get_by_role("button", name="Continue").click()


def sign_in_through_provider(page, live_server, provider, username):
    start_sign_in(page, live_server)
    provider_login(page, provider, username)


def refusal(page):
    expect(page.get_by_role("heading", name="You have not been signed in")).to_be_visible()
    return page.locator("[data-reason]").get_attribute("data-reason")


def test_caseworker_is_provisioned_and_the_role_follows_the_provider_groups(
        page, live_server, sso, axe_check):
    department = Department.objects.create(name="Customer Contact")
    sso.user("casey", groups=["ucb-caseworkers", "dept:Customer Contact"],
             first_name="Casey", last_name="Walsh", email="casey@example.org")

    page.goto(f"{live_server.url}/accounts/sign-in/")
    expect(page.get_by_label("Password")).to_have_count(0)  # local accounts are off
    axe_check(page)
    sign_in_through_provider(page, live_server, sso, "casey")
    page.wait_for_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="Your work")).to_be_visible()

    identity = ExternalIdentity.objects.select_related("user").get(issuer=sso.issuer)
    user = identity.user
    assert (user.first_name, user.last_name, user.email) == ("Casey", "Walsh",
                                                             "casey@example.org")
    assert user.role_names == {Role.CASEWORKER}
    assert user.department == department
    assert "user.provisioned" in AuditEvent.objects.values_list("action", flat=True)

    # Sign-out ends this session and, RP-initiated, the provider's: the next sign-in asks
    # for the provider password again.
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{live_server.url}/accounts/sign-in/")
    page.goto(f"{live_server.url}/")
    page.wait_for_url(f"{live_server.url}/accounts/sign-in/**")

    # Moved to a manager's job at the provider: the role here follows at the next sign-in.
    sso.user("casey", groups=["ucb-managers"], first_name="Casey", last_name="Walsh-Reid",
             email="casey@example.org")
    sign_in_through_provider(page, live_server, sso, "casey")
    page.wait_for_url(f"{live_server.url}/")
    user = User.objects.get(pk=user.pk)
    assert user.role_names == {Role.LINE_MANAGER}
    assert user.last_name == "Walsh-Reid"
    assert ExternalIdentity.objects.count() == 1
    event = AuditEvent.objects.filter(action="user.roles_from_provider").order_by("id").last()
    assert event.changes["removed"] == [Role.CASEWORKER]
    assert event.changes["added"] == [Role.LINE_MANAGER]


def test_head_of_department_whose_provider_asserted_mfa_needs_no_local_code(
        page, live_server, sso):
    sso.user("hannah", groups=["ucb-heads", "ucb-managers", "_mfa"], first_name="Hannah",
             last_name="Okafor", email="hannah@example.org")
    # By keyboard alone: Tab to the button, Enter.
    page.goto(f"{live_server.url}/accounts/sign-in/")
    for _ in range(20):
        page.keyboard.press("Tab")
        if "Sign in with" in page.evaluate("document.activeElement.textContent"):
            break
    page.keyboard.press("Enter")
    provider_login(page, sso, "hannah")
    page.wait_for_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="Your work")).to_be_visible()
    user = User.objects.get(external_identities__issuer=sso.issuer)
    assert user.role_names == {Role.HEAD_OF_DEPARTMENT, Role.LINE_MANAGER}
    # A provider session keeps the idle limit: 30 minutes without a request ends it.
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    page.goto(f"{live_server.url}/")
    page.wait_for_url(f"{live_server.url}/accounts/sign-in/**")


def test_head_of_department_without_provider_mfa_falls_back_to_the_local_code(
        page, live_server, sso):
    sso.user("helen", groups=["ucb-heads"], first_name="Helen", last_name="Brooks")
    sign_in_through_provider(page, live_server, sso, "helen")
    page.wait_for_url(f"{live_server.url}/accounts/two-factor/**")
    page.goto(f"{live_server.url}/")  # no way round the code
    page.wait_for_url(f"{live_server.url}/accounts/two-factor/**")


def test_line_manager_comes_from_the_manager_claim(page, live_server, sso):
    sso.user("morgan", groups=["ucb-managers"], first_name="Morgan", last_name="Reid")
    sign_in_through_provider(page, live_server, sso, "morgan")
    page.wait_for_url(f"{live_server.url}/")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{live_server.url}/accounts/sign-in/")
    sso.user("chris", groups=["ucb-caseworkers", "manager:morgan"], first_name="Chris")
    sign_in_through_provider(page, live_server, sso, "chris")
    page.wait_for_url(f"{live_server.url}/")
    chris = User.objects.get(first_name="Chris")
    assert chris.line_manager == User.objects.get(first_name="Morgan")


def test_no_mapped_group_is_refused_with_a_clear_page(page, live_server, sso, axe_check):
    sso.user("nobody", groups=["some-other-team"], first_name="No", last_name="Body")
    sign_in_through_provider(page, live_server, sso, "nobody")
    assert refusal(page) == "no_mapped_group"
    expect(page.get_by_text("You do not have a role in this service")).to_be_visible()
    axe_check(page)
    assert not User.objects.exists()
    page.goto(f"{live_server.url}/")
    page.wait_for_url(f"{live_server.url}/accounts/sign-in/**")


def test_user_disabled_here_cannot_sign_in_through_the_provider(page, live_server, sso):
    sso.user("leaver", groups=["ucb-caseworkers"], first_name="Lee")
    sign_in_through_provider(page, live_server, sso, "leaver")
    page.wait_for_url(f"{live_server.url}/")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{live_server.url}/accounts/sign-in/")
    User.objects.filter(first_name="Lee").update(is_active=False)
    sign_in_through_provider(page, live_server, sso, "leaver")
    assert refusal(page) == "disabled"


def _hold_at(page, prefix):
    """Stop the browser at the first navigation to a URL starting ``prefix``; return a list
    that then holds that URL. Playwright routes only the first request of a redirect chain,
    so every navigation is fetched here one hop at a time and its redirect passed on as a
    new navigation."""
    captured = []

    def handler(route):
        request = route.request
        if captured or not request.is_navigation_request():
            route.continue_()
        elif request.url.startswith(prefix):
            captured.append(request.url)
            route.fulfill(status=200, content_type="text/plain", body="held by the test")
        else:
            response = route.fetch(max_redirects=0)
            location = response.headers.get("location")
            if not location:
                route.fulfill(response=response)
                return
            # The next hop as a new navigation (a meta refresh), so it is routed too.
            headers = {k: v for k, v in response.headers.items()
                       if k not in ("location", "content-length", "content-type")}
            target = html.escape(urljoin(request.url, location))
            route.fulfill(status=200, headers=headers, content_type="text/html",
                          body=f'<meta http-equiv="refresh" content="0;url={target}">')

    page.route("**/*", handler)
    return captured


def _with_param(url, name, value):
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    query[name] = value
    return urlunsplit(parts._replace(query=urlencode(query)))


def test_tampered_state_is_refused(page, live_server, sso):
    sso.user("casey", groups=["ucb-caseworkers"])
    captured = _hold_at(page, f"{live_server.url}/accounts/oidc/callback/")
    sign_in_through_provider(page, live_server, sso, "casey")
    expect(page.get_by_text("held by the test")).to_be_visible()
    page.unroute("**/*")
    page.goto(_with_param(captured[0], "state", "tampered-state"))
    assert refusal(page) == "state_mismatch"
    assert not User.objects.exists()


def test_tampered_nonce_is_refused(page, live_server, sso):
    sso.user("casey", groups=["ucb-caseworkers"])
    captured = _hold_at(page, f"{sso.issuer}/authorize/")
    start_sign_in(page, live_server)
    expect(page.get_by_text("held by the test")).to_be_visible()
    page.unroute("**/*")
    sent = dict(parse_qsl(urlsplit(captured[0]).query))
    assert sent["code_challenge_method"] == "S256"  # PKCE on every request
    assert len(sent["code_challenge"]) == 43
    page.goto(_with_param(captured[0], "nonce", "tampered-nonce"))
    provider_login(page, sso, "casey")
    assert refusal(page) == "untrusted_token"
    assert not User.objects.exists()


def test_expired_id_token_is_refused(page, live_server, sso):
    sso.user("casey", groups=["ucb-caseworkers", "_expired_id_token"])
    sign_in_through_provider(page, live_server, sso, "casey")
    assert refusal(page) == "untrusted_token"
    assert not User.objects.exists()


def test_wrongly_signed_id_token_is_refused(page, live_server, sso, settings):
    # The service trusts a key set whose key (same key id) is not the one the provider used.
    settings.OIDC_OP_JWKS_ENDPOINT = f"{sso.url}/decoy-jwks/"
    sso.user("casey", groups=["ucb-caseworkers"])
    sign_in_through_provider(page, live_server, sso, "casey")
    assert refusal(page) == "untrusted_token"
    assert not User.objects.exists()
