"""Sign-in and two-factor forms in the GOV.UK Design System."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fixed, Fluid, Layout, Submit
from django import forms
from django.contrib.auth.forms import AuthenticationForm


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "Enter a correct username and password",
        "inactive": "This account is not active",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Username"
        self.fields["password"].label = "Password"
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.text("username", field_width=Fluid.ONE_HALF),
            Field.text("password", field_width=Fluid.ONE_HALF),
            Submit("submit", "Sign in"),
        )


class TwoFactorForm(forms.Form):
    """The six-digit code from the authenticator app."""

    token = forms.CharField(
        label="Security code",
        help_text="The 6-digit code your authenticator app shows now.",
        max_length=6,
        min_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                      "spellcheck": "false"}),
        error_messages={
            "required": "Enter the security code",
            "min_length": "Enter the 6-digit security code",
            "max_length": "Enter the 6-digit security code",
        },
    )

    def __init__(self, *args, device=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.text("token", field_width=Fixed.TEN),
            Submit("submit", "Continue"),
        )

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].strip()
        if not token.isdigit():
            raise forms.ValidationError("Enter the security code using numbers only")
        # verify_token refuses a code already used (last_t) and throttles repeated failures.
        if self.device is None or not self.device.verify_token(token):
            raise forms.ValidationError(
                "That security code is not right, or has already been used. "
                "Wait for the next code and try again."
            )
        return token


class EnrolmentCodeForm(forms.Form):
    """The one-time enrolment code an administrator gave (issue 19, finding 1)."""

    code = forms.CharField(
        label="Enrolment code", max_length=20,
        help_text="An administrator gives you this code, for example K7QF-2MZP-XR4D. It works "
                  "once, for 24 hours.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false",
                                      "autocapitalize": "characters"}),
        error_messages={"required": "Enter the enrolment code an administrator gave you"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(Field.text("code", field_width=Fixed.TWENTY),
                                    Submit("submit", "Continue"))
