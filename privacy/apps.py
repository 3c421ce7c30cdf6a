from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = "Data protection: subject access, retention, challenges"

    def ready(self) -> None:
        from accounts.rules import is_compliance
        from core import extensions
        from core.navigation import COMPLIANCE, NavItem, register
        from privacy import registry
        from privacy.panels import (
            challenge_actions,
            challenge_facts,
            challenge_panels,
            legal_hold_actions,
            legal_hold_panels,
        )

        registry.autodiscover()
        register(NavItem("Subject access", "privacy:sar_list", is_compliance, order=80,
                         section=COMPLIANCE,
                         description="Subject access requests and their bundles."))
        extensions.customer_banners.append(challenge_panels)
        extensions.customer_page_facts.append(challenge_facts)
        extensions.customer_actions.append(challenge_actions)
        extensions.customer_actions.append(legal_hold_actions)
        extensions.customer_banners.append(legal_hold_panels)
