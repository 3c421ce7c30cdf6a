from datetime import timedelta

from django.apps import AppConfig


class AtRiskConfig(AppConfig):
    name = "atrisk"
    verbose_name = "At-risk reports and vital-interests disclosures"

    def ready(self) -> None:
        from django.conf import settings

        from accounts.rules import is_compliance, is_senior_staff
        from atrisk import extensions as atrisk_extensions
        from atrisk.demo import load_demo
        from core import demo, extensions, navigation
        from notifications import kinds

        kinds.register(kinds.Kind(
            name="at_risk_alert", label="At-risk report: acknowledge now", paragraph="11.2",
            escalate_after=timedelta(minutes=settings.ATRISK_ACKNOWLEDGE_MINUTES),
            escalate_to=atrisk_extensions.escalate_alert_to,
            completed_by="atrisk.acknowledge_report",
        ))
        kinds.register(kinds.Kind(
            name="disclosure_recorded", label="Vital-interests disclosure to register",
            paragraph="11.6", completed_by="atrisk.register_disclosure",
        ))
        if atrisk_extensions.contact_actions not in extensions.contact_actions:
            extensions.contact_actions.append(atrisk_extensions.contact_actions)
        if atrisk_extensions.contact_banners not in extensions.contact_banners:
            extensions.contact_banners.append(atrisk_extensions.contact_banners)
        navigation.register(navigation.NavItem(
            "At-risk reports", "atrisk:report_list", is_senior_staff, order=70,
            section=navigation.DECISIONS,
            description="Reports of customers at risk, and disclosures (11)."))
        navigation.register(navigation.NavItem(
            "Disclosure register", "atrisk:register", is_compliance, order=61,
            section=navigation.COMPLIANCE,
            description="Disclosures in the vital interests of a customer (11.6)."))
        demo.register(50, load_demo)
