"""What other screens show through core.extensions: banners, warnings, badges (12.3, 6.1)."""

from datetime import timedelta

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from contacts.selectors import contact_for_screen, customer_for_page
from core import extensions
from restrictions import providers, selectors
from restrictions.constants import Adjustment, Term
from tests.restrictions.factories import (
    AdjustmentFactory,
    ApprovedRestrictionFactory,
    ContactFactory,
    CustomerFactory,
    RestrictionFactory,
)

pytestmark = pytest.mark.django_db


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_providers_are_registered():
    assert providers.customer_banners in extensions.customer_banners
    assert providers.contact_banners in extensions.contact_banners
    assert providers.lookup_badge_rows in extensions.lookup_badge_rows
    assert providers.adjustment_check in extensions.adjustment_checks
    assert providers.customer_actions in extensions.customer_actions
    assert providers.customer_facts in extensions.customer_page_facts
    assert providers.customer_facts in extensions.contact_screen_facts


def test_customer_banner_states_the_terms_and_how_to_handle(org, approved):
    approved.terms = [Term.WRITTEN_ONLY, Term.SINGLE_POINT]
    approved.point_of_contact = org.caseworker
    approved.save()
    [panel] = providers.customer_banners(_request(org.caseworker), org.customer)
    [banner] = panel.context["banners"]
    until = approved.until
    assert banner["summary"] == escape(  # HTML now: user text in it is isolated (<bdi>)
        f"Written contact only. Single point of contact: {org.caseworker.get_full_name()}. "
        f"Until {until.day} {until:%B %Y}.")
    assert any("only in writing" in step for step in banner["steps"])


def test_rendered_banner_is_a_govuk_notification_banner(org, approved):
    from django.template import Context, Template

    request = _request(org.caseworker)
    html = Template('{% load extensions %}{% render_panels "customer_banners" customer %}'
                    ).render(Context({"request": request, "customer": org.customer}))
    assert "govuk-notification-banner" in html
    assert "Written contact only" in html
    assert approved.grounds not in html


def test_adjustment_banner_carries_the_equality_prompt(org):
    AdjustmentFactory(customer=org.customer, requested_by=org.manager, decided_by=org.head)
    [panel] = providers.customer_banners(_request(org.caseworker), org.customer)
    [banner] = panel.context["banners"]
    assert banner["summary"].startswith("Need: <bdi>Hearing difficulty</bdi>. Adjustments: ")
    assert banner["steps"][0].startswith("6.1:")
    assert providers.adjustment_check(org.customer) is True
    assert providers.adjustment_check(CustomerFactory()) is False


def test_banner_warns_of_a_conflict_with_an_agreed_adjustment(org, approved):
    AdjustmentFactory(customer=org.customer, requested_by=org.manager, decided_by=org.head,
                      adjustments=[Adjustment.PHONE_CONTACT])
    banners = selectors.banners_for_customer(org.customer)
    restriction_banner = next(b for b in banners if b["restriction"] == approved)
    assert restriction_banner["conflicts"] == [
        "Written contact only clashes with an agreed adjustment for telephone contact."]


@pytest.mark.parametrize(("terms", "channel", "warned"), [
    ([Term.WRITTEN_ONLY], "phone", True),
    ([Term.WRITTEN_ONLY], "in_person", True),
    ([Term.WRITTEN_ONLY], "email", False),
    ([Term.EMAIL_ONLY], "letter", True),
    ([Term.EMAIL_ONLY], "email", False),
    ([Term.NO_VISITS], "in_person", True),
    ([Term.NO_VISITS], "phone", False),
    ([Term.SINGLE_POINT], "phone", False),
])
def test_channel_warning(org, terms, channel, warned):
    ApprovedRestrictionFactory(customer=org.customer, requested_by=org.manager,
                               decided_by=org.head, terms=terms,
                               point_of_contact=org.caseworker)
    warning = selectors.channel_warning(org.customer, channel)
    assert (warning is not None) is warned
    if warned:
        assert "do not continue by" in warning
        assert "Explain politely" in warning


def test_contact_banner_shows_the_warning_for_the_contacts_channel(org, approved):
    contact = ContactFactory(customer=org.customer, staff=org.caseworker, channel="phone")
    [panel] = providers.contact_banners(_request(org.caseworker), contact)
    assert "do not continue by telephone" in panel.context["warning"]
    assert "email, letter or web form" in panel.context["warning"]
    email = ContactFactory(customer=org.customer, staff=org.caseworker, channel="email")
    [panel] = providers.contact_banners(_request(org.caseworker), email)
    assert panel.context["warning"] is None


def test_no_banner_for_requests_not_yet_decided_or_ended(org, submitted):
    ApprovedRestrictionFactory(customer=org.customer, requested_by=org.manager,
                               decided_by=org.head, status="lifted")
    assert providers.customer_banners(_request(org.caseworker), org.customer) == []


def test_no_banner_before_the_start_date(org):
    ApprovedRestrictionFactory(customer=org.customer, requested_by=org.manager,
                               decided_by=org.head,
                               start_date=timezone.localdate() + timedelta(days=1),
                               review_date=timezone.localdate() + timedelta(days=30))
    assert providers.customer_banners(_request(org.caseworker), org.customer) == []


def test_lookup_badges_in_one_query_for_a_whole_page(org, django_assert_num_queries):
    customers = CustomerFactory.create_batch(20)
    for customer in customers[:5]:
        ApprovedRestrictionFactory(customer=customer, requested_by=org.manager,
                                   decided_by=org.head)
    AdjustmentFactory(customer=customers[0], requested_by=org.manager, decided_by=org.head)
    RestrictionFactory(customer=customers[6], requested_by=org.manager)  # only submitted
    ids = [c.pk for c in customers]
    with django_assert_num_queries(1):
        badges = extensions.badges_for(ids)
    assert badges[customers[0].pk] == ["Restricted contact", "Reasonable adjustment"]
    assert {pk for pk, texts in badges.items() if texts} == {c.pk for c in customers[:5]}
    with django_assert_num_queries(1):
        extensions.badges_for(ids[:1])


def test_customer_actions_for_line_managers_only(org):
    actions = providers.customer_actions(_request(org.manager), org.customer)
    assert [a.label for a in actions] == ["Request a restriction",
                                          "Request a reasonable adjustment"]
    assert providers.customer_actions(_request(org.caseworker), org.customer) == []


def test_customer_and_contact_banners_on_one_page_keep_ids_unique(org, approved):
    import re

    from django.template import Context, Template

    contact = ContactFactory(customer=org.customer, staff=org.caseworker, channel="phone")
    html = Template(
        '{% load extensions %}{% render_panels "customer_banners" customer %}'
        '{% render_panels "contact_banners" contact %}'
    ).render(Context({"request": _request(org.caseworker), "customer": org.customer,
                      "contact": contact}))
    ids = re.findall(r' id="([^"]+)"', html)
    assert len(ids) == 2
    assert len(set(ids)) == 2
    assert "do not continue by telephone" in html


# The facts the screens compute with the customer (core.extensions) -------------------------


def test_nothing_in_force_costs_the_banners_and_the_check_no_query(
        org, submitted, django_assert_num_queries):
    ApprovedRestrictionFactory(customer=org.customer, requested_by=org.manager,
                               decided_by=org.head, status="lifted")
    customer = customer_for_page(org.customer.pk)  # loaded with its facts
    assert getattr(customer, providers.IN_FORCE_FACT) is False
    contact = ContactFactory(customer=customer, staff=org.caseworker)
    with django_assert_num_queries(0):
        assert providers.customer_banners(_request(org.caseworker), customer) == []
        assert providers.contact_banners(_request(org.caseworker), contact) == []
        assert providers.adjustment_check(customer) is False


def test_banners_and_the_check_share_one_query_when_something_is_in_force(
        org, approved, django_assert_num_queries):
    AdjustmentFactory(customer=org.customer, requested_by=org.manager, decided_by=org.head)
    contact = ContactFactory(customer=org.customer, staff=org.caseworker, channel="phone")
    screen = contact_for_screen(contact.pk)
    assert getattr(screen.contact.customer, providers.IN_FORCE_FACT) is True
    with django_assert_num_queries(1):
        assert providers.adjustment_check(screen.contact.customer) is True
        [panel] = providers.contact_banners(_request(org.caseworker), screen.contact)
    assert len(panel.context["banners"]) == 2
    assert "do not continue by telephone" in panel.context["warning"]


def test_the_check_without_facts_still_asks_the_database(org):
    """A customer loaded anywhere else (a service, a form) has no facts: same answers."""
    assert providers.adjustment_check(org.customer) is False
    AdjustmentFactory(customer=org.customer, requested_by=org.manager, decided_by=org.head)
    assert providers.adjustment_check(org.customer) is True


def test_customer_page_and_contact_screen_show_what_is_in_force(org, approved, client_for):
    AdjustmentFactory(customer=org.customer, requested_by=org.manager, decided_by=org.head)
    contact = ContactFactory(customer=org.customer, staff=org.caseworker, channel="phone")
    client = client_for(org.caseworker)
    page = client.get(reverse("contacts:customer_detail", args=[org.customer.pk]))
    assert page.content.decode().count('class="govuk-notification-banner app-restrictions') == 2
    html = client.get(reverse("contacts:contact_detail", args=[contact.pk])).content.decode()
    assert html.count('class="govuk-notification-banner app-restrictions') == 2
    assert "do not continue by telephone" in html
    assert "6.1: this customer has a recorded need or an agreed adjustment" in html


def test_pages_show_no_banner_when_nothing_is_in_force(org, submitted, client_for):
    contact = ContactFactory(customer=org.customer, staff=org.caseworker, channel="phone")
    client = client_for(org.caseworker)
    page = client.get(reverse("contacts:customer_detail", args=[org.customer.pk]))
    assert "app-restrictions-banner" not in page.content.decode()
    html = client.get(reverse("contacts:contact_detail", args=[contact.pk])).content.decode()
    assert "app-restrictions-banner" not in html
    assert "6.1: this customer has a recorded need" not in html


def test_pages_cost_the_same_with_one_or_many_records_in_force(org, approved, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    contact = ContactFactory(customer=org.customer, staff=org.caseworker)
    client = client_for(org.caseworker)
    urls = [reverse("contacts:customer_detail", args=[org.customer.pk]),
            reverse("contacts:contact_detail", args=[contact.pk])]

    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    one = [count(url) for url in urls]
    for _ in range(4):
        AdjustmentFactory(customer=org.customer, requested_by=org.manager, decided_by=org.head)
    assert [count(url) for url in urls] == one, "banner queries grew with the records"


def test_the_name_search_shows_the_same_badges_as_the_rule_in_force(org):
    """The PostgreSQL name search reads the badges inside its own statement, from the rows
    this app defines (``selectors.badge_rows``, compiled once a day); SQLite asks
    afterwards. Either way only records in force on the day give a badge (12.3)."""
    from contacts.selectors import customer_lookup

    today = timezone.localdate()
    day = timedelta(days=1)
    people = [CustomerFactory(family_name="Badgecase", given_name=f"P{i}") for i in range(7)]
    decided = {"requested_by": org.manager, "decided_by": org.head}
    ApprovedRestrictionFactory(customer=people[0], **decided)
    AdjustmentFactory(customer=people[0], **decided)
    ApprovedRestrictionFactory(customer=people[1], start_date=today - 9 * day,
                               review_date=today - day, **decided)
    ApprovedRestrictionFactory(customer=people[2], start_date=today + day,
                               review_date=today + 30 * day, **decided)
    ApprovedRestrictionFactory(customer=people[3], start_date=today - 9 * day,
                               end_date=today - day, **decided)
    RestrictionFactory(customer=people[4], requested_by=org.manager)  # only submitted
    AdjustmentFactory(customer=people[5], **decided)
    ApprovedRestrictionFactory(customer=people[6], review_date=today, **decided)  # last day
    expected = {people[0].pk: ["Restricted contact", "Reasonable adjustment"],
                people[5].pk: ["Reasonable adjustment"], people[6].pk: ["Restricted contact"]}
    result = customer_lookup("badgecase")
    shown = {c.pk: c.badges for c in result.customers}
    assert shown == {p.pk: expected.get(p.pk, []) for p in people}
    assert extensions.badges_for(list(shown)) == shown
