"""Demo customers (order 20): varied names, phones in mixed formats, emails, case references."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from contacts.constants import Channel, Direction
from contacts.models import CaseReference, Contact, Customer, CustomerEmail, CustomerPhone

# (given, family, phone as given, email, case references, communication needs)
DEMO_CUSTOMERS = (
    ("Amelia", "Smith", "07700 900123", "amelia.smith@example.com", ("RFA0123456",), ""),
    ("John", "Smith", "+44 7700 900456", "john.smith@example.net", ("ENQ0654321",), ""),
    ("Jon", "Smithson", "(0161) 496 0000", "", ("RFA0000001",), ""),
    ("Oliver", "Brown", "0044 20 7946 0001", "oliver.brown@example.org", ("RFA0000002",),
     "Has difficulty hearing and may speak loudly (6.1)."),
    ("Priya", "Patel", "07700-900-789", "priya.p@example.com", ("ENQ0000003",), ""),
    ("Mohammed", "Ali", "+44 (0)7700 900111", "m.ali@example.co.uk", ("RFA0000004",), ""),
    ("Siobhan", "O'Brien", "028 9018 0000", "siobhan@example.ie", ("ENQ0000005",), ""),
    ("Gareth", "Jones", "029 2018 0000", "", ("RFA0000006", "ENQ0000007"), ""),
    ("Aisha", "Begum", "07700900222", "aisha.begum@example.com", ("RFA0000008",), ""),
    ("Wei", "Chen", "0113 496 0999", "wei.chen@example.com", ("ENQ0000009",), ""),
    ("Zofia", "Kowalska", "+48 22 123 45 67", "zofia.k@example.pl", ("RFA0000010",), ""),
    ("Tom", "Williams", "07700 900333", "tom.w@example.com", ("ENQ0000011",), ""),
    ("Emily", "Taylor", "0117 496 0123", "emily.taylor@example.com", ("RFA0000012",), ""),
    ("Daniel", "Davies", "07700 900444", "", ("RFA0000013",), ""),
    ("Chloe", "Evans", "0121 496 0456", "chloe.evans@example.com", ("ENQ0000014",), ""),
    ("Kwame", "Mensah", "07700 900555", "kwame@example.com", ("RFA0000015",), ""),
    ("Fatima", "Hussain", "+44 121 496 0789", "fatima.h@example.com", ("ENQ0000016",), ""),
    ("Liam", "Murphy", "07700 900666", "liam.murphy@example.ie", ("RFA0000017",), ""),
    ("Grace", "Wilson", "0131 496 0321", "grace.wilson@example.com", ("RFA0000018",), ""),
    ("Harry", "Thomas", "07700 900777", "", ("ENQ0000019",), ""),
    ("Isla", "Roberts", "01632 960 001", "isla.r@example.com", ("RFA0000020",), ""),
    ("Noah", "Walker", "07700 900888", "noah.walker@example.com", ("ENQ0000021",), ""),
    ("Ava", "Wright", "020 7946 0555", "ava.wright@example.com", ("RFA0000022",), ""),
    ("Jack", "Robinson", "07700 900999", "jack.r@example.com", ("RFA0000023",), ""),
    ("Mia", "Thompson", "+44 7700 900100", "mia.t@example.com", ("ENQ0000024",), ""),
    ("Ethan", "White", "0191 496 0654", "", ("RFA0000025",), ""),
    ("Sophie", "Hughes", "07700 900200", "sophie.hughes@example.com", ("ENQ0000026",), ""),
    ("Rhys", "ap Gruffydd", "01970 123456", "rhys@example.cymru", ("RFA0000027",), ""),
    ("Ana", "de la Cruz", "07700 900300", "ana.delacruz@example.com", ("ENQ0000028",), ""),
    ("Yusuf", "Brierley", "0114 496 0987", "yusuf.b@example.com", ("RFA0000029",), ""),
)


@transaction.atomic
def load_customers() -> None:
    """Create the demo customers once; some have contacts with the demo caseworker."""
    caseworker = User.objects.filter(username="caseworker").first()
    now = timezone.now()
    for index, (given, family, phone, email, cases, needs) in enumerate(DEMO_CUSTOMERS):
        first_case = cases[0]
        if CaseReference.objects.filter(reference=first_case).exists():
            continue
        customer = Customer.objects.create(
            given_name=given, family_name=family, communication_needs=needs,
            address=f"{index + 1} Demo Street\nManchester", postcode=f"M1 {index % 9}AA",
        )
        CustomerPhone(customer=customer, number=phone).save()
        if email:
            CustomerEmail(customer=customer, email=email).save()
        refs = [CaseReference.objects.create(reference=ref, customer=customer) for ref in cases]
        if caseworker and index % 3 == 0:
            for days in (20, 6):
                started = now - timedelta(days=days, hours=index % 5)
                Contact.objects.create(
                    customer=customer, case_reference=refs[0], channel=Channel.PHONE,
                    direction=Direction.INBOUND, started_at=started,
                    ended_at=started + timedelta(minutes=12), staff=caseworker,
                    summary="Asked about the progress of their case.", outcome="Answered",
                )
