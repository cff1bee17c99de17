from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .constants import ActionStatus


class ActionForm(forms.Form):
    """Follow-up of one action: who owns it, when it should be done, how far it is."""

    status = forms.ChoiceField(
        label=_("Status"),
        choices=ActionStatus.choices,
        error_messages={
            "required": _("Kies een status."),
            "invalid_choice": _("Kies een status uit de lijst."),
        },
    )
    owner = forms.CharField(
        label=_("Eigenaar"),
        max_length=200,
        error_messages={
            "required": _("Vul in wie de actie oppakt."),
            "max_length": _("Gebruik voor de eigenaar hooguit 200 tekens."),
        },
    )
    due_date = forms.DateField(
        label=_("Klaar op"),
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        error_messages={"invalid": _("Vul een datum in, bijvoorbeeld 30-06-2027.")},
    )
