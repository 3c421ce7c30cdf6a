"""GOV.UK forms for contacts. Forms validate input; the services hold the rules."""

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.helper import FormHelper as GdsFormHelper
from crispy_forms_gds.layout import HTML, Field, Fluid, Hidden, Layout, Size, Submit
from django import forms
from django.utils import timezone

from accounts.models import User
from contacts.constants import (
    BEHAVIOUR_DEFINITIONS,
    Behaviour,
    Channel,
    Direction,
    Ending,
    EscalationOutcome,
    FlagStatus,
    NameGivenForm,
)
from core.idempotency import OneTimeKeyFormMixin

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class FormHelper(GdsFormHelper):
    """The server validates and shows the GOV.UK error summary: no browser bubbles."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.attrs = {"novalidate": ""}


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=DATETIME_FORMAT, **kwargs)


def _datetime_field(label: str, help_text: str = "", required: bool = True):
    return forms.DateTimeField(
        label=label, help_text=help_text, required=required, widget=DateTimeLocalInput(),
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"],
        error_messages={"required": f"Enter the {label.lower()}",
                        "invalid": f"Enter the {label.lower()} as a date and time"},
    )


class LookupForm(forms.Form):
    q = forms.CharField(
        label="Search for a customer", max_length=200, required=False,
        help_text="Name, phone number (any format, or its last digits), email address or "
                  "case reference such as RFA0123456",
    )


class ContactLogForm(OneTimeKeyFormMixin, forms.Form):
    """Log a contact (for a known customer, or an unknown caller with ``caller_name``)."""

    caller_name = forms.CharField(label="Name the caller gave", max_length=200,
                                  required=False)
    channel = forms.ChoiceField(label="How did they contact us?", choices=Channel.choices,
                                widget=forms.RadioSelect,
                                error_messages={"required": "Select how they contacted us"})
    direction = forms.ChoiceField(label="Direction", choices=Direction.choices,
                                  widget=forms.RadioSelect,
                                  initial=Direction.INBOUND,
                                  error_messages={"required": "Select the direction"})
    case_reference = forms.CharField(label="Case reference (optional)", max_length=20,
                                     required=False, help_text="For example, RFA0123456")
    started_at = _datetime_field("Start time")
    summary = forms.CharField(label="Summary (optional)", max_length=5000, required=False,
                              widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, known_customer: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("started_at",
                                timezone.localtime().replace(second=0, microsecond=0))
        fields = []
        if not known_customer:
            self.fields["caller_name"].required = True
            self.fields["caller_name"].error_messages["required"] = (
                "Enter the name the caller gave")
            fields.append(Field.text("caller_name", field_width=Fluid.TWO_THIRDS))
        else:
            del self.fields["caller_name"]
        self.helper = FormHelper()
        self.helper.layout = Layout(
            *fields,
            Field.radios("channel", legend_size=Size.SMALL),
            Field.radios("direction", legend_size=Size.SMALL, inline=True),
            Field.text("case_reference", field_width=10),
            Field.text("started_at", field_width=Fluid.ONE_THIRD),
            Field.textarea("summary"),
            Hidden("warning_acknowledged", ""),  # 12.3: see acknowledge_warning
            Submit("submit", "Start contact"),
        )

    def acknowledge_warning(self, channel: str) -> None:
        """Show the form again ready to go ahead on ``channel`` after its warning (12.3)."""
        self.helper.layout[-2] = Hidden("warning_acknowledged", channel)
        self.helper.layout[-1] = Submit("submit", "Start contact anyway")


class ClassifyForm(forms.Form):
    """5.2-5.5 with their definitions on the form; the 6.1 prompt where it applies."""

    behaviour = forms.ChoiceField(
        label="How would you describe the behaviour?", widget=forms.RadioSelect,
        # 7.2: persistent is not offered: the line manager deems it, on a suggestion.
        choices=[Choice(b.value, b.label, hint=BEHAVIOUR_DEFINITIONS[b]) for b in Behaviour
                 if b != Behaviour.PERSISTENT],
        help_text="5.2: difficult is not the same as unacceptable. Offensive and abusive "
                  "behaviour are unacceptable. If the customer keeps raising issues we have "
                  "already addressed (5.3), suggest persistent contact to your line manager "
                  "from the contact page instead (7.2).",
        error_messages={"required": "Select how you would describe the behaviour"},
    )
    equality_considered = forms.BooleanField(
        label="I have considered whether the customer's needs may explain this behaviour",
        required=False,
    )
    equality_note = forms.CharField(label="Note (optional)", max_length=2000, required=False,
                                    widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, equality_prompt: bool, submit_id: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        parts = [Field.radios("behaviour", legend_size=Size.MEDIUM)]
        if equality_prompt:
            self.fields["equality_considered"].required = True
            self.fields["equality_considered"].error_messages["required"] = (
                "Confirm you have considered whether the customer's needs may explain this "
                "behaviour (6.1)")
            parts += [
                HTML('<div class="govuk-inset-text" id="equality-prompt"><p class="govuk-body">'
                     "6.1: we know this customer has a disability or may find it hard to use "
                     "our services. Consider whether this may cause the behaviour: for "
                     "example, someone with difficulty hearing may speak with a raised voice. "
                     "Their behaviour can still be difficult or unacceptable; the Reasonable "
                     "Adjustments Policy says how to respond.</p></div>"),
                Field.checkbox("equality_considered"),
                Field.textarea("equality_note"),
            ]
        else:
            del self.fields["equality_considered"]
            del self.fields["equality_note"]
        self.helper.layout = Layout(*parts, Submit("submit", "Save classification",
                                                   **({"css_id": submit_id} if submit_id else {})))


class StepForm(forms.Form):
    """A guided step: a note, and for an ending step whether the explanation was given."""

    explained = forms.TypedChoiceField(
        label="Could you explain why you were ending the contact?", widget=forms.RadioSelect,
        choices=[("yes", "Yes, I explained"),
                 ("no", "No, the caller talked over me or I could not (7.4.5, 7.5.1)")],
        coerce=lambda v: v == "yes", required=False,
    )
    customer_unhappy = forms.TypedChoiceField(
        label="Did the customer indicate they are not happy with this approach?",
        widget=forms.RadioSelect,
        choices=[("yes", "Yes: I will explain how to make a service complaint (7.4.3)"),
                 ("no", "No")],
        coerce=lambda v: v == "yes", empty_value=None, required=False,
    )
    note = forms.CharField(label="Note (optional)", max_length=2000, required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, ending: bool, button: str, warning: bool = False,
                 submit_id: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        parts = []
        if warning:
            parts.append(Field.radios("customer_unhappy", legend_size=Size.SMALL))
        else:
            del self.fields["customer_unhappy"]
        if ending:
            self.fields["explained"].required = True
            self.fields["explained"].error_messages["required"] = (
                "Say whether you could explain why you ended the contact")
            parts.append(Field.radios("explained", legend_size=Size.SMALL))
        else:
            del self.fields["explained"]
        self.helper.layout = Layout(*parts, Field.textarea("note"), Submit(
            "submit", button, **({"css_id": submit_id} if submit_id else {})))


class EndContactForm(forms.Form):
    """How the contact ended (8.1): a termination needs the steps; a dropped line does not."""

    ending = forms.ChoiceField(
        label="How did the contact end?", widget=forms.RadioSelect,
        choices=[
            Choice(Ending.COMPLETED.value, Ending.COMPLETED.label),
            Choice(Ending.LINE_DROPPED.value, Ending.LINE_DROPPED.label,
                   hint="Not a termination: no terminated-call log is needed."),
            Choice(Ending.CALLER_ENDED.value, Ending.CALLER_ENDED.label,
                   hint="Not a termination: no terminated-call log is needed."),
            Choice(Ending.TERMINATED.value, Ending.TERMINATED.label,
                   hint="Only for offensive or insulting behaviour after the steps of 7.4, "
                        "or abusive or threatening behaviour (7.5.1)."),
        ],
        initial=Ending.COMPLETED,
        error_messages={"required": "Select how the contact ended"},
    )
    outcome = forms.CharField(label="Outcome (optional)", max_length=40, required=False)
    summary = forms.CharField(label="Summary", max_length=5000, required=False,
                              widget=forms.Textarea(attrs={"rows": 4}))
    explained = forms.TypedChoiceField(
        label="If you ended it because of behaviour: could you explain why?",
        widget=forms.RadioSelect,
        choices=[("yes", "Yes, I explained"),
                 ("no", "No, the caller talked over me or I could not (7.4.5, 7.5.1)")],
        coerce=lambda v: v == "yes", empty_value=None, required=False,
    )
    note = forms.CharField(label="If you ended it because of behaviour: what happened",
                           max_length=2000, required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.radios("ending", legend_size=Size.SMALL),
            Field.text("outcome", field_width=Fluid.TWO_THIRDS), Field.textarea("summary"),
            Field.radios("explained", legend_size=Size.SMALL), Field.textarea("note"),
            Submit("submit", "End contact"),
        )


def _staff_choices() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label="Who will call back?",
        queryset=User.objects.filter(is_active=True).order_by("first_name", "last_name"),
        error_messages={"required": "Choose who will call back"},
    )


class CallbackForm(OneTimeKeyFormMixin, forms.Form):
    """7.3: a convenient time within the next 24 hours, by you or a colleague."""

    assigned_to = _staff_choices()
    due_at = _datetime_field("Callback time", "Within the next 24 hours (7.3)")
    late_reason = forms.CharField(
        label="Reason, if later than 24 hours", max_length=2000, required=False,
        widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.select("assigned_to"), Field.text("due_at", field_width=Fluid.ONE_THIRD),
            Field.textarea("late_reason"), Submit("submit", "Arrange callback"))


class NoteForm(forms.Form):
    note = forms.CharField(label="Note (optional)", max_length=2000, required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, button: str = "Save", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(Field.textarea("note"), Submit("submit", button))


class WrittenReviewForm(OneTimeKeyFormMixin, forms.Form):
    comments = forms.CharField(label="Which comments are unacceptable?", max_length=5000,
                               widget=forms.Textarea(attrs={"rows": 4}),
                               error_messages={"required": "Say which comments are "
                                                           "unacceptable"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(Field.textarea("comments"),
                                    Submit("submit", "Send to my line manager"))


class AgreedReplyForm(forms.Form):
    agreed_reply = forms.CharField(label="The reply you agreed", max_length=5000,
                                   widget=forms.Textarea(attrs={"rows": 5}),
                                   error_messages={"required": "Enter the reply you agreed"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(Field.textarea("agreed_reply"),
                                    Submit("submit", "Record agreed reply"))


class PersistentSuggestionForm(OneTimeKeyFormMixin, forms.Form):
    """7.2: suggest to the line manager that the customer's contact is persistent."""

    reason = forms.CharField(
        label="Why do you think the contact is persistent?", max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What issues the customer keeps raising, and what we have already told them.",
        error_messages={"required": "Say why you think the customer keeps raising issues we "
                                    "have already addressed"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(Field.textarea("reason"),
                                    Submit("submit", "Send to my line manager"))


class FlagDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="What did you decide?", widget=forms.RadioSelect,
        choices=[(FlagStatus.DISMISSED, "Dismiss: the contact is not persistent"),
                 (FlagStatus.PERSISTENT, "The contact is persistent, but do not restrict it "
                                         "(say why: for example, the contact details are "
                                         "not known)"),
                 (FlagStatus.RESTRICTION, "The contact is persistent: consider restricting "
                                          "it (start a restriction request, 7.2)")],
        error_messages={"required": "Select what you decided"})
    reason = forms.CharField(label="Reason", max_length=2000, required=False,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             help_text="Required unless you start a restriction request")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(Field.radios("decision", legend_size=Size.SMALL),
                                    Field.textarea("reason"), Submit("submit", "Save decision"))


class StaffChoiceField(forms.ModelChoiceField):
    """A colleague from the staff list, shown with their job title (9.1)."""

    def label_from_instance(self, obj) -> str:
        name = obj.get_full_name() or obj.username
        return f"{name}, {obj.job_title}" if obj.job_title else name


def _colleague(label: str, **kwargs) -> StaffChoiceField:
    return StaffChoiceField(
        label=label, required=False,
        queryset=User.objects.filter(is_active=True).order_by("first_name", "last_name",
                                                              "username"), **kwargs)


class EscalationForm(OneTimeKeyFormMixin, forms.Form):
    """9.1: the request, the discussion with a more senior colleague, and the outcome."""

    outcome = forms.ChoiceField(label="What happened?", widget=forms.RadioSelect,
                                choices=EscalationOutcome.choices,
                                error_messages={"required": "Select what happened"})
    why_escalation_helps = forms.CharField(
        label="Why would escalating help resolve the matter more effectively?",
        max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Customers are not escalated simply because they ask (9.1).")
    discussed_with = _colleague(
        "More senior colleague you discussed it with",
        help_text="Needed before passing the caller on; for a callback, if you could reach "
                  "someone.")
    senior_advice = forms.CharField(label="The advice they gave you", max_length=2000,
                                    required=False, widget=forms.Textarea(attrs={"rows": 3}))
    escalated_to = _colleague("Colleague you passed the caller to")
    escalated_to_position = forms.CharField(
        label="Position told to the caller (only if no job title is shown for them)",
        max_length=200, required=False)
    reason = forms.CharField(label="Reason for not escalating", max_length=2000,
                             required=False, widget=forms.Textarea(attrs={"rows": 3}))
    callback_by = _colleague("Senior colleague who will call back")
    callback_at = _datetime_field("Callback time", required=False)
    time_agreed_with_them = forms.BooleanField(label="I agreed this time with them",
                                               required=False)
    calendar_checked = forms.BooleanField(
        label="I could not reach them, so I checked their calendar", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.radios("outcome", legend_size=Size.SMALL),
            HTML('<h2 class="govuk-heading-s">If escalated or a senior will call back</h2>'),
            Field.textarea("why_escalation_helps"), Field.select("discussed_with"),
            Field.textarea("senior_advice"),
            HTML('<h2 class="govuk-heading-s">If you passed the caller on</h2>'
                 '<p class="govuk-body">Tell the caller the name and position of the person '
                 "you are transferring them to (9.1).</p>"),
            Field.select("escalated_to"),
            Field.text("escalated_to_position", field_width=Fluid.TWO_THIRDS),
            HTML('<h2 class="govuk-heading-s">If not escalated</h2>'),
            Field.textarea("reason"),
            HTML('<h2 class="govuk-heading-s">If a senior colleague will call back</h2>'),
            Field.select("callback_by"), Field.text("callback_at", field_width=Fluid.ONE_THIRD),
            Field.checkbox("time_agreed_with_them"), Field.checkbox("calendar_checked"),
            Submit("submit", "Record escalation request"),
        )


class NameGivenRecordForm(OneTimeKeyFormMixin, forms.Form):
    """10.1: the name and department you gave on this call or visit."""

    given = forms.ChoiceField(
        label="What did you tell the customer?", widget=forms.RadioSelect,
        choices=[
            Choice(NameGivenForm.FULL.value, NameGivenForm.FULL.label,
                   hint="What you should normally give (10.1)."),
            Choice(NameGivenForm.FIRST_NAME.value, NameGivenForm.FIRST_NAME.label,
                   hint="Only if you were concerned, for good reason, about giving your full "
                        "name. Say why below: your line manager is told."),
        ],
        error_messages={"required": "Select the name you gave. You must always give at least "
                                    "your first name and department (10.1)"},
    )
    department = forms.CharField(label="Department you gave", max_length=200,
                                 error_messages={"required": "Enter the department you gave"})
    reason = forms.CharField(label="If you gave only your first name: why?", max_length=2000,
                             required=False, widget=forms.Textarea(attrs={"rows": 3}))
    customer_unhappy = forms.BooleanField(
        label="The customer was not happy that I did not give my full name", required=False)
    manager_name_given = forms.BooleanField(label="I gave them my line manager's full name",
                                            required=False)
    complaint_procedure_given = forms.BooleanField(
        label="I gave them details of the service complaint procedure", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.radios("given", legend_size=Size.SMALL),
            Field.text("department", field_width=Fluid.TWO_THIRDS),
            Field.textarea("reason"), Field.checkbox("customer_unhappy"),
            Field.checkbox("manager_name_given"), Field.checkbox("complaint_procedure_given"),
            Submit("submit", "Record the name I gave"))


class ContactCorrectForm(forms.Form):
    """Issue 17: correct a mistake in the summary, case reference or channel, with a reason."""

    summary = forms.CharField(label="Summary", max_length=5000, required=False,
                              widget=forms.Textarea(attrs={"rows": 4}))
    case_reference = forms.CharField(label="Case reference (optional)", max_length=20,
                                     required=False, help_text="For example, RFA0123456")
    channel = forms.ChoiceField(label="How did they contact us?", choices=Channel.choices,
                                widget=forms.RadioSelect,
                                error_messages={"required": "Select how they contacted us"})
    reason = forms.CharField(label="Why are you correcting it?", max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": "Say why you are correcting the "
                                                         "contact"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.textarea("summary"), Field.text("case_reference", field_width=10),
            Field.radios("channel", legend_size=Size.SMALL), Field.textarea("reason"),
            Submit("submit", "Save the correction"))

    @staticmethod
    def initial_for(contact) -> dict:
        return {"summary": contact.summary, "channel": contact.channel,
                "case_reference": str(contact.case_reference or "")}


class ReclassifyDownForm(forms.Form):
    """Issue 17: a manager moves the classification down, with a reason."""

    behaviour = forms.ChoiceField(
        label="What should the classification be?", widget=forms.RadioSelect,
        error_messages={"required": "Select the class the behaviour should have had"})
    reason = forms.CharField(label="Why should it be lower?", max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": "Say why the classification should "
                                                         "be lower"})

    def __init__(self, *args, current: str, **kwargs):
        super().__init__(*args, **kwargs)
        rank = list(Behaviour.values).index(current) if current else 0
        self.fields["behaviour"].choices = [
            Choice(b.value, b.label, hint=BEHAVIOUR_DEFINITIONS[b])
            for b in list(Behaviour)[:rank] if b != Behaviour.PERSISTENT]
        self.helper = FormHelper()
        self.helper.layout = Layout(Field.radios("behaviour", legend_size=Size.MEDIUM),
                                    Field.textarea("reason"),
                                    Submit("submit", "Move the classification down"))
