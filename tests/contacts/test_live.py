"""Live-call mode (issue 24): the steps of 7.3-7.5 recorded in place on one screen, through
htmx (``HX-Request``: the panel comes back) and without JavaScript (a plain post, redirected
back to the screen); both record the same steps through the same services. Ending the call
goes straight to the prefilled terminated-call log (8.1)."""

import re

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.constants import Role
from audit.models import AuditEvent
from callogs.models import TerminatedCallLog
from contacts import services
from contacts.constants import Behaviour, WordsStep
from contacts.constants import HandlingStepKind as Step
from contacts.models import Contact, SuggestedWords
from tests.accounts.factories import UserFactory
from tests.contacts.factories import ContactFactory, CustomerFactory, EmailContactFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
MODES = ["htmx", "no_js"]


@pytest.fixture
def contact(caseworker):
    return ContactFactory(staff=caseworker, customer=CustomerFactory(given_name="Amelia",
                                                                     family_name="Smith"))


def _live(contact) -> str:
    return reverse("contacts:contact_live", args=[contact.pk])


def _post(client, mode, url, data):
    return client.post(url, data, **(HTMX if mode == "htmx" else {}))


def _classify(client, mode, contact, behaviour, **extra):
    return _post(client, mode, reverse("contacts:contact_live_classify", args=[contact.pk]),
                 {"behaviour": behaviour, **extra})


def _step(client, mode, contact, step, **fields):
    return _post(client, mode, reverse("contacts:contact_live_step", args=[contact.pk, step]),
                 {f"{step}-{name}": value for name, value in fields.items()})


def _recorded(response, mode, contact) -> str:
    """The answer to a recorded step: the panel (htmx) or a redirect back (no JavaScript)."""
    if mode == "htmx":
        assert response.status_code == 200
        html = response.content.decode()
        assert html.startswith('<div id="live-panel">') or 'id="live-panel"' in html[:200]
        assert "<html" not in html, "htmx gets the panel, not the whole page"
        return html
    assert response.status_code == 302
    assert response["Location"] == _live(contact)
    return ""


def _steps(contact) -> list[str]:
    return list(contact.steps.values_list("step", flat=True))


def test_the_live_screen_shows_the_start_time_the_timer_and_the_classification(
        client_for, caseworker, contact):
    response = client_for(caseworker).get(_live(contact))
    html = response.content.decode()
    assert response.status_code == 200
    started = timezone.localtime(contact.started_at)
    assert f'datetime="{started.isoformat()}"' in html
    assert 'id="live-elapsed" role="timer" aria-live="off"' in html  # never announced
    assert 'id="live-classify-form"' in html
    assert f'hx-post="{reverse("contacts:contact_live_classify", args=[contact.pk])}"' in html
    assert f'action="{reverse("contacts:contact_live_classify", args=[contact.pk])}"' in html
    assert "<kbd>N</kbd> the next step" in html
    scripts = re.findall(r'<script src="([^"]+)"', html)
    assert any(src.endswith("django_htmx/htmx-2.min.js") for src in scripts)
    assert any(src.endswith("js/live-call.js") for src in scripts)
    assert all(src.startswith("/static/") for src in scripts), scripts  # no CDN


@pytest.mark.parametrize("mode", MODES)
def test_an_offensive_call_from_classification_to_its_log(client_for, caseworker, contact,
                                                          mode):
    client = client_for(caseworker)
    html = _recorded(_classify(client, mode, contact, Behaviour.OFFENSIVE), mode, contact)
    if mode == "no_js":
        html = client.get(_live(contact)).content.decode()
        assert "Behaviour recorded as Offensive or insulting" in html
    assert "Next step: Explained precisely" in html
    assert "<strong>Say (7.4.1):</strong>" in html  # the words, with their paragraph

    html = _recorded(_step(client, mode, contact, Step.EXPLAINED_UNACCEPTABLE,
                           note="Swearing"), mode, contact) or client.get(
        _live(contact)).content.decode()
    assert "Next step: Warned that the contact will end" in html
    assert "<strong>Say (7.4.3):</strong> I have asked you to stop" in html

    html = _recorded(_step(client, mode, contact, Step.WARNED_WILL_END, customer_unhappy="yes"),
                     mode, contact) or client.get(_live(contact)).content.decode()
    assert "Next step: Told them how to make a service complaint" in html  # 7.4.3: unhappy
    _recorded(_step(client, mode, contact, Step.TOLD_COMPLAINT), mode, contact)

    ended = _step(client, mode, contact, Step.ENDED_OFFENSIVE, explained="no", note="Shouting")
    log = TerminatedCallLog.objects.get(contact=contact)
    edit = reverse("callogs:log_edit", args=[log.pk])
    if mode == "htmx":  # htmx follows HX-Redirect: the browser opens the log
        assert ended.status_code == 200
        assert ended["HX-Redirect"] == edit
    else:
        assert ended.status_code == 302
        assert ended["Location"] == edit
    assert _steps(contact) == [Step.EXPLAINED_UNACCEPTABLE, Step.WARNED_WILL_END,
                               Step.TOLD_COMPLAINT, Step.ENDED_OFFENSIVE]
    contact.refresh_from_db()
    assert contact.terminated and not contact.is_live  # noqa: PT018
    assert log.is_draft and log.reason  # noqa: PT018  prefilled from the ending (8.1)
    page = client.get(edit)
    assert page.status_code == 200
    assert "Check the terminated-call log" in page.content.decode()


@pytest.mark.parametrize("mode", MODES)
def test_the_complaint_route_is_not_required_when_the_customer_was_not_unhappy(
        client_for, caseworker, contact, mode):
    client = client_for(caseworker)
    _classify(client, mode, contact, Behaviour.OFFENSIVE)
    _step(client, mode, contact, Step.EXPLAINED_UNACCEPTABLE)
    html = _recorded(_step(client, mode, contact, Step.WARNED_WILL_END, customer_unhappy="no"),
                     mode, contact) or client.get(_live(contact)).content.decode()
    assert "Next step: Ended the contact politely" in html
    assert 'id="live-step-told_complaint"' in html  # offered, not owed (7.4.3)
    _step(client, mode, contact, Step.ENDED_OFFENSIVE, explained="yes")
    assert _steps(contact) == [Step.EXPLAINED_UNACCEPTABLE, Step.WARNED_WILL_END,
                               Step.ENDED_OFFENSIVE]


@pytest.mark.parametrize("mode", MODES)
def test_abusive_behaviour_ends_at_once(client_for, caseworker, contact, mode):
    client = client_for(caseworker)
    html = _recorded(_classify(client, mode, contact, Behaviour.ABUSIVE), mode, contact) or (
        client.get(_live(contact)).content.decode())
    assert "Next step: Ended the contact for abuse or threats (7.5.1)" in html
    assert "<strong>Say (7.5.1):</strong> Abusive or threatening behaviour is totally" in html
    ended = _step(client, mode, contact, Step.ENDED_ABUSIVE, explained="yes")
    log = TerminatedCallLog.objects.get(contact=contact)
    target = ended["HX-Redirect"] if mode == "htmx" else ended["Location"]
    assert target == reverse("callogs:log_edit", args=[log.pk])
    assert _steps(contact) == [Step.ENDED_ABUSIVE]


@pytest.mark.parametrize("mode", MODES)
def test_difficult_behaviour_offers_consulting_and_a_callback(client_for, caseworker, contact,
                                                              mode):
    client = client_for(caseworker)
    html = _recorded(_classify(client, mode, contact, Behaviour.DIFFICULT), mode, contact) or (
        client.get(_live(contact)).content.decode())
    assert "Next step: Told the customer I need to consult someone (7.3)" in html
    assert "<strong>Say (7.3):</strong>" in html
    assert reverse("contacts:callback_arrange", args=[contact.pk]) in html
    assert "To arrange a callback, say (7.3):" in html
    assert "Ended the contact" not in html  # 7.3: difficult behaviour is never ended
    html = _recorded(_step(client, mode, contact, Step.TOLD_WILL_CONSULT), mode, contact) or (
        client.get(_live(contact)).content.decode())
    assert _steps(contact) == [Step.TOLD_WILL_CONSULT]
    assert 'id="live-step-told_will_consult"' not in html
    assert Contact.objects.get().is_live


@pytest.mark.parametrize("mode", MODES)
def test_a_step_out_of_order_is_refused_with_an_error_summary(client_for, caseworker, contact,
                                                              mode):
    client = client_for(caseworker)
    _classify(client, mode, contact, Behaviour.OFFENSIVE)
    response = _step(client, mode, contact, Step.ENDED_OFFENSIVE, explained="yes",
                     note="Kept note")
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert "Record the steps of 7.4 in order" in html
    assert ("<html" in html) is (mode == "no_js")
    assert _steps(contact) == []
    assert Contact.objects.get().is_live


@pytest.mark.parametrize("mode", MODES)
def test_bad_input_keeps_what_was_typed(client_for, caseworker, contact, mode):
    client = client_for(caseworker)
    _classify(client, mode, contact, Behaviour.OFFENSIVE)
    _step(client, mode, contact, Step.EXPLAINED_UNACCEPTABLE)
    response = _step(client, mode, contact, Step.WARNED_WILL_END, note="They kept shouting")
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert "not happy with this approach" in html
    assert "They kept shouting" in html
    assert _steps(contact) == [Step.EXPLAINED_UNACCEPTABLE]


@pytest.mark.parametrize("mode", MODES)
def test_the_equality_prompt_must_be_confirmed_in_place(client_for, caseworker, mode):
    contact = ContactFactory(staff=caseworker,
                             customer=CustomerFactory(communication_needs="Hard of hearing"))
    client = client_for(caseworker)
    response = _classify(client, mode, contact, Behaviour.OFFENSIVE)
    assert response.status_code == 200
    assert "Confirm you have considered" in response.content.decode()
    assert Contact.objects.get().behaviour == ""
    _recorded(_classify(client, mode, contact, Behaviour.OFFENSIVE, equality_considered="on"),
              mode, contact)
    assert Contact.objects.get().behaviour == Behaviour.OFFENSIVE


def test_a_written_contact_has_no_live_mode(client_for, caseworker):
    email = EmailContactFactory(staff=caseworker)
    response = client_for(caseworker).get(_live(email))
    assert response.status_code == 302
    assert response["Location"] == reverse("contacts:contact_detail", args=[email.pk])


def test_the_contact_screen_links_to_live_mode_while_the_call_lasts(client_for, caseworker,
                                                                    contact):
    client = client_for(caseworker)
    detail = reverse("contacts:contact_detail", args=[contact.pk])
    assert f'href="{_live(contact)}"' in client.get(detail).content.decode()
    services.contact_end(contact=contact, actor=caseworker)
    assert f'href="{_live(contact)}"' not in client.get(detail).content.decode()


def test_an_ended_call_links_to_its_log(client_for, caseworker, contact):
    services.contact_classify(contact=contact, actor=caseworker, behaviour=Behaviour.ABUSIVE)
    services.handling_step_record(contact=contact, actor=caseworker, step=Step.ENDED_ABUSIVE,
                                  explained=True)
    html = client_for(caseworker).get(_live(contact)).content.decode()
    log = TerminatedCallLog.objects.get(contact=contact)
    assert "This call has ended." in html
    assert reverse("callogs:log_edit", args=[log.pk]) in html
    assert 'id="live-classify-form"' not in html


# Permissions both ways -----------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
def test_only_the_owner_and_the_managers_above_use_live_mode(client_for, caseworker, manager,
                                                             other_caseworker, contact, mode):
    stranger = client_for(other_caseworker)
    assert stranger.get(_live(contact)).status_code == 403
    assert _classify(stranger, mode, contact, Behaviour.ABUSIVE).status_code == 403
    services.contact_classify(contact=contact, actor=caseworker, behaviour=Behaviour.ABUSIVE)
    refused = _step(stranger, mode, contact, Step.ENDED_ABUSIVE, explained="yes")
    assert refused.status_code == 403
    assert _steps(contact) == []
    assert Contact.objects.get().is_live
    boss = client_for(manager)
    assert boss.get(_live(contact)).status_code == 200
    ended = _step(boss, mode, contact, Step.ENDED_ABUSIVE, explained="yes")
    assert ended.status_code in (200, 302)
    assert _steps(contact) == [Step.ENDED_ABUSIVE]


def test_the_live_urls_need_sign_in_and_post(client, client_for, caseworker, contact):
    assert client.get(_live(contact)).status_code == 302
    url = reverse("contacts:contact_live_step", args=[contact.pk, Step.TOLD_WILL_CONSULT])
    assert client_for(caseworker).get(url).status_code == 405
    assert client_for(caseworker).post(
        reverse("contacts:contact_live_step", args=[contact.pk, "no_such_step"])
    ).status_code == 404


# The screen's queries ------------------------------------------------------------------


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_the_live_screen_queries_do_not_grow_with_the_steps(client_for, caseworker, contact,
                                                            django_assert_max_num_queries):
    client = client_for(caseworker)
    services.contact_classify(contact=contact, actor=caseworker, behaviour=Behaviour.OFFENSIVE)
    services.handling_step_record(contact=contact, actor=caseworker,
                                  step=Step.EXPLAINED_UNACCEPTABLE)
    one = _queries(client, _live(contact))
    services.handling_step_record(contact=contact, actor=caseworker, step=Step.WARNED_WILL_END,
                                  customer_unhappy=True)
    services.handling_step_record(contact=contact, actor=caseworker, step=Step.TOLD_COMPLAINT)
    assert _queries(client, _live(contact)) == one, "live screen queries grew with the steps"
    # 8 today: session, user, the contact, its two histories, the words, two banner checks
    with django_assert_max_num_queries(10):
        client.get(_live(contact))


# The suggested words: reference data an Administrator keeps ----------------------------


def test_the_migration_seeds_words_for_every_step_from_the_procedure():
    rows = {row.step: row for row in SuggestedWords.objects.all()}
    assert set(rows) == set(WordsStep.values)
    assert rows[Step.EXPLAINED_UNACCEPTABLE].paragraph == "7.4.1"
    assert "unable to continue to talk to you" in rows[Step.EXPLAINED_UNACCEPTABLE].words
    assert rows[Step.ENDED_ABUSIVE].paragraph == "7.5.1"
    assert "in line with our office policies" in rows[Step.ENDED_ABUSIVE].words


def test_changed_words_are_what_the_live_screen_shows(client_for, caseworker, contact):
    admin = UserFactory(roles=[Role.ADMINISTRATOR])
    row = SuggestedWords.objects.get(step=Step.EXPLAINED_UNACCEPTABLE)
    services.suggested_words_save(words=row, actor=admin, text="Please stop swearing.",
                                  paragraph="7.4.1 (local)")
    services.contact_classify(contact=contact, actor=caseworker, behaviour=Behaviour.OFFENSIVE)
    html = client_for(caseworker).get(_live(contact)).content.decode()
    assert "<strong>Say (7.4.1 (local)):</strong> Please stop swearing." in html
    event = AuditEvent.objects.get(action="suggestedwords.changed")
    assert event.actor == admin
    assert event.changes["words"][1] == "Please stop swearing."
    assert event.changes["paragraph"] == ["7.4.1", "7.4.1 (local)"]


@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.ADMINISTRATOR])
def test_only_an_administrator_changes_the_words(make_user, role):
    row = SuggestedWords.objects.get(step=Step.ENDED_ABUSIVE)
    with pytest.raises(Exception, match="Only an administrator"):
        services.suggested_words_save(words=row, actor=make_user(role), text="x", paragraph="1")
    assert SuggestedWords.objects.get(pk=row.pk).words == row.words


def test_empty_words_are_refused():
    admin = UserFactory(roles=[Role.ADMINISTRATOR])
    row = SuggestedWords.objects.get(step=Step.ENDED_ABUSIVE)
    with pytest.raises(Exception, match="Enter the words"):
        services.suggested_words_save(words=row, actor=admin, text="  ", paragraph="7.5.1")


@pytest.fixture
def superuser(db):
    Group.objects.get_or_create(name=Role.ADMINISTRATOR)
    return UserFactory(username="root", is_superuser=True, is_staff=True,
                       roles=[Role.ADMINISTRATOR])


def test_the_administrator_changes_the_words_in_the_django_admin_audited(superuser, client_for):
    client = client_for(superuser)
    row = SuggestedWords.objects.get(step=Step.WARNED_WILL_END)
    index = client.get("/admin/").content.decode()
    assert "/admin/contacts/suggestedwords/" in index
    assert "/admin/contacts/customer/" not in index  # issue 17: still no customer records
    url = f"/admin/contacts/suggestedwords/{row.pk}/change/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"paragraph": "7.4.3", "words": "Stop, or I end the call."})
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.words == "Stop, or I end the call."
    assert AuditEvent.objects.filter(action="suggestedwords.changed", actor=superuser).exists()
    assert client.get("/admin/contacts/suggestedwords/add/").status_code == 403
    assert client.post(f"/admin/contacts/suggestedwords/{row.pk}/delete/",
                       {"post": "yes"}).status_code == 403
    assert SuggestedWords.objects.filter(pk=row.pk).exists()


def test_a_staff_account_without_the_administrator_role_cannot_change_the_words(client_for):
    Group.objects.get_or_create(name=Role.LINE_MANAGER)
    staff = UserFactory(is_staff=True, is_superuser=True, roles=[Role.LINE_MANAGER])
    row = SuggestedWords.objects.get(step=Step.WARNED_WILL_END)
    client = client_for(staff)
    assert "/admin/contacts/suggestedwords/" not in client.get("/admin/").content.decode()
    url = f"/admin/contacts/suggestedwords/{row.pk}/change/"
    assert client.get(url).status_code == 403
    assert client.post(url, {"paragraph": "1", "words": "Changed"}).status_code == 403
    assert SuggestedWords.objects.get(pk=row.pk).words == row.words
