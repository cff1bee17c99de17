from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .labels import OBJECT_TYPES
from .models import Action
from .selectors import Filters


class DateInput(forms.DateInput):
    input_type = "date"


class LogFilterForm(forms.Form):
    """Filters of the log page; empty means everything."""

    start = forms.DateField(
        label=_("Vanaf"),
        required=False,
        widget=DateInput(format="%Y-%m-%d"),
        error_messages={"invalid": _("Vul een datum in, bijvoorbeeld 2026-09-01.")},
    )
    end = forms.DateField(
        label=_("Tot en met"),
        required=False,
        widget=DateInput(format="%Y-%m-%d"),
        error_messages={"invalid": _("Vul een datum in, bijvoorbeeld 2026-09-30.")},
    )
    action = forms.ChoiceField(
        label=_("Wat"),
        required=False,
        error_messages={"invalid_choice": _("Kies een handeling uit de lijst.")},
    )
    object_type = forms.ChoiceField(
        label=_("Soort gegevens"),
        required=False,
        error_messages={"invalid_choice": _("Kies een soort gegevens uit de lijst.")},
    )
    actor = forms.TypedChoiceField(
        label=_("Wie"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": _("Kies iemand uit de lijst.")},
    )

    def __init__(self, *args: Any, actors: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("Alles")), *Action.choices]  # type: ignore[attr-defined]
        self.fields["object_type"].choices = [  # type: ignore[attr-defined]
            ("", _("Alle soorten")),
            *sorted(OBJECT_TYPES.items(), key=lambda item: str(item[1])),
        ]
        self.fields["actor"].choices = [("", _("Iedereen")), *actors]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("Deze datum ligt vóór de datum bij Vanaf."))
        return data

    def filters(self) -> Filters:
        if not self.is_valid():
            return Filters()
        data = self.cleaned_data
        return Filters(
            start=data["start"],
            end=data["end"],
            action=data["action"],
            object_type=data["object_type"],
            actor_id=data["actor"],
        )
