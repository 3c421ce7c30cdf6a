"""Scenarios for ``manage.py bench``: every dashboard and report at full size.

The bench manager is a line manager of ``bench-staff-*``; ``bench-hod`` heads the bench
department, so its reports aggregate over every seeded contact (5 million by default).
"""

from django.urls import reverse

from core.bench.measure import Scenario
from core.bench.scenarios import Fixtures, head_of_department
from dashboards.reports import REPORTS


def dashboard_scenarios(f: Fixtures) -> list[Scenario]:
    if f.manager is None:
        return []
    hod = head_of_department()
    result = [
        Scenario("home: Your work (manager)", f.manager, reverse("core:home")),
        Scenario("home: Your work (caseworker)", f.caseworker, reverse("core:home")),
        Scenario("home: Your work (Head of Department)", hod, reverse("core:home")),
        Scenario("dashboard: team (last 30 days)", f.manager, reverse("dashboards:team")),
        Scenario("dashboard: department", hod, reverse("dashboards:department")),
    ]
    for slug in REPORTS:
        report = reverse("dashboards:report", args=[slug])
        result += [
            Scenario(f"report: {slug} by month (manager's team)", f.manager, report),
            Scenario(f"report: {slug} by month (department)", hod, report),
            Scenario(f"report: {slug} by team (department)", hod, f"{report}?by=team"),
            Scenario(f"report: {slug} CSV (department)", hod,
                     reverse("dashboards:report_csv", args=[slug])),
        ]
    return result


def register() -> None:
    from core.bench import scenarios

    if dashboard_scenarios not in scenarios.BUILDERS:
        scenarios.BUILDERS.append(dashboard_scenarios)
