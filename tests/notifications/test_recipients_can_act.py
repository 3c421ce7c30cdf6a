"""Issue 17: every reminder, and every escalation of one, goes to someone who can act on it.

Hypothesis builds organisations (managers away or present, a Head away or not, an acting
Head or none, who raises the request, the senior a 9.1 callback goes to), the real services
create one item of every kind, and a sweep far in the future delivers and escalates them
all. Then, for every item: its recipient, and whoever it escalated to, holds the permission
the completing service checks (``Kind.completed_by``, asked with ``has_perm`` on the item's
target, as ``core.permissions.require`` does); an item goes to someone away only when nobody
available could act; an item left unescalated has nobody else who could act on it.
"""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from accounts.constants import Role
from accounts.models import ActingHeadOfDepartment, User
from accounts.selectors import manager_chain
from notifications import kinds
from notifications.models import DueItem
from notifications.services import sweep
from tests.accounts.factories import DepartmentFactory, UserFactory
from tests.restrictions.conftest import ensure_role_groups

pytestmark = pytest.mark.django_db(transaction=False)

# Kinds this test makes through their services.
GENERATED = {
    "calllog_draft", "calllog_submitted", "restriction_decision_needed",
    "restriction_review_due", "restriction_review_upcoming", "restriction_decided",
    "callback_due", "escalated_callback_due", "welfare_follow_up_due", "distress_flag",
    "written_comments_review", "communication_need", "at_risk_alert", "persistent_contact",
}
# Kinds not made here, and why each needs no proof in this test.
NOT_GENERATED = {
    "general": "a notice (demo welcome messages): nothing to complete, never escalates",
    "name_withheld": "a notice to the line manager (10.1): nothing to complete",
    "restriction_inform_check": "goes to the requester, who holds restrictions.record_letter "
                                "(tests/restrictions); never escalates",
    "disclosure_recorded": "goes to every Compliance officer, who holds "
                           "atrisk.register_disclosure; never escalates",
}
# Kinds whose escalation is a prompt to chase, not to complete: only its author can give a
# draft log to their manager (8.1), so the draft goes to a manager who can see it and ask.
ESCALATION_PERMISSION = {"calllog_draft": "callogs.view_log"}
# Decisions and reviews go between the department's Head and acting Heads (7.2, 12.1).
DECIDER_KINDS = {"restriction_decision_needed", "restriction_review_due"}


def test_every_kind_is_proved_here_or_says_why_not():
    from tests.notifications.conftest import CALLBACK  # the sweep tests' own kind

    # Kinds the notification tests register for themselves (test_callback, ...) are not
    # the service's.
    registered = {k.name for k in kinds.all_kinds()
                  if not k.name.startswith("test_")} - {CALLBACK.name}
    assert registered == GENERATED | set(NOT_GENERATED)
    for name in GENERATED:
        kind = kinds.get(name)
        assert kind.completed_by or kind.escalate_after is None, name


organisations = st.fixed_dictionaries({
    "manager_away": st.booleans(),
    "senior_away": st.booleans(),
    "head_away": st.booleans(),
    "head_has_manager": st.booleans(),
    "director_away": st.booleans(),
    "acting": st.sampled_from(["none", "present", "away"]),
    "requester": st.sampled_from(["manager", "senior", "head"]),
    "callback_senior": st.sampled_from(["senior", "other_senior"]),
    "other_senior_manager_away": st.booleans(),
})


def _build(shape) -> SimpleNamespace:
    o = SimpleNamespace()
    dept, other = DepartmentFactory(name="Customer Contact"), DepartmentFactory(name="Other")

    def person(*roles, **kwargs):
        return UserFactory(roles=roles, **kwargs)

    o.director = (person(Role.LINE_MANAGER, is_away=shape["director_away"])
                  if shape["head_has_manager"] else None)
    o.head = person(Role.HEAD_OF_DEPARTMENT, Role.LINE_MANAGER, department=dept,
                    line_manager=o.director, is_away=shape["head_away"])
    o.senior = person(Role.SENIOR_STAFF, Role.LINE_MANAGER, department=dept,
                      line_manager=o.head, is_away=shape["senior_away"])
    o.manager = person(Role.LINE_MANAGER, department=dept, line_manager=o.senior,
                       is_away=shape["manager_away"])
    o.caseworker = person(Role.CASEWORKER, department=dept, line_manager=o.manager)
    o.other_head = person(Role.HEAD_OF_DEPARTMENT, Role.LINE_MANAGER, department=other)
    o.other_manager = person(Role.LINE_MANAGER, department=other, line_manager=o.other_head,
                             is_away=shape["other_senior_manager_away"])
    o.other_senior = person(Role.SENIOR_STAFF, department=other, line_manager=o.other_manager)
    o.admin = person(Role.ADMINISTRATOR)
    o.compliance = person(Role.COMPLIANCE)
    dept.head, other.head = o.head, o.other_head
    dept.save()
    other.save()
    if shape["acting"] != "none":
        o.acting = person(Role.LINE_MANAGER, department=dept, line_manager=o.head,
                          is_away=shape["acting"] == "away")
        ActingHeadOfDepartment.objects.create(
            department=dept, acting_head=o.acting, appointed_by=o.admin,
            starts_on=timezone.localdate(), ends_on=timezone.localdate() + timedelta(days=90),
            reason="The Head's leave")
    return o


def _make_one_of_each(o, shape) -> None:
    """One item of every generated kind, each made by its own service."""
    from django.core.exceptions import ValidationError

    from atrisk.constants import EmergencyAdvice, Source, ThreatType
    from atrisk.services import report_raise
    from callogs.services import calllog_create_draft, calllog_submit
    from contacts.constants import Channel
    from contacts.needs_services import communication_need_report
    from contacts.services import callback_arrange, persistent_check, written_review_raise
    from restrictions.constants import Kind, Term
    from restrictions.services import Proposal, deciders, restriction_approve, restriction_create
    from tests.callogs.factories import (
        CaseReferenceFactory,
        CustomerFactory,
        LiveContactFactory,
        TerminatedContactFactory,
    )
    from welfare.constants import FollowUpReason
    from welfare.services import distress_flag_raise, welfare_follow_up_schedule

    staff = o.caseworker
    submitted = calllog_create_draft(contact=TerminatedContactFactory(staff=staff), actor=staff)
    calllog_submit(log=submitted, actor=staff)
    calllog_create_draft(contact=TerminatedContactFactory(staff=staff), actor=staff)  # a draft

    customer = CustomerFactory()
    requester = getattr(o, shape["requester"])
    proposal = Proposal(start_date=timezone.localdate(), grounds="Calls daily (7.2)",
                        terms=[Term.WRITTEN_ONLY])
    try:
        to_decide = restriction_create(requested_by=requester, customer=customer,
                                       kind=Kind.RESTRICTION, proposal=proposal, submit=True)
    except ValidationError:  # nobody could decide it: the service refuses, nothing is due
        assert requester == o.head
        assert shape["acting"] == "none"
    else:
        decided = restriction_create(requested_by=requester, customer=CustomerFactory(),
                                     kind=Kind.RESTRICTION, proposal=proposal, submit=True)
        restriction_approve(restriction=decided, actor=deciders(decided)[0])
        assert to_decide.pk

    live = LiveContactFactory(staff=staff)
    soon = timezone.now() + timedelta(hours=2)
    callback_arrange(contact=live, actor=staff, assigned_to=staff, due_at=soon)
    callback_arrange(contact=live, actor=staff, assigned_to=getattr(o, shape["callback_senior"]),
                     due_at=soon, is_escalation=True)

    welfare_follow_up_schedule(staff=staff, contact=None, reason=FollowUpReason.TERMINATION,
                               actor=staff)
    def unless_nobody_is_available(make, **kwargs):
        if any(p.is_active and not p.is_away for p in manager_chain(staff)):
            make(**kwargs)
        else:  # refused, saying so: nobody to send it to
            with pytest.raises(ValidationError, match="available"):
                make(**kwargs)

    unless_nobody_is_available(distress_flag_raise, staff=staff)
    written = LiveContactFactory(staff=staff, channel=Channel.EMAIL)
    unless_nobody_is_available(written_review_raise, contact=written, actor=staff,
                               comments="Insults in the second line")
    unless_nobody_is_available(communication_need_report, actor=staff, customer=customer,
                               need="Needs large print")
    case = CaseReferenceFactory(customer=customer)
    persistent_check(contact=LiveContactFactory(staff=staff, customer=customer,
                                                case_reference=case, no_new_information=True),
                     actor=staff)
    report_raise(raised_by=staff, source=Source.TELEPHONE, threat_type=ThreatType.SELF_HARM,
                 what_was_said="I am going to end it.", threat_made_at=timezone.now(),
                 emergency_advice=EmergencyAdvice.ADVISED)


def _can_act(user, kind: kinds.Kind, item: DueItem, *, escalation: bool) -> bool:
    permission = (ESCALATION_PERMISSION.get(kind.name, kind.completed_by) if escalation
                  else kind.completed_by)
    return user.has_perm(permission, item.target)


def _pool(kind: kinds.Kind, item: DueItem, start: User) -> list[User]:
    """Who else could have received the item (or its escalation from ``start``)."""
    target = item.target
    if kind.name in DECIDER_KINDS:
        return list(User.objects.exclude(pk__in=[start.pk, target.requested_by_id]))
    if kind.name == "escalated_callback_due":
        return [*manager_chain(target.contact.staff), *manager_chain(target.assigned_to)]
    return list(manager_chain(start))


def _check(item: DueItem) -> None:
    kind = kinds.get(item.kind)
    if not kind.completed_by:
        return
    recipient = User.objects.get(pk=item.recipient_id)
    assert _can_act(recipient, kind, item, escalation=False), (
        f"{item.kind}: {recipient.username} cannot complete it")
    if recipient.is_away and kind.name == "calllog_submitted":
        log = item.target
        assert not any(p.is_active and not p.is_away and _can_act(p, kind, item, escalation=False)
                       for p in manager_chain(log.author)), "went to someone away"
    if kind.escalate_after is None:
        assert item.escalated_to_id is None
        return
    if item.escalated_to_id is not None:
        escalated = User.objects.get(pk=item.escalated_to_id)
        assert escalated.pk != recipient.pk
        assert _can_act(escalated, kind, item, escalation=True), (
            f"{item.kind}: escalated to {escalated.username}, who cannot act on it")
        if kind.name == "escalated_callback_due":
            # 9.1: the caseworker's manager, not the senior's own, when one is available
            caseworkers_chain = [p for p in manager_chain(item.target.contact.staff)
                                 if p.is_active and not p.is_away
                                 and p.pk != item.target.assigned_to_id
                                 and _can_act(p, kind, item, escalation=True)]
            if caseworkers_chain:
                assert escalated == caseworkers_chain[0]
        return
    if kind.name == "at_risk_alert":
        return  # checked below: the alert reaching them is what lets them act
    others = [p for p in _pool(kind, item, recipient) if p.is_active and p.pk != recipient.pk
              and (kind.name in DECIDER_KINDS or not p.is_away)
              and _can_act(p, kind, item, escalation=True)]
    assert not others, f"{item.kind}: not escalated, but {others[0].username} could act"


# No shrinking phase: each example builds an organisation in the database, and a shrink
# took over five minutes; the failing shape is printed whole.
@settings(max_examples=30, deadline=None, phases=[Phase.generate],
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(shape=organisations)
def test_every_item_and_escalation_goes_to_someone_who_can_complete_it(db, shape):
    ensure_role_groups()
    with transaction.atomic():
        o = _build(shape)
        _make_one_of_each(o, shape)
        made = set(DueItem.objects.values_list("kind", flat=True))
        assert made >= {"calllog_draft", "calllog_submitted", "callback_due",
                        "escalated_callback_due", "welfare_follow_up_due", "at_risk_alert"}
        sweep(now=timezone.now() + timedelta(days=400))  # past every review date too
        open_items = DueItem.objects.filter(completed_at__isnull=True, cancelled_at__isnull=True)
        assert open_items.filter(sent_at__isnull=True).count() == 0
        for item in open_items:
            _check(item)
        for item in DueItem.objects.filter(kind="at_risk_alert", escalated_to__isnull=False):
            escalated = User.objects.get(pk=item.escalated_to_id)
            assert escalated.has_perm("atrisk.acknowledge_report", item.target)
        transaction.set_rollback(True)


# The four cases issue 17 names, one by one.

SHAPE = {"manager_away": False, "senior_away": False, "head_away": False,
         "head_has_manager": True, "director_away": False, "acting": "present",
         "requester": "manager", "callback_senior": "other_senior",
         "other_senior_manager_away": False}


def _escalated(kind: str) -> DueItem:
    sweep(now=timezone.now() + timedelta(days=400))
    return DueItem.objects.select_related("escalated_to").get(kind=kind)


def test_an_overdue_log_review_escalates_to_a_manager_who_may_review_it(db):
    ensure_role_groups()
    o = _build(SHAPE)
    from callogs.services import calllog_create_draft, calllog_submit
    from tests.callogs.factories import TerminatedContactFactory

    log = calllog_create_draft(contact=TerminatedContactFactory(staff=o.caseworker),
                               actor=o.caseworker)
    calllog_submit(log=log, actor=o.caseworker)
    item = _escalated("calllog_submitted")
    assert (item.recipient, item.escalated_to) == (o.manager, o.senior)
    assert o.senior.has_perm("callogs.review_log", log)


def test_an_overdue_decision_goes_to_the_acting_head_not_the_heads_manager(db):
    ensure_role_groups()
    o = _build(SHAPE)
    from restrictions.constants import Kind, Term
    from restrictions.services import Proposal, restriction_create
    from tests.callogs.factories import CustomerFactory

    restriction = restriction_create(
        requested_by=o.manager, customer=CustomerFactory(), kind=Kind.RESTRICTION,
        proposal=Proposal(start_date=timezone.localdate(), grounds="Calls daily",
                          terms=[Term.WRITTEN_ONLY]), submit=True)
    item = _escalated("restriction_decision_needed")
    assert item.recipient == o.head
    assert item.escalated_to == o.acting  # not o.director, the Head's own manager
    assert not o.director.has_perm("restrictions.decide_restriction", restriction)


def test_an_overdue_senior_callback_goes_to_the_caseworkers_manager(db):
    ensure_role_groups()
    o = _build(SHAPE)
    from contacts.services import callback_arrange
    from tests.callogs.factories import LiveContactFactory

    callback = callback_arrange(contact=LiveContactFactory(staff=o.caseworker),
                                actor=o.caseworker, assigned_to=o.other_senior,
                                due_at=timezone.now() + timedelta(hours=2), is_escalation=True)
    item = _escalated("escalated_callback_due")
    assert item.escalated_to == o.manager  # not o.other_manager, the senior's own
    assert o.manager.has_perm("contacts.complete_callback", callback)


def test_existing_requester_review_items_become_notices(db, make_user):
    """restrictions 0006: items made before the kinds split stop escalating to the
    requester's manager; the Head's copy keeps its kind."""
    import importlib

    from django.apps import apps

    step = importlib.import_module(
        "restrictions.migrations.0006_requester_review_items_are_notices")
    person = make_user(Role.LINE_MANAGER)
    for suffix in ("hod", "requester"):
        DueItem.objects.create(kind="restriction_review_due",
                               key=f"restriction:1:review:x:{suffix}", recipient=person,
                               due_at=timezone.now(), message="Review")
    step.requester_items_become_notices(apps, None)
    assert dict(DueItem.objects.values_list("key", "kind")) == {
        "restriction:1:review:x:hod": "restriction_review_due",
        "restriction:1:review:x:requester": "restriction_review_upcoming"}
