"""Views: permissions both ways (including changed ids), bad input, fixed query counts."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import F, Value
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.constants import Role
from contacts import selectors, services
from contacts.constants import Behaviour, EscalationOutcome
from contacts.constants import HandlingStepKind as Step
from contacts.models import BehaviourChange, Contact, Customer, HandlingStep, NameGiven
from core import extensions
from tests.contacts.factories import (
    CaseReferenceFactory,
    ContactFactory,
    CustomerEmailFactory,
    CustomerFactory,
    CustomerPhoneFactory,
    EmailContactFactory,
)

pytestmark = pytest.mark.django_db


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx)


# Lookup and customer page: any member of staff (12.3) ----------------------------------


@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.ADMINISTRATOR])
def test_any_member_of_staff_may_look_up_and_see_a_customer(client_for, make_user, role):
    customer = CustomerFactory(family_name="Zebedee")
    client = client_for(make_user(role))
    response = client.get(reverse("contacts:lookup"), {"q": "zeb"})
    assert response.status_code == 200
    assert "Zebedee" in response.content.decode()
    assert client.get(reverse("contacts:customer_detail", args=[customer.pk])).status_code == 200


def test_an_administrator_sees_no_customers(client_for, make_user):
    """Issue 17: administrators manage users and reference data, not customer records."""
    customer = CustomerFactory(family_name="Zebedee")
    client = client_for(make_user(Role.ADMINISTRATOR))
    assert client.get(reverse("contacts:lookup"), {"q": "zeb"}).status_code == 403
    assert client.get(reverse("contacts:customer_detail", args=[customer.pk])).status_code == 403


def test_lookup_needs_sign_in(client):
    response = client.get(reverse("contacts:lookup"))
    assert response.status_code == 302


def test_lookup_finds_by_each_kind(client_for, caseworker):
    customer = CustomerFactory(given_name="Amelia", family_name="Smith")
    CustomerPhoneFactory(customer=customer, number="+44 (0)7700 900123")
    customer.emails.create(email="Amelia@Example.com")
    CaseReferenceFactory(customer=customer, reference="ENQ0654321")
    client = client_for(caseworker)
    for query in ("smi", "amelia smith", "07700900123", "900123", "amelia@example.com",
                  "enq 0654321", "meli"):
        html = client.get(reverse("contacts:lookup"), {"q": query}).content.decode()
        assert "Amelia Smith" in html, query
        assert "ENQ0654321" in html, query  # the case references column


def test_lookup_shows_badges_from_providers(client_for, caseworker, monkeypatch):
    """Any app's badge rows reach the results, by name (inside the PostgreSQL statement) and
    by the other kinds of search (asked for afterwards), in rank order across providers."""
    customer = CustomerFactory(family_name="Badgely")
    CustomerEmailFactory(customer=customer, email="badgely@example.com")
    CustomerFactory(family_name="Badgerton")  # found too, with no badge

    def provider(badge, rank):
        return lambda today: (Customer.objects.filter(family_name="Badgely")
                              .annotate(customer_id=F("pk"), badge=Value(badge),
                                        rank=Value(rank))
                              .values_list("customer_id", "badge", "rank"))

    monkeypatch.setattr(extensions, "lookup_badge_rows",
                        [provider("Second", 2), provider("First", 1)])
    for query in ("badg", "badgely@example.com"):
        result = selectors.customer_lookup(query)
        assert result.badges[customer.pk] == ["First", "Second"], query
        html = client_for(caseworker).get(reverse("contacts:lookup"), {"q": query})
        assert "First</strong>" in html.content.decode(), query
    assert [c.badges for c in selectors.customer_lookup("badg").customers
            if c.pk != customer.pk] == [[]]


def test_lookup_htmx_returns_only_the_results(client_for, caseworker):
    CustomerFactory(family_name="Htmxson")
    response = client_for(caseworker).get(reverse("contacts:lookup"), {"q": "htmx"},
                                          HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "Htmxson" in html
    assert "<html" not in html


def test_lookup_query_count_is_the_same_for_1_and_50_results(client_for, caseworker):
    """Prefix, contains and sounds-like fill-ins, then one query for the rows and one for the
    badges. A full page stops before the later fill-ins, so 50 results may cost fewer
    queries than one, never more."""
    client = client_for(caseworker)
    CaseReferenceFactory(customer=CustomerFactory(family_name="Quayle"))
    CustomerPhoneFactory(number="01632 960001")
    name_one = _count(client, reverse("contacts:lookup") + "?q=quay")
    phone_one = _count(client, reverse("contacts:lookup") + "?q=960001")
    for _ in range(49):  # contains-matches (fill-in) and phone-suffix matches
        CaseReferenceFactory(customer=CustomerFactory(family_name="McQuayle"))
        CustomerPhoneFactory(number="+44 1632 960001")
    assert _count(client, reverse("contacts:lookup") + "?q=quay") <= name_one, (
        "name lookup queries grew with the number of results")
    assert _count(client, reverse("contacts:lookup") + "?q=960001") == phone_one, (
        "phone lookup queries grew with the number of results")


def test_customer_page_query_count_is_the_same_for_1_and_50_contacts(client_for, caseworker,
                                                                     make_user):
    customer = CustomerFactory()
    case = CaseReferenceFactory(customer=customer)
    ContactFactory(customer=customer, staff=caseworker, case_reference=case)
    manager = make_user(Role.LINE_MANAGER)  # sees their team's contacts in full (visibility)
    client = client_for(manager)
    url = reverse("contacts:customer_detail", args=[customer.pk])
    one = _count(client, url)
    colleague = make_user(Role.CASEWORKER, first_name="Priya", last_name="Sandhu",
                          line_manager=manager)
    for i in range(49):  # every column filled: case, another staff member, behaviour, summary
        ContactFactory(customer=customer, staff=colleague, case_reference=case,
                       behaviour=Behaviour.DIFFICULT, terminated=i % 2 == 0,
                       summary=f"Asked about the case again, call {i}")
    many = _count(client, url)
    assert one == many, "customer page queries grew with the number of contacts"
    html = client.get(url).content.decode()
    assert html.count(case.reference) == 1 + 20  # the case list, then each row of the page
    assert "Priya Sandhu" in html
    assert "Difficult (ended for behaviour)" in html
    assert "Asked about the case again, call 48" in html


@pytest.mark.parametrize(("role", "offered"), [
    (Role.CASEWORKER, {"Log a contact"}),
    (Role.COMPLIANCE, {"See who changed or opened this record",
                       "Record a challenge to this record"}),
    (Role.LINE_MANAGER, {"Log a contact", "See who changed or opened this record",
                         "Record a challenge to this record", "Request a restriction"}),
])
def test_customer_page_actions_are_checked_by_rules_only(client_for, make_user, role, offered):
    """Each role sees its actions; the checks are rules on the customer, so none falls
    through to Django's ModelBackend and its two queries of the permission tables."""
    customer = CustomerFactory()
    client = client_for(make_user(role))
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("contacts:customer_detail", args=[customer.pk]))
    html = response.content.decode()
    every = {"Log a contact", "See who changed or opened this record",
             "Record a challenge to this record", "Request a restriction"}
    assert {label for label in every if label in html} == offered
    assert not [q for q in ctx.captured_queries if "auth_permission" in q["sql"]]


def test_customer_page_shows_banners_and_actions_from_other_apps(client_for, caseworker,
                                                                 monkeypatch):
    customer = CustomerFactory()
    # The template tag holds the registry lists themselves: add to them, not replace them.
    extensions.customer_actions.append(
        provider := lambda request, c: [extensions.Action("Propose a restriction", "/x/")])
    html = client_for(caseworker).get(
        reverse("contacts:customer_detail", args=[customer.pk])).content.decode()
    extensions.customer_actions.remove(provider)
    assert "Propose a restriction" in html
    assert "Log a contact" in html


def test_unknown_customer_is_a_404(client_for, caseworker):
    assert client_for(caseworker).get(
        reverse("contacts:customer_detail", args=[999999])).status_code == 404


# Logging a contact --------------------------------------------------------------------


@pytest.mark.parametrize(("channel", "lands_on"), [
    ("phone", "contacts:contact_live"),  # issue 24: a call or a visit opens in live-call mode
    ("in_person", "contacts:contact_live"),
    ("email", "contacts:contact_detail"),
])
def test_log_a_contact_and_land_on_the_contact_screen(client_for, caseworker, case, channel,
                                                      lands_on):
    response = client_for(caseworker).post(
        reverse("contacts:contact_log", args=[case.customer.pk]),
        {"channel": channel, "direction": "inbound", "case_reference": case.reference,
         "started_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "summary": "Asked"})
    contact = Contact.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(lands_on, args=[contact.pk])


@pytest.mark.parametrize(("data", "message"), [
    ({"channel": "", "direction": "inbound", "started_at": ""}, "Select how they contacted us"),
    ({"channel": "phone", "direction": "inbound", "started_at": "soon"},
     "Enter the start time as a date and time"),
    ({"channel": "phone", "direction": "inbound", "case_reference": "ENQ9999999"},
     "There is no case with the reference ENQ9999999"),
    ({"channel": "phone", "direction": "inbound", "summary": "x" * 5001},
     "Ensure this value has at most 5000 characters"),
    ({"channel": "phone", "direction": "inbound", "case_reference": "R" * 25},
     "Ensure this value has at most 20 characters"),
    ({"channel": "phone", "direction": "inbound", "started_at": "2099-01-01T10:00"},
     "must not be in the future"),
])
def test_bad_contact_input_shows_an_error_summary_and_keeps_the_input(
        client_for, caseworker, case, data, message):
    data = {"started_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "summary": "Kept",
            **data}
    response = client_for(caseworker).post(
        reverse("contacts:contact_log", args=[case.customer.pk]), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert message in html
    if data.get("summary") == "Kept":
        assert "Kept" in html
    assert not Contact.objects.exists()


def test_unknown_caller_contact(client_for, caseworker):
    client = client_for(caseworker)
    now = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    response = client.post(reverse("contacts:contact_log_unknown"),
                           {"channel": "phone", "direction": "inbound", "started_at": now})
    assert "Enter the name the caller gave" in response.content.decode()
    client.post(reverse("contacts:contact_log_unknown"),
                {"channel": "phone", "direction": "inbound", "started_at": now,
                 "caller_name": "Pat"})
    assert Contact.objects.get().caller_name == "Pat"


def test_compliance_cannot_log_contacts(client_for, make_user, case):
    client = client_for(make_user(Role.COMPLIANCE))
    assert client.get(reverse("contacts:contact_log", args=[case.customer.pk])).status_code == 403


# The contact screen: owner, taker-over, chain above; nobody else ------------------------


def test_contact_screen_permissions_both_ways(client_for, make_user, caseworker, manager,
                                              other_caseworker):
    contact = ContactFactory(staff=caseworker)
    senior = make_user(Role.SENIOR_STAFF)
    manager.line_manager = senior
    manager.save(update_fields=["line_manager"])
    taker = make_user(Role.LINE_MANAGER)
    Contact.objects.filter(pk=contact.pk).update(taken_over_by=taker)
    url = reverse("contacts:contact_detail", args=[contact.pk])
    for allowed in (caseworker, manager, senior, taker):
        assert client_for(allowed).get(url).status_code == 200, allowed
    for refused in (other_caseworker, make_user(Role.LINE_MANAGER), make_user(Role.COMPLIANCE)):
        assert client_for(refused).get(url).status_code == 403


@pytest.mark.parametrize("name", ["contact_classify", "contact_end", "callback_arrange",
                                  "escalation_record", "name_given_record",
                                  "written_review_raise"])
def test_changing_the_id_in_the_url_is_refused(client_for, caseworker, other_caseworker, name):
    mine = ContactFactory(staff=caseworker)
    theirs = ContactFactory(staff=other_caseworker)
    client = client_for(caseworker)
    assert client.get(reverse(f"contacts:{name}", args=[mine.pk])).status_code == 200
    assert client.get(reverse(f"contacts:{name}", args=[theirs.pk])).status_code == 403
    assert client.post(reverse(f"contacts:{name}", args=[theirs.pk]), {}).status_code == 403


def test_step_and_no_new_information_refused_for_another_caseworker(client_for, caseworker,
                                                                    other_caseworker):
    theirs = ContactFactory(staff=other_caseworker)
    client = client_for(caseworker)
    assert client.post(reverse("contacts:contact_step",
                               args=[theirs.pk, Step.EXPLAINED_UNACCEPTABLE])).status_code == 403
    assert client.post(reverse("contacts:contact_no_new_information",
                               args=[theirs.pk])).status_code == 403


def _add_history(contact, actor, steps: list[str]) -> None:
    """A row of each kind the contact screen lists for each of ``steps`` (guided steps are
    recorded once each, so the steps differ)."""
    for i, step in enumerate(steps):
        BehaviourChange.objects.create(contact=contact, recorded_by=actor,
                                       behaviour=[Behaviour.DIFFICULT, Behaviour.OFFENSIVE][i % 2])
        HandlingStep.objects.create(contact=contact, step=step, recorded_by=actor)
        services.callback_arrange(contact=contact, actor=actor, assigned_to=actor,
                                  due_at=timezone.now() + timedelta(hours=1 + i))
        services.escalation_record(contact=contact, actor=actor,
                                   outcome=EscalationOutcome.NOT_ESCALATED, reason=f"Reason {i}")


def test_contact_screen_query_count_is_fixed(client_for, caseworker):
    """One query for the contact (with EXISTS for each kind of history and for what the
    banners need), plus one per kind of history the contact has, whatever its length."""
    contact = ContactFactory(staff=caseworker)
    client = client_for(caseworker)
    url = reverse("contacts:contact_detail", args=[contact.pk])
    bare = _count(client, url)
    _add_history(contact, caseworker, [Step.TOLD_WILL_CONSULT])
    one_each = _count(client, url)
    assert one_each == bare + 4, "one query per kind of history present (four kinds)"
    _add_history(contact, caseworker, [Step.EXPLAINED_UNACCEPTABLE, Step.WARNED_WILL_END,
                                       Step.TOLD_COMPLAINT])
    assert _count(client, url) == one_each, "contact screen queries grew with its history"


def test_contact_screen_lists_each_kind_of_history(client_for, caseworker):
    contact = ContactFactory(staff=caseworker)
    _add_history(contact, caseworker, [Step.TOLD_WILL_CONSULT, Step.EXPLAINED_UNACCEPTABLE])
    html = client_for(caseworker).get(
        reverse("contacts:contact_detail", args=[contact.pk])).content.decode()
    assert "Classification history" in html
    assert "Offensive" in html
    for step in (Step.TOLD_WILL_CONSULT, Step.EXPLAINED_UNACCEPTABLE):
        assert step.label in html
    assert html.count("Callback (7.3)") == 2
    for reason in ("Reason 0", "Reason 1"):
        assert reason in html


def test_difficult_is_shown_as_not_unacceptable(client_for, caseworker):
    contact = ContactFactory(staff=caseworker)
    services.contact_classify(contact=contact, actor=caseworker, behaviour=Behaviour.DIFFICULT)
    html = client_for(caseworker).get(
        reverse("contacts:contact_detail", args=[contact.pk])).content.decode()
    assert "difficult is not the same as unacceptable" in html


def test_classify_form_shows_definitions_and_the_equality_prompt(client_for, caseworker):
    contact = ContactFactory(staff=caseworker,
                             customer=CustomerFactory(communication_needs="Hearing"))
    client = client_for(caseworker)
    url = reverse("contacts:contact_classify", args=[contact.pk])
    html = client.get(url).content.decode()
    assert "5.4: behaviour which is rude or unpleasant" in html
    assert "I have considered whether" in html
    response = client.post(url, {"behaviour": "offensive"})
    assert "Confirm you have considered" in response.content.decode()
    client.post(url, {"behaviour": "offensive", "equality_considered": "on"})
    contact.refresh_from_db()
    assert contact.behaviour == Behaviour.OFFENSIVE
    response = client.post(url, {"behaviour": "difficult", "equality_considered": "on"})
    assert "can only move up the scale" in response.content.decode()


def test_step_out_of_order_shows_an_error_summary(client_for, caseworker):
    contact = ContactFactory(staff=caseworker)
    services.contact_classify(contact=contact, actor=caseworker, behaviour=Behaviour.OFFENSIVE)
    response = client_for(caseworker).post(
        reverse("contacts:contact_step", args=[contact.pk, Step.TOLD_COMPLAINT]),
        {"note": "typed"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert "Record the steps of 7.4 in order" in html
    assert "typed" in html


def test_unknown_step_is_a_404(client_for, caseworker):
    contact = ContactFactory(staff=caseworker)
    assert client_for(caseworker).get(
        reverse("contacts:contact_step", args=[contact.pk, "dance"])).status_code == 404


def test_end_contact_view(client_for, caseworker):
    """7.3: a difficult contact is refused termination on the page, with what was typed kept;
    7.5.1: an abusive one ends at once."""
    contact = ContactFactory(staff=caseworker, behaviour=Behaviour.DIFFICULT)
    client = client_for(caseworker)
    url = reverse("contacts:contact_end", args=[contact.pk])
    response = client.post(url, {"ending": "terminated", "explained": "yes",
                                 "note": "He kept on", "summary": "typed summary"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert "Difficult behaviour is tolerated" in html
    assert "typed summary" in html
    assert "He kept on" in html
    contact.refresh_from_db()
    assert contact.is_live
    Contact.objects.filter(pk=contact.pk).update(behaviour=Behaviour.ABUSIVE)
    client.post(url, {"ending": "terminated", "explained": "yes", "note": "Threats"})
    contact.refresh_from_db()
    assert contact.terminated
    assert contact.ending == "terminated"
    assert contact.ended_at is not None


def test_callback_form_refuses_later_than_24_hours(client_for, caseworker):
    contact = ContactFactory(staff=caseworker)
    later = (timezone.localtime() + timedelta(hours=30)).strftime("%Y-%m-%dT%H:%M")
    response = client_for(caseworker).post(
        reverse("contacts:callback_arrange", args=[contact.pk]),
        {"assigned_to": caseworker.pk, "due_at": later})
    assert "more than 24 hours away" in response.content.decode()


def test_name_given_refused_on_email_with_a_message(client_for, caseworker):
    contact = EmailContactFactory(staff=caseworker)
    response = client_for(caseworker).post(
        reverse("contacts:name_given_record", args=[contact.pk]),
        {"given": "first_name", "department": "Customer Contact", "reason": "x"})
    assert "always give your full name" in response.content.decode()
    assert not NameGiven.objects.filter(contact=contact).exists()


# Line manager items: own team only -----------------------------------------------------


def test_flag_and_review_only_for_the_line_manager_and_above(client_for, make_user, caseworker,
                                                             manager, case):
    contact = ContactFactory(staff=caseworker, customer=case.customer, case_reference=case)
    flag = services.contact_mark_no_new_information(contact=contact, actor=caseworker)
    written = EmailContactFactory(staff=caseworker)
    review = services.written_review_raise(contact=written, actor=caseworker, comments="Rude")
    other_manager = make_user(Role.LINE_MANAGER)
    for url in (reverse("contacts:flag_detail", args=[flag.pk]),
                reverse("contacts:review_detail", args=[review.pk])):
        assert client_for(manager).get(url).status_code == 200
        assert client_for(other_manager).get(url).status_code == 403
        assert client_for(caseworker).get(url).status_code == 403
    queue = client_for(manager).get(reverse("contacts:queue")).content.decode()
    assert reverse("contacts:flag_detail", args=[flag.pk]) in queue
    other_queue = client_for(other_manager).get(reverse("contacts:queue")).content.decode()
    assert reverse("contacts:flag_detail", args=[flag.pk]) not in other_queue
    response = client_for(manager).post(reverse("contacts:flag_detail", args=[flag.pk]),
                                        {"decision": "dismissed", "reason": ""})
    assert "Give the reason for dismissing" in response.content.decode()


def test_callback_done_by_assignee_not_by_others(client_for, caseworker, other_caseworker):
    contact = ContactFactory(staff=caseworker)
    callback = services.callback_arrange(contact=contact, actor=caseworker,
                                         assigned_to=caseworker,
                                         due_at=timezone.now() + timedelta(hours=2))
    url = reverse("contacts:callback_done", args=[callback.pk])
    assert client_for(other_caseworker).post(url, {}).status_code == 403
    response = client_for(caseworker).post(url, {})
    assert response.status_code == 302, response.content.decode()[-3000:]
    callback.refresh_from_db()
    assert callback.status == "done"


@pytest.fixture
def banner_provider():
    """A provider on both banner points, removed afterwards (the tag holds the lists)."""

    def provider(request, obj):
        action = extensions.Action("Restricted: written contact only", "/restrictions/1/")
        return [extensions.Panel("contacts/_action.html", {"action": action})]

    extensions.customer_banners.append(provider)
    extensions.contact_banners.append(provider)
    yield
    extensions.customer_banners.remove(provider)
    extensions.contact_banners.remove(provider)


@pytest.mark.usefixtures("banner_provider")
def test_banners_come_first_on_customer_page_and_contact_screen(client_for, caseworker):
    """12.3: a restriction or adjustment is the first thing the caseworker sees."""
    contact = ContactFactory(staff=caseworker)
    client = client_for(caseworker)
    for url in (reverse("contacts:customer_detail", args=[contact.customer.pk]),
                reverse("contacts:contact_detail", args=[contact.pk])):
        html = client.get(url).content.decode()
        assert "Restricted: written contact only" in html
        assert html.index("Restricted: written contact only") < html.index("<h1")


def test_persistent_classification_points_to_the_line_manager(client_for, caseworker):
    # An older contact classified as persistent before 7.2 was enforced (issue 17).
    contact = ContactFactory(staff=caseworker, behaviour=Behaviour.PERSISTENT)
    html = client_for(caseworker).get(
        reverse("contacts:contact_detail", args=[contact.pk])).content.decode()
    assert "7.2: if the customer keeps raising issues" in html


def test_lookup_rows_escape_what_staff_typed_and_show_every_tag(client_for, caseworker,
                                                                monkeypatch):
    """The rows are built in Python (contacts/templatetags/lookup_rows.py): names, references,
    case references and badges escaped; the preferred name, sounds-like, badge and
    communication-needs tags where they apply."""
    customer = CustomerFactory(given_name="<b>Ann</b>", family_name="Escapeton",
                               preferred_name='"Annie" & co', communication_needs="Deaf")
    CaseReferenceFactory(customer=customer, reference="ENQ0000001")
    CustomerFactory(given_name="Zed", family_name="Escapetin")  # a sounds-like match, untagged

    def provider(today):
        return (Customer.objects.filter(pk=customer.pk)
                .annotate(customer_id=F("pk"), badge=Value("<Restricted>"), rank=Value(1))
                .values_list("customer_id", "badge", "rank"))

    monkeypatch.setattr(extensions, "lookup_badge_rows", [provider])
    html = client_for(caseworker).get(reverse("contacts:lookup"),
                                      {"q": "escapeton"}).content.decode()
    assert "<b>Ann</b>" not in html
    assert (f'<a class="govuk-link" href="/customers/{customer.pk}/">&lt;b&gt;Ann&lt;/b&gt; '
            "Escapeton</a>") in html
    assert "Prefers: &quot;Annie&quot; &amp; co</span>" in html
    assert '<td class="govuk-table__cell">ENQ0000001</td>' in html
    assert "app-contacts-badge\">&lt;Restricted&gt;</strong>" in html
    assert "Communication needs</strong>" in html
    assert html.count("Sounds like</strong>") == 1  # Escapetin sounds like Escapeton
