from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "Audit trail"

    def ready(self) -> None:
        from accounts.rules import is_compliance
        from audit.panels import history_actions
        from core import extensions
        from core.navigation import COMPLIANCE, NavItem, register

        register(NavItem("Audit trail", "audit:search", is_compliance, order=90,
                         section=COMPLIANCE, description="Who did what, and when."))
        extensions.customer_actions.append(history_actions)
