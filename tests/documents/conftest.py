"""An organisation with a decided restriction, and a documents store under ``tmp_path``."""

import io
from types import SimpleNamespace

import pypdf
import pytest

from accounts.constants import Role
from restrictions import services as rs
from restrictions.constants import Term
from restrictions.services import Proposal
from tests.accounts.factories import DepartmentFactory, UserFactory
from tests.restrictions.conftest import ensure_role_groups
from tests.restrictions.factories import CustomerFactory


@pytest.fixture(autouse=True)
def documents_store(settings, tmp_path, db):
    """Each test writes its PDFs under its own ``tmp_path`` (never a shared folder)."""
    ensure_role_groups()
    settings.STORAGES = {**settings.STORAGES, "documents": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path / "documents")}}}
    return tmp_path / "documents"


@pytest.fixture
def org(db):
    o = SimpleNamespace()
    dept = DepartmentFactory(name="Customer Contact")
    other = DepartmentFactory(name="Complaints and Review")
    o.head = UserFactory(username="d_head", first_name="Rhiannon", last_name="Pritchard",
                         job_title="",
                         roles=[Role.HEAD_OF_DEPARTMENT, Role.LINE_MANAGER], department=dept)
    o.senior = UserFactory(username="d_senior", first_name="Sam", last_name="Senior",
                           roles=[Role.SENIOR_STAFF, Role.LINE_MANAGER], department=dept,
                           line_manager=o.head)
    o.manager = UserFactory(username="d_manager", first_name="Morgan", last_name="Manager",
                            roles=[Role.LINE_MANAGER], department=dept, line_manager=o.senior)
    o.caseworker = UserFactory(username="d_caseworker", first_name="Casey",
                               last_name="Worker", roles=[Role.CASEWORKER], department=dept,
                               line_manager=o.manager)
    o.compliance = UserFactory(username="d_compliance", roles=[Role.COMPLIANCE])
    o.admin = UserFactory(username="d_admin", roles=[Role.ADMINISTRATOR])
    o.other_hod = UserFactory(username="d_other_hod", department=other,
                              roles=[Role.HEAD_OF_DEPARTMENT, Role.LINE_MANAGER])
    o.superuser = UserFactory(username="d_super", is_superuser=True, is_staff=True)
    dept.head = o.head
    dept.save()
    other.head = o.other_hod
    other.save()
    o.dept = dept
    o.customer = CustomerFactory(given_name="Alex", family_name="Morgan",
                                 address="1 High Street\nAnytown\nAB1 2CD")
    return o


def decide(o, *, terms=(Term.WRITTEN_ONLY,), kind="restriction", **proposal):
    """A restriction requested by the manager and approved by the Head, through services."""
    from django.utils import timezone

    fields = {"start_date": timezone.localdate(), "grounds": "Shouted at staff on 3 calls.",
              "terms": list(terms)}
    if kind == "adjustment":
        fields.update(terms=[], need="Hearing difficulty", adjustments=["email_not_phone"])
    fields.update(proposal)
    restriction = rs.restriction_create(requested_by=o.manager, customer=o.customer,
                                        kind=kind, proposal=Proposal(**fields), submit=True)
    return rs.restriction_approve(restriction=restriction, actor=o.head,
                                  reason="Abuse continued after warnings.")


@pytest.fixture
def decided(org):
    return decide(org)


def pdf_text(data: bytes) -> str:
    """All text pypdf extracts from the PDF, pages joined, whitespace folded."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def pdf_reader(data: bytes) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(data))


def structure_tags(data: bytes) -> set[str]:
    """Every structure type in the PDF's tag tree (what a screen reader navigates by)."""
    root = pdf_reader(data).trailer["/Root"]
    seen: set[str] = set()
    pending = [root["/StructTreeRoot"]]
    while pending:
        node = pending.pop().get_object()
        if isinstance(node, pypdf.generic.DictionaryObject):
            if "/S" in node:
                seen.add(str(node["/S"]))
            kids = node.get("/K")
            if isinstance(kids, pypdf.generic.ArrayObject):
                pending.extend(kids)
            elif kids is not None:
                pending.append(kids)
    return seen
