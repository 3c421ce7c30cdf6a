from django.apps import AppConfig


class RestrictionsConfig(AppConfig):
    name = "restrictions"
    verbose_name = "Restricted contact and reasonable adjustments"

    def ready(self) -> None:
        from accounts.constants import Role
        from accounts.rules import (
            has_role,
            is_customer_facing,
            is_head_of_department,
            is_manager,
        )
        from core import demo, extensions, navigation
        from notifications import kinds
        from restrictions import providers
        from restrictions.demo import load_restrictions
        from restrictions.selectors import channel_warning
        from restrictions.services import decider_escalate_to
        from restrictions.services_followup import on_contact_ended

        for kind in (
            kinds.Kind(name="restriction_decision_needed", label="Restriction request to decide",
                       paragraph="7.2", escalate_after=kinds.WorkingDays(5),
                       completed_by="restrictions.decide_restriction",
                       escalate_to=decider_escalate_to),
            kinds.Kind(name="restriction_decided", label="Restriction request decided",
                       paragraph="7.2"),
            kinds.Kind(name="restriction_review_due", label="Restriction review due",
                       paragraph="12", escalate_after=kinds.WorkingDays(5),
                       completed_by="restrictions.review_restriction",
                       escalate_to=decider_escalate_to),
            kinds.Kind(name="restriction_review_upcoming", label="Restriction review coming up",
                       paragraph="12"),
            kinds.Kind(name="restriction_inform_check",
                       label="Check again whether to tell the customer", paragraph="12",
                       completed_by="restrictions.record_letter"),
        ):
            kinds.register(kind)

        for point, provider in (
            (extensions.customer_banners, providers.customer_banners),
            (extensions.contact_banners, providers.contact_banners),
            (extensions.lookup_badge_rows, providers.lookup_badge_rows),
            (extensions.adjustment_checks, providers.adjustment_check),
            (extensions.customer_actions, providers.customer_actions),
            (extensions.contact_ended, on_contact_ended),
            (extensions.contact_logged, on_contact_ended),
            (extensions.channel_warnings, channel_warning),
            (extensions.customer_page_facts, providers.customer_facts),
            (extensions.contact_screen_facts, providers.customer_facts),
        ):
            if provider not in point:
                point.append(provider)

        # Retention never anonymises a customer with a restriction or adjustment in force.
        from privacy.retention import HOLDS

        if providers.retention_hold not in HOLDS:
            HOLDS.append(providers.retention_hold)

        navigation.register(navigation.NavItem(
            "Requests to decide", "restrictions:to_decide", is_head_of_department, 60,
            section=navigation.DECISIONS,
            description="Restriction and adjustment requests for you to decide (7.2, 12)."))
        navigation.register(navigation.NavItem(
            "Restriction requests", "restrictions:mine", is_manager, 61,
            section=navigation.DECISIONS,
            description="The requests you have made and what was decided."))
        navigation.register(navigation.NavItem(
            "Reviews due", "restrictions:reviews_due",
            has_role(Role.HEAD_OF_DEPARTMENT, Role.LINE_MANAGER, Role.SENIOR_STAFF), 62,
            section=navigation.DECISIONS,
            description="Restrictions and adjustments due for review (12)."))
        navigation.register(navigation.NavItem(
            "Written contact triage", "restrictions:triage", is_customer_facing, 63,
            section=navigation.CONTACTS,
            description="Written contact from customers with a restriction in force."))
        demo.register(30, load_restrictions)
