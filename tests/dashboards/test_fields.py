"""The filter forms' select options, built by the ``select_options`` template tag."""

import pytest
from django import forms
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

RENDER = Template("{% load dashboard_fields %}{% select_options form.pick %}")


class PickForm(forms.Form):
    pick = forms.ChoiceField(choices=[("", "Any"), ("a", "Alpha"), ("b", "<b>Beta</b>")],
                             required=False)


def render(form) -> str:
    return RENDER.render(Context({"form": form}))


def test_the_submitted_value_is_selected_and_labels_are_escaped():
    html = render(PickForm({"pick": "b"}))
    assert html == ('<option value="">Any</option><option value="a">Alpha</option>'
                    '<option value="b" selected>&lt;b&gt;Beta&lt;/b&gt;</option>')


def test_nothing_chosen_selects_the_empty_option():
    assert render(PickForm()).startswith('<option value="" selected>Any</option>')


def test_options_read_once_by_the_filterset_win_over_the_choices():
    form = PickForm({"pick": "7"})
    form.fields["pick"].options = [(7, "Team of \"Seven\""), (8, "Eight")]
    assert render(form) == ('<option value="7" selected>Team of &quot;Seven&quot;</option>'
                            '<option value="8">Eight</option>')


@pytest.mark.django_db
def test_department_options_reuse_the_departments_the_scope_read(world):
    from accounts.models import ActingHeadOfDepartment
    from dashboards.filters import ReportFilter, _options
    from dashboards.reports import REPORTS, report_scope
    from tests.accounts.factories import DepartmentFactory

    second = DepartmentFactory(name="Adult care")  # read by the scope too: hod acts as Head
    ActingHeadOfDepartment.objects.create(
        department=second, acting_head=world.hod, appointed_by=world.hod,
        starts_on=timezone.localdate(), ends_on=timezone.localdate(), reason="Cover")
    report = REPORTS["behaviour"]
    for user, loaded in ((world.hod, True), (world.manager, False), (world.senior, False)):
        filterset = ReportFilter({}, report=report, scope=report_scope(user))
        field = filterset.form.fields["department"]
        with CaptureQueriesContext(connection) as queries:
            options = list(field.options)
        assert options == _options(field), user  # the same options as the query gives
        assert (len(queries) == 0) is loaded, user
    assert [label for _pk, label in options][:1] == ["All you may see"]
    hod_options = ReportFilter({}, report=report, scope=report_scope(world.hod)
                               ).form.fields["department"].options
    assert [label for _pk, label in hod_options] == ["All you may see", "Adult care", "Benefits"]
    assert second.pk in [pk for pk, _label in hod_options]
    # A Head of Department who works in another department: that one is read as well.
    world.hod.department = world.other_department
    world.hod.save()
    field = ReportFilter({}, report=report, scope=report_scope(world.hod)
                         ).form.fields["department"]
    assert [label for _pk, label in field.options] == [
        "All you may see", "Adult care", "Benefits", "Housing"]
