"""What other screens show through core.extensions: banners, warnings, badges (12.3, 6.1)."""

from datetime import timedelta

import pytest
from django.test import RequestFactory
from django.utils import timezone

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
    assert providers.lookup_badges in extensions.lookup_badges
    assert providers.adjustment_check in extensions.adjustment_checks
    assert providers.customer_actions in extensions.customer_actions


def test_customer_banner_states_the_terms_and_how_to_handle(org, approved):
    approved.terms = [Term.WRITTEN_ONLY, Term.SINGLE_POINT]
    approved.point_of_contact = org.caseworker
    approved.save()
    [panel] = providers.customer_banners(_request(org.caseworker), org.customer)
    [banner] = panel.context["banners"]
    until = approved.until
    assert banner["summary"] == (
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
    assert banner["summary"].startswith("Need: Hearing difficulty. Adjustments: ")
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
        badges = providers.lookup_badges(ids)
    assert badges[customers[0].pk] == ["Restricted contact", "Reasonable adjustment"]
    assert set(badges) == {c.pk for c in customers[:5]}
    with django_assert_num_queries(1):
        providers.lookup_badges(ids[:1])


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
