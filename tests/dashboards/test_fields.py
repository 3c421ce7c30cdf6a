"""The filter forms' select options, built by the ``select_options`` template tag."""

from django import forms
from django.template import Context, Template

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
