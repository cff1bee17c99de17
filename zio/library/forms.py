from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from zio.organisations.constants import SchoolType
from zio.personas.forms import signal_filter_field
from zio.personas.models import Signal

from .models import MAX_REACTION, MAX_REASON, MAX_SUMMARY, MAX_TITLE
from .selectors import Order

COSTS_WITH = "met"
COSTS_WITHOUT = "zonder"


class LibraryFilterForm(forms.Form):
    """Search and filters of the library; empty means everything."""

    q = forms.CharField(
        label=_("Zoeken"),
        required=False,
        max_length=200,
        help_text=_("Bijvoorbeeld: overprikkeling, jeugdhulp op school, thuiszitten."),
        error_messages={"max_length": _("Zoek met hooguit 200 tekens.")},
    )
    school_type = forms.ChoiceField(label=_("Schoolsoort"), required=False)
    signal = signal_filter_field()
    costs = forms.ChoiceField(
        label=_("Kosten"),
        required=False,
        choices=[
            ("", _("Met en zonder kosten")),
            (COSTS_WITH, _("Alleen met kosten")),
            (COSTS_WITHOUT, _("Alleen zonder kosten")),
        ],
        error_messages={"invalid_choice": _("Kies een mogelijkheid uit de lijst.")},
    )
    order = forms.ChoiceField(
        label=_("Volgorde"),
        required=False,
        choices=[
            (Order.RELEVANCE, _("Best passend")),
            (Order.NEWEST, _("Nieuwste eerst")),
            (Order.MOST_ADOPTED, _("Vaakst overgenomen")),
        ],
        error_messages={"invalid_choice": _("Kies een volgorde uit de lijst.")},
    )

    def __init__(self, *args: Any, signals: QuerySet[Signal], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        school_type = self.fields["school_type"]
        assert isinstance(school_type, forms.ChoiceField)
        school_type.choices = [("", _("Alle schoolsoorten")), *SchoolType.choices]
        school_type.error_messages["invalid_choice"] = _("Kies een schoolsoort uit de lijst.")
        signal = self.fields["signal"]
        assert isinstance(signal, forms.ModelChoiceField)
        signal.queryset = signals


class PublishForm(forms.Form):
    title = forms.CharField(
        label=_("Titel in de bibliotheek"),
        max_length=MAX_TITLE,
        help_text=_(
            "Waar gaat deze persona over, in een paar woorden? Bijvoorbeeld: Noor, overprikkeld "
            "in een drukke klas."
        ),
        error_messages={
            "required": _("Geef de publicatie een titel."),
            "max_length": _("De titel mag hooguit %(limit_value)d tekens lang zijn."),
        },
    )
    summary = forms.CharField(
        label=_("Korte samenvatting (optioneel)"),
        required=False,
        max_length=MAX_SUMMARY,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Wat wil je dat andere organisaties eerst weten?"),
        error_messages={
            "max_length": _("De samenvatting mag hooguit %(limit_value)d tekens lang zijn.")
        },
    )
    show_organisation = forms.BooleanField(
        label=_("Toon de naam van mijn organisatie bij de persona"),
        required=False,
        help_text=_("Uit: niemand ziet welke organisatie de persona publiceerde."),
    )
    with_costs = forms.BooleanField(
        label=_("Publiceer de kosten mee"),
        required=False,
        help_text=_(
            "De kostenregels per scenario (bedragen per eenheid, betaler en geldstroom) en de "
            "twee onderdelen over kosten. Uit: alleen de tekst van de persona."
        ),
    )
    checked = forms.BooleanField(
        label=_(
            "Ik heb de persona nagelezen: er staat niets in waaraan een leerling, ouder of "
            "medewerker te herkennen is."
        ),
        error_messages={"required": _("Lees de persona eerst na en vink dit dan aan.")},
    )


class ReactionForm(forms.Form):
    text = forms.CharField(
        label=_("Wat werkte bij jullie?"),
        max_length=MAX_REACTION,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Iedereen met een account leest mee. Schrijf over wat jullie deden, niet over "
            "leerlingen of collega's."
        ),
        error_messages={
            "required": _("Schrijf eerst je reactie."),
            "max_length": _("Een reactie mag hooguit %(limit_value)d tekens lang zijn."),
        },
    )
    show_organisation = forms.BooleanField(
        label=_("Toon de naam van mijn organisatie bij mijn reactie"),
        required=False,
        initial=True,
    )


class HideForm(forms.Form):
    reason = forms.CharField(
        label=_("Reden"),
        max_length=MAX_REASON,
        error_messages={
            "required": _("Schrijf kort waarom je dit verbergt."),
            "max_length": _("De reden mag hooguit %(limit_value)d tekens lang zijn."),
        },
    )
