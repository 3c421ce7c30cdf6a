"""One small organisation with every kind of record, for the security proofs (issue 8).

Department A: ``hod`` (head) > ``senior`` > ``manager`` > ``caseworker`` (the owner of every
record) and ``peer`` (a caseworker of the same team who owns nothing). Department B:
``other_hod`` > ``other_manager``. Outside both: ``compliance``, ``admin`` (the Administrator
role) and ``superuser`` (a Django superuser with the Administrator role, like the demo
``admin``: issue 17, not a back door). Records are built lazily, so a test only pays for what
it uses.
"""

from datetime import timedelta
from functools import cached_property

from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.constants import Role
from tests.accounts.factories import DepartmentFactory, UserFactory

ACTORS = ("caseworker", "peer", "manager", "senior", "hod", "other_manager", "other_hod",
          "compliance", "admin", "superuser")


class World:
    def __init__(self) -> None:
        for name in Role.values:  # a transactional test elsewhere may have flushed them
            Group.objects.get_or_create(name=name)
        a = DepartmentFactory(name="Customer Contact")
        b = DepartmentFactory(name="Complaints and Review")
        self.hod = UserFactory(username="w_hod", department=a,
                               roles=[Role.HEAD_OF_DEPARTMENT, Role.LINE_MANAGER])
        self.senior = UserFactory(username="w_senior", department=a, line_manager=self.hod,
                                  roles=[Role.SENIOR_STAFF, Role.LINE_MANAGER])
        self.manager = UserFactory(username="w_manager", department=a, line_manager=self.senior,
                                   roles=[Role.LINE_MANAGER])
        self.caseworker = UserFactory(username="w_caseworker", department=a,
                                      line_manager=self.manager, roles=[Role.CASEWORKER])
        self.peer = UserFactory(username="w_peer", department=a, line_manager=self.manager,
                                roles=[Role.CASEWORKER])
        self.other_hod = UserFactory(username="w_other_hod", department=b,
                                     roles=[Role.HEAD_OF_DEPARTMENT, Role.LINE_MANAGER])
        self.other_manager = UserFactory(username="w_other_manager", department=b,
                                         line_manager=self.other_hod, roles=[Role.LINE_MANAGER])
        self.compliance = UserFactory(username="w_compliance", roles=[Role.COMPLIANCE])
        self.admin = UserFactory(username="w_admin", roles=[Role.ADMINISTRATOR])
        self.superuser = UserFactory(username="w_superuser", is_superuser=True, is_staff=True,
                                     roles=[Role.ADMINISTRATOR])
        a.head = self.hod
        a.save()
        b.head = self.other_hod
        b.save()

    @property
    def department(self):
        """Department A (the owner's), headed by ``hod``."""
        return self.hod.department

    @cached_property
    def acting_appointment(self):
        from accounts.models import ActingHeadOfDepartment

        return ActingHeadOfDepartment.objects.create(
            department=self.department, acting_head=self.senior, appointed_by=self.admin,
            starts_on=timezone.localdate(), ends_on=timezone.localdate() + timedelta(days=7),
            reason="The Head's leave")

    def actor(self, name: str):
        return getattr(self, name)

    # --- contacts -------------------------------------------------------------------------
    @cached_property
    def customer(self):
        from tests.contacts.factories import CustomerFactory

        return CustomerFactory()

    @cached_property
    def contact(self):
        from tests.contacts.factories import ContactFactory

        return ContactFactory(customer=self.customer, staff=self.caseworker)

    @cached_property
    def abusive_contact(self):
        """A live contact classified abusive or threatening (issue 17: moved down)."""
        from tests.contacts.factories import ContactFactory

        return ContactFactory(customer=self.customer, staff=self.caseworker,
                              behaviour="abusive")

    @cached_property
    def suggested_words(self):
        """Issue 24: one row of the live-call words (seeded by a migration; made here if a
        transactional test elsewhere flushed them)."""
        from contacts.models import SuggestedWords

        return SuggestedWords.objects.get_or_create(
            step="told_will_consult",
            defaults={"paragraph": "7.3", "words": "I need to consult someone else."})[0]

    @cached_property
    def unknown_contact(self):
        """A contact logged with an unknown caller (issue 16: linked to a customer later)."""
        from tests.contacts.factories import ContactFactory

        return ContactFactory(customer=None, caller_name="Pat", staff=self.caseworker)

    @cached_property
    def need_report(self):
        """A caseworker's report of a customer's communication need (6.1, 12.2)."""
        from contacts.needs_services import communication_need_report

        return communication_need_report(actor=self.caseworker, customer=self.customer,
                                         need="Seems hard of hearing")

    @cached_property
    def customer_merge(self):
        """A merge of a duplicate into the customer (issue 16)."""
        from contacts.merge_services import customer_merge
        from tests.contacts.factories import CustomerFactory

        return customer_merge(actor=self.manager, survivor=self.customer,
                              merged=CustomerFactory())

    @cached_property
    def terminated_contact(self):
        from tests.callogs.factories import TerminatedContactFactory

        return TerminatedContactFactory(customer=self.customer, staff=self.caseworker)

    @cached_property
    def callback(self):
        from contacts.models import Callback

        return Callback.objects.create(contact=self.contact, assigned_to=self.caseworker,
                                       arranged_by=self.caseworker,
                                       due_at=timezone.now() + timedelta(hours=1))

    @cached_property
    def written_review(self):
        from contacts.models import WrittenCommentReview

        return WrittenCommentReview.objects.create(
            contact=self.contact, manager=self.manager, raised_by=self.caseworker,
            comments="Offensive remarks about staff.")

    @cached_property
    def flag(self):
        from contacts.models import PersistentContactFlag

        flag = PersistentContactFlag.objects.create(
            customer=self.customer, manager=self.manager, staff=self.caseworker,
            trigger="Four contacts in a week")
        flag.contacts.add(self.contact)
        return flag

    # --- call logs and welfare --------------------------------------------------------------
    @cached_property
    def draft_log(self):
        from tests.callogs.factories import DraftLogFactory

        return DraftLogFactory(contact=self.terminated_contact, author=self.caseworker)

    @cached_property
    def submitted_log(self):
        from tests.callogs.factories import SubmittedLogFactory, TerminatedContactFactory

        contact = TerminatedContactFactory(customer=self.customer, staff=self.caseworker)
        return SubmittedLogFactory(contact=contact, author=self.caseworker)

    @cached_property
    def follow_up(self):
        from welfare.constants import FollowUpReason
        from welfare.models import WelfareFollowUp

        return WelfareFollowUp.objects.create(
            staff=self.caseworker, manager=self.manager, contact=self.contact,
            reason=FollowUpReason.values[0], due_at=timezone.now() + timedelta(days=1))

    @cached_property
    def distress_flag(self):
        from welfare.models import DistressFlag

        return DistressFlag.objects.create(staff=self.caseworker, routed_to=self.manager,
                                           contact=self.contact, note="Shaken by the call")

    # --- restrictions -------------------------------------------------------------------------
    @cached_property
    def restriction(self):
        from tests.restrictions.factories import RestrictionFactory

        return RestrictionFactory(customer=self.customer, requested_by=self.manager)

    @cached_property
    def approved_restriction(self):
        from tests.restrictions.factories import ApprovedRestrictionFactory

        return ApprovedRestrictionFactory(customer=self.customer, requested_by=self.manager,
                                          decided_by=self.hod)

    @cached_property
    def appeal(self):
        from restrictions.models import Appeal

        return Appeal.objects.create(restriction=self.approved_restriction,
                                     received_on=timezone.localdate(),
                                     customer_grounds="I was only asking about my case.",
                                     recorded_by=self.manager)

    @cached_property
    def decided_appeal(self):
        from restrictions.constants import AppealOutcome

        appeal = self.appeal
        appeal.outcome = AppealOutcome.UPHELD
        appeal.reason = "The behaviour continued after the warning."
        appeal.decided_by = self.senior
        appeal.decided_at = timezone.now()
        appeal.save()
        return appeal

    @cached_property
    def triage_item(self):
        from restrictions.models import TriageItem

        return TriageItem.objects.create(contact=self.contact,
                                         restriction=self.approved_restriction)

    # --- documents (issue 22) ---------------------------------------------------------------
    @cached_property
    def letter_ready_restriction(self):
        """``approved_restriction`` with its approval recorded and a postal address."""
        from restrictions.models import RestrictionTransition

        restriction = self.approved_restriction
        RestrictionTransition.objects.create(restriction=restriction, action="approve",
                                             from_status="submitted", to_status="approved",
                                             actor=self.hod)
        self.customer.address = "1 High Street\nAnytown"
        self.customer.save(update_fields=["address"])
        return restriction

    @cached_property
    def letter_ready_appeal(self):
        self.letter_ready_restriction  # noqa: B018 - the address a letter needs
        return self.decided_appeal

    @cached_property
    def stored_letter(self):
        """The letter telling the customer of ``approved_restriction`` (issued by manager)."""
        from documents.services import restriction_letter_issue

        return restriction_letter_issue(restriction=self.letter_ready_restriction,
                                        actor=self.manager, why="You shouted at our staff.")

    @cached_property
    def case_report(self):
        """An at-risk report about an ongoing case (11.2: a telephone note for its file)."""
        from contacts.models import CaseReference
        from tests.atrisk.factories import AtRiskReportFactory

        case = CaseReference.objects.create(reference="RFA0990001", customer=self.customer)
        return AtRiskReportFactory(raised_by=self.caseworker, customer=self.customer,
                                   case_reference=case)

    # --- at-risk -------------------------------------------------------------------------------
    @cached_property
    def report(self):
        from tests.atrisk.factories import AtRiskReportFactory

        return AtRiskReportFactory(raised_by=self.caseworker, customer=self.customer)

    @cached_property
    def disclosure(self):
        from tests.atrisk.factories import AcknowledgedReportFactory, DisclosureFactory

        report = AcknowledgedReportFactory(raised_by=self.caseworker, customer=self.customer,
                                           acknowledged_by=self.senior)
        return DisclosureFactory(report=report)

    # --- integration API ---------------------------------------------------------------------
    @cached_property
    def system_client(self):
        from api.services import client_register

        return client_register(actor=self.admin, name="Telephony", kind="telephony",
                               scopes=["lookup", "calls"])[0]

    @cached_property
    def call_event(self):
        from api.models import CallEvent

        return CallEvent.objects.create(client=self.system_client, call_id="w-call-1",
                                        caller_number="07700900123", direction="in",
                                        agent=self.caseworker, contact=self.contact)

    # --- notifications and privacy ------------------------------------------------------------
    @cached_property
    def inbox_entry(self):
        from tests.notifications.factories import InboxEntryFactory

        return InboxEntryFactory(recipient=self.caseworker)

    @cached_property
    def sar(self):
        from privacy.models import SubjectAccessRequest

        return SubjectAccessRequest.objects.create(
            customer=self.customer, received_on=timezone.localdate(),
            recorded_by=self.compliance)

    @cached_property
    def legal_hold(self):
        from privacy.models import LegalHold

        # One in force per customer: a test may already have placed it through the page.
        return LegalHold.objects.filter(customer=self.customer,
                                        released_at__isnull=True).first() or (
            LegalHold.objects.create(customer=self.customer, reason="Claim CL-1",
                                     placed_by=self.compliance))

    @cached_property
    def challenge(self):
        from privacy.models import RecordChallenge

        return RecordChallenge.objects.create(
            customer=self.customer, statement="That is not what I said.",
            received_on=timezone.localdate(), recorded_by=self.compliance)

    # --- for the service matrix (tests/security/service_matrix) ------------------------------
    @cached_property
    def written_contact(self):
        from tests.contacts.factories import ContactFactory

        return ContactFactory(customer=self.customer, staff=self.caseworker, channel="email")

    @cached_property
    def draft_restriction(self):
        from restrictions.constants import Status
        from tests.restrictions.factories import RestrictionFactory

        return RestrictionFactory(customer=self.customer, requested_by=self.manager,
                                  status=Status.DRAFT, submitted_at=None)

    @cached_property
    def case_note_report(self):
        """11.2: a report about an ongoing case, with its telephone note, not yet filed."""
        from contacts.models import CaseReference
        from tests.atrisk.factories import AtRiskReportFactory

        case = CaseReference.objects.create(reference="RFA0770077", customer=self.customer)
        return AtRiskReportFactory(raised_by=self.caseworker, customer=self.customer,
                                   case_reference=case, case_note="Threats; advised 999.")

    @cached_property
    def acknowledged_report(self):
        from tests.atrisk.factories import AcknowledgedReportFactory

        return AcknowledgedReportFactory(raised_by=self.caseworker, customer=self.customer,
                                         acknowledged_by=self.senior)

    @cached_property
    def new_duty_shift(self):
        from atrisk.models import DutyRota

        return DutyRota(senior=self.senior, starts_at=timezone.now(),
                        ends_at=timezone.now() + timedelta(hours=8))

    @cached_property
    def ready_sar(self):
        from privacy.constants import SarStatus

        sar = self.sar
        sar.status, sar.export, sar.progress = SarStatus.READY, b"PK\x05\x06" + bytes(18), 100
        sar.save(update_fields=["status", "export", "progress"])
        return sar

    @cached_property
    def retention_run(self):
        from privacy.models import RetentionRun

        return RetentionRun.objects.create(cutoff_report={})
