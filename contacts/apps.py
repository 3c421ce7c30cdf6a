from datetime import timedelta

from django.apps import AppConfig


class ContactsConfig(AppConfig):
    name = "contacts"
    verbose_name = "Customers and contacts"

    def ready(self) -> None:
        from accounts.rules import is_customer_facing, is_staff_member
        from contacts.demo import load_customers
        from contacts.services import escalated_callback_escalate_to
        from core import demo, navigation
        from notifications import kinds

        for kind in (
            kinds.Kind(name="callback_due", label="Callback due", paragraph="7.3",
                       escalate_after=timedelta(hours=1),
                       completed_by="contacts.complete_callback"),
            kinds.Kind(name="escalated_callback_due", label="Escalated callback due",
                       paragraph="9.1", escalate_after=timedelta(hours=1),
                       completed_by="contacts.complete_callback",
                       escalate_to=escalated_callback_escalate_to),
            kinds.Kind(name="name_withheld", label="Name withheld", paragraph="10.1"),
            kinds.Kind(name="written_comments_review", label="Written comments to review",
                       paragraph="7.6", completed_by="contacts.decide_item"),
            kinds.Kind(name="persistent_contact", label="Possible persistent contact",
                       paragraph="7.2", completed_by="contacts.decide_item"),
            kinds.Kind(name="communication_need", label="Communication need to consider",
                       paragraph="6.1, 12.2", completed_by="contacts.decide_need"),
        ):
            kinds.register(kind)
        navigation.register(navigation.NavItem("Find a customer", "contacts:lookup",
                                               is_customer_facing, order=10,
                                               section=navigation.FIND))
        navigation.register(navigation.NavItem("Contacts to action", "contacts:queue",
                                               is_staff_member, order=15,
                                               section=navigation.CONTACTS,
                                               description=("Callbacks, contacts to finish and "
                                                            "what needs you (7, 9.1).")))
        demo.register(20, load_customers)
        from contacts.needs_services import has_reported_need
        from core import extensions

        if has_reported_need not in extensions.adjustment_checks:
            extensions.adjustment_checks.append(has_reported_need)
