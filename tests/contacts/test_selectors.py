"""The one-box lookup: classification of the input and each kind of match; the demo loader."""

import pytest

from accounts.demo import load_staff
from contacts.demo import DEMO_CUSTOMERS, load_customers
from contacts.models import Customer
from contacts.selectors import PAGE_SIZE, classify_query, customer_lookup
from tests.contacts.factories import (
    CaseReferenceFactory,
    CustomerEmailFactory,
    CustomerFactory,
    CustomerPhoneFactory,
)


@pytest.mark.parametrize(("query", "kind"), [
    ("", ""), ("  ", ""),
    ("someone@example.com", "email"),
    ("RFA0123456", "case_reference"), ("enq 0654321", "case_reference"),
    ("07700 900123", "phone"), ("+44 (0)7700-900123", "phone"), ("0123", "phone"),
    ("123", "name"), ("smith", "name"), ("o'brien", "name"), ("john smith", "name"),
])
def test_classify_query(query, kind):
    assert classify_query(query) == kind


@pytest.mark.django_db
def test_name_prefix_comes_first_in_name_order_then_contains_fill_in():
    CustomerFactory(given_name="Yusuf", family_name="Brierley")
    CustomerFactory(given_name="Siobhan", family_name="O'Brien")
    CustomerFactory(given_name="Bri", family_name="Adams")
    CustomerFactory(given_name="Ann", family_name="Bristow")
    CustomerFactory(given_name="Al", family_name="Briggs")
    names = [c.full_name for c in customer_lookup("bri").customers]
    # family-name prefix matches in name order, then the contains fill-in
    assert names[:3] == ["Yusuf Brierley", "Al Briggs", "Ann Bristow"]
    assert set(names[3:]) == {"Siobhan O'Brien", "Bri Adams"}


@pytest.mark.django_db
def test_two_letters_do_not_run_a_contains_search():
    CustomerFactory(given_name="Ann", family_name="Abrams")
    assert customer_lookup("br").customers == []


@pytest.mark.django_db
def test_given_and_family_name_together():
    CustomerFactory(given_name="John", family_name="Smith")
    CustomerFactory(given_name="Jane", family_name="Smith")
    assert [c.full_name for c in customer_lookup("jo smi").customers] == ["John Smith"]


@pytest.mark.django_db
def test_phone_in_any_format_and_by_last_digits():
    customer = CustomerFactory()
    CustomerPhoneFactory(customer=customer, number="+44 (0)7700 900123")
    for query in ("07700900123", "07700 900 123", "0044 7700 900123", "900123", "0123"):
        assert customer_lookup(query).customers == [customer], query


@pytest.mark.django_db
def test_results_stop_at_a_page_and_say_there_are_more():
    for _ in range(PAGE_SIZE + 3):
        CustomerFactory(family_name="Manyfold")
    result = customer_lookup("manyfold")
    assert len(result.customers) == PAGE_SIZE
    assert result.more


@pytest.mark.django_db
@pytest.mark.parametrize(("query", "statements"), [
    ("manyfold", 1), ("MANYF", 1), ("ann manyfold", 1),  # the prefix matches fill the page
    ("anyfol", 2), ("menifold", 2), ("ann menifold", 2),  # contains / sounds-like fill it
])
def test_a_name_page_is_one_statement_with_case_references_and_badges(
        query, statements, django_assert_num_queries):
    """The name search on PostgreSQL is ONE statement whichever branches fill the page
    (prefixes; contains and sounds-like only when the prefixes leave it short: issue 16),
    with the case references (issue 23) and the badges inside it, however many customers
    match. SQLite (``make run``) takes no LIMIT inside a UNION: a query a branch, in two
    rounds, one for the case references and one for the badges."""
    from django.db import connection

    cases = {}
    for i in range(PAGE_SIZE + 3):
        case = CaseReferenceFactory(customer=CustomerFactory(family_name="Manyfold",
                                                             given_name="Ann"),
                                    reference=f"RFA{i:07d}")
        cases[case.customer_id] = [case.reference]
    # SQLite: ("given family",) family and given prefixes; then contains and the two
    # sounds-like code columns; then the case references and the badges
    words = len(query.split())
    sqlite = words + 1 + (0 if statements == 1 else 3) + 2
    with django_assert_num_queries(1 if connection.vendor == "postgresql" else sqlite):
        result = customer_lookup(query)
    assert len(result.customers) == PAGE_SIZE
    assert result.more
    for customer in result.customers:
        assert [c.reference for c in customer.case_reference_list] == cases[customer.pk]


@pytest.mark.django_db
def test_demo_customers_load_once():
    load_staff(password="correct-horse-battery")
    load_customers()
    load_customers()
    assert Customer.objects.count() == len(DEMO_CUSTOMERS)
    assert Customer.objects.exclude(communication_needs="").exists()
    assert customer_lookup("0161 496 0000").customers[0].family_name == "Smithson"


@pytest.mark.django_db
@pytest.mark.parametrize(("query", "both"), [
    ("07700 900123", True), ("+447700900123", True), ("SHARED@example.com", True),
    ("enq 0654322", False),
])
def test_a_phone_email_or_case_reference_page_is_one_statement(query, both, org_for_badges,
                                                               django_assert_num_queries):
    """On PostgreSQL the customers the number, email or case reference finds come in one
    statement with their case references and badges, in name order; SQLite asks for the ids,
    the customers, their case references and badges (four)."""
    from django.db import connection

    later, earlier = org_for_badges
    with django_assert_num_queries(1 if connection.vendor == "postgresql" else 4):
        result = customer_lookup(query)
    shown = [(c.pk, [r.reference for r in c.case_reference_list], c.badges)
             for c in result.customers]
    assert shown == [(earlier.pk, ["ENQ0654321"], [])] * both + [
        (later.pk, ["ENQ0654322", "ENQ0654323"], ["Restricted contact"])]


@pytest.fixture
def org_for_badges():
    """Two customers who share a number and an email; the one created first sorts last by
    name and has a restriction in force."""
    from tests.accounts.factories import DepartmentFactory, UserFactory
    from tests.restrictions.factories import ApprovedRestrictionFactory, RestrictionFactory

    later = CustomerFactory(given_name="Zed", family_name="Young")
    earlier = CustomerFactory(given_name="Abe", family_name="Adams")
    for customer in (later, earlier):
        CustomerPhoneFactory(customer=customer, number="07700 900123")
        CustomerEmailFactory(customer=customer, email="shared@example.com")
    CaseReferenceFactory(customer=earlier, reference="ENQ0654321")
    CaseReferenceFactory(customer=later, reference="ENQ0654323")
    CaseReferenceFactory(customer=later, reference="ENQ0654322")
    department = DepartmentFactory()
    manager, head = UserFactory(department=department), UserFactory(department=department)
    ApprovedRestrictionFactory(customer=later, requested_by=manager, decided_by=head)
    RestrictionFactory(customer=earlier, requested_by=manager)  # only asked for: no badge
    return later, earlier
