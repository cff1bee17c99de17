from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from zio.common.privacy import suppress_count
from zio.organisations.models import Organisation
from zio.screening.models import Screening

from .models import Group

K_CHOICES = [("auto", _("Laat de tool kiezen (aanbevolen)"))] + [
    (str(k), str(k)) for k in range(1, 11)
]


class ScreeningChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Screening) -> str:
        # Another school's exact number of pupils is not ours to show when it is small.
        count = suppress_count(obj.pupil_count, settings.SMALL_CELL_THRESHOLD)
        return f"{obj.organisation.name}, {obj.school_year} ({count})"


class GroupingStartForm(forms.Form):
    screenings = ScreeningChoiceField(
        label=_("Screening(s)"),
        queryset=Screening.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Kies minstens één screening."),
            "invalid_choice": _("Kies screenings uit de lijst."),
            "invalid_pk_value": _("Kies screenings uit de lijst."),
        },
        help_text=_(
            "Je eigen screening, en screenings die scholen uit je regio hebben gedeeld. Kies er "
            "meer om samen te groeperen: kleine scholen krijgen dan duidelijkere groepen. "
            "Screenings van andere scholen kies je per twee of meer."
        ),
    )
    k = forms.ChoiceField(
        label=_("Aantal groepen"),
        choices=K_CHOICES,
        initial="auto",
        help_text=_(
            "De tool kiest het aantal dat het best bij de gegevens past (BIC). Kies zelf een "
            "aantal als je dat wilt vergelijken."
        ),
    )

    def __init__(
        self, *args: Any, screenings: list[Screening], organisation: Organisation, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["screenings"]
        field.queryset = Screening.objects.filter(  # type: ignore[attr-defined]
            pk__in=[s.pk for s in screenings]
        ).select_related("organisation")
        # Ticked at first: the organisation's own screening, shared or not.
        own = [s.pk for s in screenings if s.organisation_id == organisation.pk][:1]
        if not self.is_bound and own:
            self.initial["screenings"] = own

    def chosen_k(self) -> int | None:
        value = self.cleaned_data["k"]
        return None if value == "auto" else int(value)


class RenameForm(forms.Form):
    title = forms.CharField(
        label=_("Naam van de groep"),
        max_length=120,
        error_messages={"required": _("Geef de groep een naam.")},
    )


class MergeForm(forms.Form):
    keep = forms.ModelChoiceField(
        label=_("Houd deze groep"),
        queryset=Group.objects.none(),
        empty_label=_("Kies een groep"),
        error_messages={
            "required": _("Kies een groep."),
            "invalid_choice": _("Kies een groep uit de lijst."),
        },
    )
    absorb = forms.ModelChoiceField(
        label=_("en voeg deze groep erbij"),
        queryset=Group.objects.none(),
        empty_label=_("Kies een groep"),
        error_messages={
            "required": _("Kies een groep."),
            "invalid_choice": _("Kies een groep uit de lijst."),
        },
    )

    def __init__(self, *args: Any, groups: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("keep", "absorb"):
            self.fields[name].queryset = groups  # type: ignore[attr-defined]
            self.fields[name].label_from_instance = lambda g: f"{g.number}. {g.title}"  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("keep") and cleaned.get("keep") == cleaned.get("absorb"):
            self.add_error("absorb", _("Kies twee verschillende groepen om samen te voegen."))
        return cleaned


class RerunForm(forms.Form):
    k = forms.ChoiceField(label=_("Aantal groepen"), choices=K_CHOICES, initial="auto")

    def chosen_k(self) -> int | None:
        value = self.cleaned_data["k"]
        return None if value == "auto" else int(value)
