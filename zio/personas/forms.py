from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from zio.organisations.constants import SchoolType

from .avatars import AVATARS
from .constants import MAX_ITEMS_PER_SECTION, PersonaStatus
from .models import Persona, Signal, SignalDomain
from .services import ItemInput

NUMBER_MESSAGES = {
    "invalid": _("Vul een heel getal in, zonder letters."),
    "required": _("Vul dit in."),
}


def signal_filter_field() -> forms.ModelChoiceField[Signal]:
    """The "Signaal" filter of lists across persona's (the region view, the library); the form
    sets the queryset to the signals that can be chosen there."""
    return forms.ModelChoiceField(
        label=_("Signaal"),
        required=False,
        queryset=Signal.objects.none(),
        empty_label=_("Alle signalen"),
        error_messages={"invalid_choice": _("Kies een signaal uit de lijst.")},
    )


class AvatarChoiceWidget(forms.RadioSelect):
    template_name = "personas/widgets/avatar_choice.html"
    option_template_name = "personas/widgets/avatar_option.html"


class PersonaMetaForm(forms.Form):
    """Name, group and illustration of a persona; also used to create one."""

    name = forms.CharField(
        label=_("Naam van de persona"),
        max_length=60,
        help_text=_(
            "Een verzonnen voornaam, bijvoorbeeld Noor of Esra. Nooit de naam van een echt kind."
        ),
        error_messages={"required": _("Geef de persona een naam.")},
    )
    group_size = forms.IntegerField(
        label=_("Aantal leerlingen in de groep"),
        min_value=1,
        max_value=100000,
        help_text=_("Hoeveel leerlingen deze persona vertegenwoordigt."),
        error_messages={
            **NUMBER_MESSAGES,
            "min_value": _("Een groep heeft minstens 1 leerling."),
            "max_value": _("Dat zijn wel heel veel leerlingen: controleer het aantal."),
        },
    )
    age_min = forms.IntegerField(
        label=_("Leeftijd vanaf"),
        min_value=3,
        max_value=21,
        error_messages={
            **NUMBER_MESSAGES,
            "min_value": _("Vul een leeftijd tussen 3 en 21 jaar in."),
            "max_value": _("Vul een leeftijd tussen 3 en 21 jaar in."),
        },
    )
    age_max = forms.IntegerField(
        label=_("Leeftijd tot en met"),
        min_value=3,
        max_value=21,
        error_messages={
            **NUMBER_MESSAGES,
            "min_value": _("Vul een leeftijd tussen 3 en 21 jaar in."),
            "max_value": _("Vul een leeftijd tussen 3 en 21 jaar in."),
        },
    )
    school_types = forms.MultipleChoiceField(
        label=_("Schoolsoort(en)"),
        choices=SchoolType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    avatar = forms.ChoiceField(
        label=_("Illustratie"),
        choices=[(key, label) for key, label in AVATARS.items()],
        widget=AvatarChoiceWidget,
        error_messages={"invalid_choice": _("Kies een van de illustraties.")},
    )
    status = forms.ChoiceField(label=_("Status"), choices=PersonaStatus.choices)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        age_min, age_max = cleaned.get("age_min"), cleaned.get("age_max")
        if age_min is not None and age_max is not None and age_min > age_max:
            self.add_error("age_max", _("'Tot en met' is jonger dan 'vanaf'. Draai ze om."))
        return cleaned

    @classmethod
    def initial_for(cls, persona: Persona) -> dict[str, Any]:
        return {
            "name": persona.name,
            "group_size": persona.group_size,
            "age_min": persona.age_min,
            "age_max": persona.age_max,
            "school_types": list(persona.school_types),
            "avatar": persona.avatar,
            "status": persona.status,
            "version": persona.version_of("meta"),
        }


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Reactie"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Schrijf eerst een reactie.")},
    )


class SignalForm(forms.Form):
    domain = forms.ModelChoiceField(
        label=_("Domein"),
        queryset=SignalDomain.objects.all(),
        empty_label=None,
        error_messages={"invalid_choice": _("Kies een domein uit de lijst.")},
    )
    name = forms.CharField(
        label=_("Nieuw signaal of kenmerk"),
        max_length=120,
        error_messages={"required": _("Schrijf het signaal op.")},
    )


@dataclass
class SectionEdit:
    """The state of a section editor as posted: its lines, the version it started from, and
    the button that was pressed. Buttons change the list without saving, so that adding,
    removing and reordering also work without JavaScript."""

    items: list[ItemInput]
    version: int
    action: str
    # Which control gets focus after an action: kind ("item", "up", "down", "add",
    # "new-signal") and the line's index, so keyboard users keep their place.
    focus_kind: str = ""
    focus_index: int = 0
    error: str = ""

    def _focus(self, kind: str, index: int = 0) -> None:
        self.focus_kind, self.focus_index = kind, index

    @classmethod
    def from_post(cls, data: QueryDict) -> SectionEdit:
        texts = data.getlist("item")
        signals = data.getlist("item_signal")
        items = []
        for index, text in enumerate(texts):
            raw = signals[index] if index < len(signals) else ""
            items.append(ItemInput(text=text[:500], signal_id=int(raw) if raw.isdigit() else None))
        version = data.get("version", "")
        return cls(
            items=items[: MAX_ITEMS_PER_SECTION + 1],
            version=int(version) if version.isdigit() else -1,
            action=data.get("action", "save"),
        )

    def apply(self, signal_name: str = "", signal_id: int | None = None) -> bool:
        """Carry out a list action. Returns True when the list changed (nothing saved yet),
        False when the action is 'save'."""
        action, _, raw_index = self.action.partition(":")
        index = int(raw_index) if raw_index.isdigit() else -1
        items = self.items
        if action == "add":
            items.append(ItemInput(text=""))
            self._focus("item", len(items) - 1)
        elif action == "add-signal" and signal_id is not None:
            if all(item.signal_id != signal_id for item in items):
                items.append(ItemInput(text=signal_name, signal_id=signal_id))
            self._focus("new-signal")
        elif action == "remove" and 0 <= index < len(items):
            del items[index]
            if items:
                self._focus("item", min(index, len(items) - 1))
            else:
                self._focus("add")
        elif action == "up" and 0 < index < len(items):
            items[index - 1], items[index] = items[index], items[index - 1]
            # Follow the moved line; the first line has no "up" button any more.
            self._focus("up" if index - 1 > 0 else "down", index - 1)
        elif action == "down" and 0 <= index < len(items) - 1:
            items[index + 1], items[index] = items[index], items[index + 1]
            self._focus("down" if index + 1 < len(items) - 1 else "up", index + 1)
        elif action == "save":
            return False
        elif action == "add-signal":
            self._focus("new-signal")
        return True
