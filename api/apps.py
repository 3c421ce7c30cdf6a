from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "Integration API"

    def ready(self) -> None:
        from accounts.rules import is_administrator
        from api import hooks, schema  # noqa: F401 - registers the schema extension
        from core.navigation import ADMINISTRATION, NavItem, register

        hooks.register()
        register(NavItem("System clients", "integrations:client_list", is_administrator, 91,
                         section=ADMINISTRATION,
                         description="Systems that use the integration API."))
