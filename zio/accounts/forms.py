from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import services
from .models import User

WRONG_LOGIN = _(
    "Het e-mailadres of het wachtwoord klopt niet. Let op hoofdletters in het wachtwoord."
)
INACTIVE_ACCOUNT = _("Dit account is uitgeschakeld. Neem contact op met je beheerder.")
EMAIL_TAKEN = _("Er is al een account met dit e-mailadres. Log in om de uitnodiging te gebruiken.")
WRONG_EMAIL = _("Deze uitnodiging is voor een ander e-mailadres. Gebruik dat adres.")
PASSWORDS_DIFFER = _("De twee wachtwoorden zijn niet gelijk.")
CODE_EMPTY = _("Vul de code uit je app in.")
CODE_NOT_SIX_DIGITS = _("Een code uit je app heeft 6 cijfers, bijvoorbeeld 123456.")
RECOVERY_CODE_EMPTY = _("Vul een van je herstelcodes in.")
RECOVERY_CODE_SHAPE = _(
    "Een herstelcode heeft 10 letters en cijfers, bijvoorbeeld abcde-23456. "
    "Of vul de 6 cijfers uit je app in."
)


class LoginForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mailadres"),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Wachtwoord"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {"invalid_login": WRONG_LOGIN, "inactive": INACTIVE_ACCOUNT}


class RegistrationForm(forms.Form):
    """Create an account while accepting an invitation."""

    full_name = forms.CharField(
        label=_("Je naam"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("E-mailadres"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password1 = forms.CharField(
        label=_("Wachtwoord"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Minstens 10 tekens, niet alleen cijfers en geen veelgebruikt wachtwoord."),
    )
    password2 = forms.CharField(
        label=_("Wachtwoord nog een keer"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, required_email: str = "", **kwargs: Any) -> None:
        if required_email:
            kwargs.setdefault("initial", {"email": required_email})
        super().__init__(*args, **kwargs)
        self.required_email = required_email

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if self.required_email and email != self.required_email:
            raise forms.ValidationError(WRONG_EMAIL)
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(EMAIL_TAKEN)
        return email

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", PASSWORDS_DIFFER)
        elif password1:
            candidate = User(email=cleaned.get("email", ""), full_name=cleaned.get("full_name", ""))
            try:
                password_validation.validate_password(password1, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


def _app_code_field() -> forms.CharField:
    return forms.CharField(
        label=_("Code uit je app"),
        max_length=20,
        error_messages={"required": CODE_EMPTY},
        help_text=_("De 6 cijfers die je authenticator-app nu laat zien."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


def _six_digits(value: str) -> str:
    code = value.replace(" ", "").replace("-", "")
    if not (code.isdigit() and len(code) == 6):
        raise forms.ValidationError(CODE_NOT_SIX_DIGITS)
    return code


class AppCodeForm(forms.Form):
    """A current code from the authenticator app, checked against one device: the app being
    set up, or the app in use before a change (new recovery codes)."""

    code = _app_code_field()

    def __init__(self, *args: Any, device: TOTPDevice, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_code(self) -> str:
        code = _six_digits(self.cleaned_data["code"])
        services.two_factor_check_app_code(device=self.device, code=code)
        return code


class LoginCodeForm(forms.Form):
    """The second log-in step: a code from the app, or (with `recovery`) a recovery code.
    Either kind is accepted in either field; `recovery` only sets the label and keyboard."""

    code = _app_code_field()

    def __init__(self, *args: Any, user: User, recovery: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.recovery = recovery
        self.device: Device | None = None
        if recovery:
            field = self.fields["code"]
            field.label = _("Herstelcode")
            field.help_text = _("Een van de codes die je hebt bewaard, bijvoorbeeld abcde-23456.")
            field.error_messages["required"] = RECOVERY_CODE_EMPTY
            field.widget.attrs.update({"autocomplete": "off", "inputmode": "text"})

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        digits = code.replace(" ", "")
        if not (digits.isdigit() and len(digits) == 6):
            if not self.recovery and digits.isdigit():
                raise forms.ValidationError(CODE_NOT_SIX_DIGITS)
            normalised = services.normalise_recovery_code(code)
            if len(normalised) != services.RECOVERY_CODE_LENGTH or not normalised.isalnum():
                raise forms.ValidationError(RECOVERY_CODE_SHAPE)
        self.device = services.two_factor_check_login_code(user=self.user, code=code)
        return code


class OrganisationTwoFactorForm(forms.Form):
    """Whether the active organisation requires two-factor log-in (a hidden field per button)."""

    require_two_factor = forms.BooleanField(required=False, widget=forms.HiddenInput)
