from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from .models import User

WRONG_LOGIN = _(
    "Het e-mailadres of het wachtwoord klopt niet. Let op hoofdletters in het wachtwoord."
)
INACTIVE_ACCOUNT = _("Dit account is uitgeschakeld. Neem contact op met je beheerder.")
EMAIL_TAKEN = _("Er is al een account met dit e-mailadres. Log in om de uitnodiging te gebruiken.")
WRONG_EMAIL = _("Deze uitnodiging is voor een ander e-mailadres. Gebruik dat adres.")
PASSWORDS_DIFFER = _("De twee wachtwoorden zijn niet gelijk.")


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
