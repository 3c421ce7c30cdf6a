from datetime import timedelta

from django.apps import AppConfig


class WelfareConfig(AppConfig):
    name = "welfare"
    verbose_name = "Staff welfare"

    def ready(self) -> None:
        from accounts.rules import is_staff_member
        from core import extensions, navigation
        from notifications import kinds
        from welfare.constants import KIND_DISTRESS_FLAG, KIND_WELFARE_FOLLOW_UP_DUE
        from welfare.extensions import distress_action
        from welfare.services import welfare_on_contact_ended

        # Both escalate to the recipient's next available manager up the chain (14.1).
        kinds.register(kinds.Kind(
            name=KIND_WELFARE_FOLLOW_UP_DUE, label="Welfare follow-up due",
            paragraph="8.2, 14.2", escalate_after=kinds.WorkingDays(1),
            completed_by="welfare.complete_follow_up",
        ))
        kinds.register(kinds.Kind(
            name=KIND_DISTRESS_FLAG, label="A member of staff feels distressed",
            paragraph="2.2", escalate_after=timedelta(hours=1),
            completed_by="welfare.acknowledge_distress_flag",
        ))
        if distress_action not in extensions.contact_actions:
            extensions.contact_actions.append(distress_action)
        if welfare_on_contact_ended not in extensions.contact_ended:
            extensions.contact_ended.append(welfare_on_contact_ended)
        navigation.register(navigation.NavItem(
            "Staff welfare", "welfare:home", is_staff_member, order=20,
            section=navigation.TEAM,
            description="Welfare follow-ups and distress flags (2.2, 8.2, 14)."))
