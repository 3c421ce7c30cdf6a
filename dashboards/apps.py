from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "dashboards"
    verbose_name = "Work queues, dashboards and reports"

    def ready(self) -> None:
        from core import navigation
        from dashboards import bench
        from dashboards import rules as dashboard_rules

        bench.register()

        navigation.register(navigation.NavItem(
            "Team dashboard", "dashboards:team", dashboard_rules.may_see_team_dashboard, 70,
            section=navigation.TEAM,
            description="Your team's contacts, logs and welfare (8.2, 14.2)."))
        navigation.register(navigation.NavItem(
            "Department dashboard", "dashboards:department",
            dashboard_rules.may_see_department_dashboard, 71,
            section=navigation.TEAM,
            description="Your department's requests and records, by team (12)."))
        navigation.register(navigation.NavItem(
            "Reports", "dashboards:reports", dashboard_rules.may_see_reports, 72,
            section=navigation.TEAM, description="Figures over time, as charts, tables and CSV."))
