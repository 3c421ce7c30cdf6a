"""Issue 16: a reminder's stored text names no person.

Names change, and a name kept in a due item, an inbox row or an email outlives the record's
retention; the inbox and the home page read who it is about from the record at display time
(``notifications.subjects``). Every kind is made here through its own service, for customers
and staff who all carry seeded names, and no message (nor inbox text) may contain them.
"""

from datetime import timedelta

import pytest
from django.db.models.signals import pre_save
from django.utils import timezone

from accounts.models import User
from contacts.models import CaseReference, Customer
from notifications import kinds
from notifications.models import DueItem, InboxEntry
from notifications.services import sweep
from tests.notifications.test_recipients_can_act import SHAPE, _build, _make_one_of_each
from tests.restrictions.conftest import ensure_role_groups

pytestmark = pytest.mark.django_db

CUSTOMER_GIVEN, CUSTOMER_FAMILY = "Zebedee", "Quillfeather"
STAFF_FIRST, STAFF_LAST = "Ottoline", "Vantablack"
# Kinds with no record about a person behind them (demo welcome messages).
NOT_ABOUT_ANYONE = {"general"}


def _seed_customer(sender, instance, **kwargs):
    instance.given_name, instance.family_name = CUSTOMER_GIVEN, CUSTOMER_FAMILY


def _seed_staff(sender, instance, **kwargs):
    instance.first_name, instance.last_name = STAFF_FIRST, STAFF_LAST


@pytest.fixture
def seeded_names():
    pre_save.connect(_seed_customer, sender=Customer, dispatch_uid="seed-customer")
    pre_save.connect(_seed_staff, sender=User, dispatch_uid="seed-staff")
    yield
    pre_save.disconnect(sender=Customer, dispatch_uid="seed-customer")
    pre_save.disconnect(sender=User, dispatch_uid="seed-staff")


def _make_the_rest(o) -> None:
    """The kinds ``_make_one_of_each`` leaves out, each through its service."""
    from atrisk.constants import Consent, EmergencyAdvice, RecipientType, Source, ThreatType
    from atrisk.services import disclosure_record, report_acknowledge, report_raise
    from contacts.services import name_given_record
    from restrictions.constants import Kind
    from restrictions.models import Restriction
    from restrictions.services_followup import restriction_inform_exception
    from tests.callogs.factories import CustomerFactory, LiveContactFactory

    name_given_record(contact=LiveContactFactory(staff=o.caseworker, customer=CustomerFactory()),
                      actor=o.caseworker, given="first_name", department="Customer Contact",
                      reason="The caller threatened me")  # the line manager's name_withheld
    decided = Restriction.objects.filter(kind=Kind.RESTRICTION, status="approved").first()
    restriction_inform_exception(restriction=decided, actor=decided.requested_by,
                                 reason="Telling them would put staff at risk",
                                 check_on=timezone.localdate() + timedelta(days=30))
    report = report_raise(raised_by=o.caseworker, source=Source.TELEPHONE,
                          threat_type=ThreatType.SELF_HARM, what_was_said="I will end it.",
                          threat_made_at=timezone.now(),
                          emergency_advice=EmergencyAdvice.ADVISED,
                          customer=CustomerFactory())
    report_acknowledge(report=report, actor=o.senior)
    disclosure_record(report=report, actor=o.senior, necessity="A plan and a time.",
                      less_intrusive_options="Asked them to call 999.",
                      consent=Consent.REFUSED, consent_explanation="Delay risked life.",
                      recipient_type=RecipientType.POLICE, recipient_authority="Police",
                      what_was_disclosed="Location", disclosed_at=timezone.now(),
                      authorised_by=o.senior)


def test_no_reminder_of_any_kind_names_a_customer_or_a_member_of_staff(seeded_names):
    ensure_role_groups()
    o = _build(SHAPE)
    _make_one_of_each(o, SHAPE)
    _make_the_rest(o)
    sweep(now=timezone.now() + timedelta(days=400))  # deliver (and escalate) everything

    assert Customer.objects.exclude(given_name=CUSTOMER_GIVEN).count() == 0
    references = list(CaseReference.objects.values_list("reference", flat=True))
    assert references  # the persistent-contact flag's case
    made = set(DueItem.objects.values_list("kind", flat=True))
    registered = {k.name for k in kinds.all_kinds()
                  if not k.name.startswith("test_")} - NOT_ABOUT_ANYONE
    assert registered <= made, f"not made here: {sorted(registered - made)}"
    texts = [*DueItem.objects.values_list("kind", "message"),
             *(("inbox", t) for t in InboxEntry.objects.values_list("text", flat=True))]
    assert len(texts) > len(made)
    for kind, text in texts:
        for personal in (CUSTOMER_GIVEN, CUSTOMER_FAMILY, STAFF_FIRST, STAFF_LAST,
                         *references):
            assert personal not in text, f"{kind}: {text!r} names {personal}"
