from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Naam"),
        max_length=100,
        help_text=_("Waarvoor je de sleutel gebruikt, bijvoorbeeld „Rapportage in Excel”."),
        error_messages={
            "required": _("Geef de sleutel een naam, zodat je later weet waarvoor hij is."),
            "max_length": _("Hooguit %(limit_value)s tekens."),
        },
    )
    expires_on = forms.DateField(
        label=_("Geldig tot en met (optioneel)"),
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        help_text=_("Leeg: geldig tot je hem intrekt. Kies liever een datum."),
        error_messages={"invalid": _("Vul een datum in, bijvoorbeeld 30-06-2027.")},
    )
