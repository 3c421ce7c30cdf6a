"""Your work, the team and department dashboards, and the reports (8.2, 12, 14)."""

from datetime import date, timedelta

from crispy_forms_gds.helper import FormHelper
from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from audit.services import audit_record
from core.plumbing import require_perm as _require
from dashboards import reports, selectors
from dashboards.filters import ReportFilter


class RangeForm(forms.Form):
    """The period a dashboard covers: the last 30 days unless another range is chosen."""

    date_from = forms.DateField(label="From", required=False,
                                input_formats=["%Y-%m-%d", "%d/%m/%Y"],
                                help_text="For example, 2026-01-31")
    date_to = forms.DateField(label="To", required=False,
                              input_formats=["%Y-%m-%d", "%d/%m/%Y"],
                              help_text="For example, 2026-12-31")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()

    def clean(self):
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error("date_to", "The end date must be the same as or after the start date")
        return cleaned

    def period(self) -> tuple[date, date]:
        today = timezone.localdate()
        data = self.cleaned_data if self.is_valid() else {}
        date_to = data.get("date_to") or today
        date_from = data.get("date_from") or date_to - timedelta(days=29)
        return date_from, date_to


def home(request: HttpRequest) -> HttpResponse:
    """Your work: each queue the user's roles give them, one click from its page."""
    context = selectors.your_work(request.user)
    context["roles"] = sorted(request.user.role_names)
    return render(request, "core/home.html", context)


@require_GET
def team(request: HttpRequest) -> HttpResponse:
    """A line manager's own team (8.2, 14.2)."""
    _require(request, "dashboards.view_team_dashboard")
    form = RangeForm(request.GET or None)
    date_from, date_to = form.period()
    return render(request, "dashboards/team.html", {
        "form": form, "date_from": date_from, "date_to": date_to,
        "figures": selectors.team_dashboard(request.user, date_from, date_to),
    })


@require_GET
def department(request: HttpRequest) -> HttpResponse:
    """A Head of Department's requests and records, by team (12)."""
    _require(request, "dashboards.view_department_dashboard")
    return render(request, "dashboards/department.html",
                  selectors.department_dashboard(request.user))


@require_GET
def report_index(request: HttpRequest) -> HttpResponse:
    _require(request, "dashboards.view_reports")
    return render(request, "dashboards/report_index.html", {"reports": reports.REPORTS.values()})


def _report(request: HttpRequest, slug: str):
    _require(request, "dashboards.view_reports")
    report = reports.REPORTS.get(slug)
    if report is None:
        raise Http404
    scope = reports.report_scope(request.user)
    if scope.nothing:
        raise PermissionDenied
    filterset = ReportFilter(request.GET, report=report, scope=scope)
    if not filterset.is_valid():
        return report, filterset, None
    values = filterset.values()
    # By team, the page's team select has read the managers' names: the rows reuse them.
    names = filterset.team_names() if values["by"] == reports.BY_TEAM else None
    figures = reports.compute(report, scope=scope, team_names=names, **values)
    return report, filterset, figures


@require_GET
def report_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """One report: filters, an SVG chart and the same figures as a table."""
    report, filterset, figures = _report(request, slug)
    return render(request, "dashboards/report_detail.html", {
        "report": report, "filterset": filterset, "form": filterset.form, "figures": figures,
        "chart": reports.chart(figures) if figures else None,
        "table_rows": reports.table_rows(figures) if figures else "",
        "query": request.GET.urlencode(),
    }, status=200 if figures else 400)


@require_GET
def report_csv(request: HttpRequest, slug: str) -> HttpResponse:
    """The same figures as the report page, as CSV (CSV-injection safe)."""
    report, _filterset, figures = _report(request, slug)
    if figures is None:
        return HttpResponse("The filters are not valid.", status=400,
                            content_type="text/plain; charset=utf-8")
    audit_record(actor=request.user, action="report.exported",
                 changes={"report": report.slug, "filters": request.GET.dict()})
    response = HttpResponse(reports.as_csv(figures), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{report.slug}-{figures.date_from}-{figures.date_to}.csv"')
    return response
