"""The audit search filters: only declared values reach the query (issue 8, proof 4)."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fluid, Layout, Submit
from django import forms
from django.contrib.contenttypes.models import ContentType

from audit.models import AuditEvent
from core.fields import DateInput


def _action_choices() -> list[tuple[str, str]]:
    actions = AuditEvent.objects.order_by("action").values_list("action", flat=True).distinct()
    return [("", "Any"), *((a, a) for a in actions)]


def _record_type_choices() -> list[tuple[str, str]]:
    ids = AuditEvent.objects.exclude(target_type=None).values_list("target_type", flat=True)
    types = ContentType.objects.filter(pk__in=ids.distinct()).order_by("app_label", "model")
    return [("", "Any"), *((f"{t.app_label}.{t.model}", f"{t.app_label}.{t.model}")
                           for t in types)]


class AuditSearchForm(forms.Form):
    actor = forms.CharField(label="Staff username", required=False, max_length=150)
    action = forms.ChoiceField(label="Action", required=False, choices=(),
                               error_messages={"invalid_choice": "Select an action from the list"})
    date_from = forms.DateField(label="From", required=False, widget=DateInput(),
                                error_messages={"invalid": "Enter a real date for 'from'"})
    date_to = forms.DateField(label="To", required=False, widget=DateInput(),
                              error_messages={"invalid": "Enter a real date for 'to'"})
    record_type = forms.ChoiceField(
        label="Record type", required=False, choices=(),
        error_messages={"invalid_choice": "Select a record type from the list"})
    record_id = forms.RegexField(label="Record id", required=False, regex=r"^\d{1,18}$",
                                 error_messages={"invalid": "Enter the record's number"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = _action_choices()
        self.fields["record_type"].choices = _record_type_choices()
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.layout = Layout(
            Field.text("actor", field_width=Fluid.ONE_HALF),
            Field.select("action"),
            Field("date_from"),
            Field("date_to"),
            Field.select("record_type"),
            Field.text("record_id", field_width=Fluid.ONE_QUARTER),
            Submit("search", "Search"),
        )

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "'To' must be the same as or after 'from'")
        return data
