"""``documents.selectors.visible_q`` is the download's rule as a filter (issue 16: the
customer's history cuts letters before paginating). It must agree with
``documents.download_document`` for every role and every kind of document."""

import pytest
import rules

from accounts.constants import Role
from accounts.models import ActingHeadOfDepartment
from callogs.models import TerminatedCallLog
from documents.constants import DocumentKind, DocumentLanguage
from documents.models import StoredDocument
from documents.selectors import visible_q
from restrictions.models import Appeal, RestrictionTransition
from tests.accounts.factories import DepartmentFactory, UserFactory
from tests.atrisk.factories import AtRiskReportFactory
from tests.contacts.factories import ContactFactory, CustomerFactory
from tests.restrictions.factories import ApprovedRestrictionFactory

pytestmark = pytest.mark.django_db


def _document(n, kind, source, customer, issued_by):
    return StoredDocument.objects.create(
        reference=f"D-{n}", kind=kind, language=DocumentLanguage.values[0], title="Doc",
        customer=customer, source=source, file=f"d/{n}.pdf", sha256="0" * 64, size=1,
        template="documents/letter.html", context={}, issued_by=issued_by)


def test_the_filter_agrees_with_the_download_rule_for_everyone():
    from django.utils import timezone

    dept, other = DepartmentFactory(), DepartmentFactory()
    head = UserFactory(roles=[Role.HEAD_OF_DEPARTMENT], department=dept)
    dept.head = head
    dept.save()
    senior = UserFactory(roles=[Role.SENIOR_STAFF], department=dept, line_manager=head)
    manager = UserFactory(roles=[Role.LINE_MANAGER], department=dept, line_manager=senior)
    other_manager = UserFactory(roles=[Role.LINE_MANAGER], department=other)
    acting = UserFactory(roles=[Role.LINE_MANAGER], department=other)
    caseworker = UserFactory(roles=[Role.CASEWORKER], department=dept, line_manager=manager)
    stranger = UserFactory(roles=[Role.CASEWORKER], department=other,
                           line_manager=other_manager)
    compliance = UserFactory(roles=[Role.COMPLIANCE])
    admin = UserFactory(roles=[Role.ADMINISTRATOR])
    nobody = UserFactory(roles=[])
    ActingHeadOfDepartment.objects.create(
        department=dept, acting_head=acting, appointed_by=admin,
        starts_on=timezone.localdate(), ends_on=timezone.localdate(), reason="Leave")
    customer = CustomerFactory()
    docs = []
    for n, requester in enumerate([manager, other_manager]):
        restriction = ApprovedRestrictionFactory(customer=customer, requested_by=requester,
                                                 decided_by=head if requester == manager
                                                 else UserFactory(roles=[
                                                     Role.HEAD_OF_DEPARTMENT]),
                                                 department=requester.department)
        transition = RestrictionTransition.objects.create(
            restriction=restriction, action="approve", from_status="submitted",
            to_status="approved", actor=head)
        docs.append(_document(f"t{n}", DocumentKind.RESTRICTION_DECIDED, transition,
                              customer, head))
        appeal = Appeal.objects.create(restriction=restriction, received_on=timezone.localdate(),
                                       customer_grounds="Unfair", recorded_by=requester)
        docs.append(_document(f"a{n}", DocumentKind.RESTRICTION_DECIDED, appeal, customer,
                              head))
    for n, author in enumerate([caseworker, stranger]):
        contact = ContactFactory(customer=customer, staff=author)
        log = TerminatedCallLog.objects.create(contact=contact, author=author,
                                               call_at=contact.started_at, reason="Abuse",
                                               staff_name="Cas")
        docs.append(_document(f"l{n}", DocumentKind.TERMINATED_CALL_LOG, log, customer,
                              author))
        report = AtRiskReportFactory(raised_by=author, customer=customer)
        docs.append(_document(f"r{n}", DocumentKind.ATRISK_TELEPHONE_NOTE, report, customer,
                              author))
    people = [head, senior, manager, other_manager, acting, caseworker, stranger, compliance,
              admin, nobody]
    seen_some_but_not_all = 0
    for person in people:
        by_rule = {d.pk for d in docs if rules.has_perm("documents.download_document",
                                                        person, d)}
        by_filter = set(StoredDocument.objects.filter(visible_q(person))
                        .values_list("pk", flat=True))
        assert by_filter == by_rule, person.username
        seen_some_but_not_all += 0 < len(by_rule) < len(docs)
    assert seen_some_but_not_all >= 4  # the rule is exercised, not all-or-nothing
