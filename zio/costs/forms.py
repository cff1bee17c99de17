"""Forms for cost lines, scenarios and tariffs.

Numbers may be typed the Dutch way ("12,5", "1.234,56") or the English way ("12.5"); the
messages say in plain Dutch what is wrong. The rules that combine fields (a tariff or a rate,
hours for hourly units, the tariff's region) are the service's, run from `clean()`, so that
each message shows next to its field.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from zio.common.money import format_euro
from zio.organisations.models import Organisation

from . import services
from .constants import SCHOOL_WEEKS, Unit
from .models import AMOUNT_LIMIT, CostLine, FundingStream, Payer, Scenario, Tariff
from .selectors import tariffs_for_organisation

NUMBER_INVALID = _("Vul een getal in, bijvoorbeeld 12,5.")
WHOLE_NUMBER_INVALID = _("Vul een heel getal in, bijvoorbeeld 3.")
TWO_DECIMALS = _("Gebruik hoogstens 2 cijfers achter de komma.")
ONE_DECIMAL = _("Gebruik hoogstens 1 cijfer achter de komma.")
NUMBER_TOO_LARGE = _("Dit getal is te groot. Controleer wat je hebt ingevuld.")
HOURS_TOO_HIGH = _("Meer dan 60 uur per week kan niet. Vul het aantal uren per week in.")
WEEKS_TOO_HIGH = _("Een jaar heeft 52 weken: vul hoogstens 52 in.")
QUANTITY_TOO_HIGH = _("Vul hoogstens 366 in (jaren of dagen).")
YEAR_INVALID = _("Vul een jaartal in, bijvoorbeeld 2025.")
DATE_INVALID = _("Vul een datum in, bijvoorbeeld 1-1-2025.")
CHOICE_INVALID = _("Kies een van de mogelijkheden uit de lijst.")


def normalise_number(text: str) -> str:
    """'1.234,56' -> '1234.56', '12,5' -> '12.5', '€ 51' -> '51'.

    When both a dot and a comma occur, the last one is the decimal separator; several of the
    same are thousands separators; a single comma or dot is the decimal separator, except a dot
    followed by exactly three digits ('1.234'), which in Dutch groups thousands (no field here
    takes three decimals).
    """
    value = re.sub(r"[\s\u00a0€]", "", text)
    if re.fullmatch(r"[-+]?\d{1,3}\.\d{3}", value):
        value = value.replace(".", "")
    elif "," in value and "." in value:
        decimal_mark = "," if value.rfind(",") > value.rfind(".") else "."
        thousands = "." if decimal_mark == "," else ","
        value = value.replace(thousands, "").replace(decimal_mark, ".")
    elif value.count(",") == 1:
        value = value.replace(",", ".")
    elif value.count(",") > 1 or value.count(".") > 1:
        value = value.replace(",", "").replace(".", "")
    return value


class DutchDecimalField(forms.DecimalField):
    """A decimal field that reads Dutch notation and shows its value in the page's language."""

    def __init__(
        self,
        *,
        max_value: Decimal,
        decimal_places: int,
        too_high: Any,
        **kwargs: Any,
    ) -> None:
        messages = {
            "invalid": NUMBER_INVALID,
            "min_value": services.NEGATIVE,
            "max_value": too_high,
            "max_decimal_places": ONE_DECIMAL if decimal_places == 1 else TWO_DECIMALS,
            "max_digits": NUMBER_TOO_LARGE,
            "max_whole_digits": NUMBER_TOO_LARGE,
        }
        messages.update(kwargs.pop("error_messages", {}))
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        super().__init__(
            min_value=Decimal(0),
            max_value=max_value,
            max_digits=14,
            decimal_places=decimal_places,
            localize=True,
            error_messages=messages,
            **kwargs,
        )

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if isinstance(value, str):
            value = normalise_number(value)
        return super().to_python(value)


class TariffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Tariff) -> str:
        return f"{obj.name}: {format_euro(obj.amount)} {Unit(obj.unit).label} ({obj.year})"


class CostLineForm(forms.Form):
    description = forms.CharField(
        label=_("Omschrijving"),
        max_length=200,
        error_messages={
            "required": services.DESCRIPTION_REQUIRED,
            "max_length": _("Gebruik voor de omschrijving hoogstens 200 tekens."),
        },
        help_text=_("Bijvoorbeeld: jeugdhulp op school, of ondersteuningsbekostiging SBO."),
    )
    tariff = TariffChoiceField(
        label=_("Tarief uit de tarieventabel (optioneel)"),
        queryset=Tariff.objects.none(),
        required=False,
        empty_label=_("Geen tarief: ik vul zelf een bedrag in"),
        error_messages={"invalid_choice": services.TARIFF_NOT_IN_REGION},
        help_text=_(
            "Een tarief vult het bedrag, de eenheid en de geldstroom in. "
            "Je kunt het bedrag daarna aanpassen."
        ),
    )
    funding_stream = forms.ModelChoiceField(
        label=_("Geldstroom"),
        queryset=FundingStream.objects.order_by("position", "name"),
        required=False,
        empty_label=_("Leeg: de geldstroom van het tarief"),
        error_messages={"invalid_choice": CHOICE_INVALID},
    )
    payer = forms.ModelChoiceField(
        label=_("Betaler (optioneel)"),
        queryset=Payer.objects.order_by("position", "name"),
        required=False,
        empty_label=_("Leeg: de gebruikelijke betaler van de geldstroom"),
        error_messages={"invalid_choice": CHOICE_INVALID},
    )
    unit = forms.ChoiceField(
        label=_("Eenheid"),
        choices=[("", _("Leeg: de eenheid van het tarief")), *Unit.choices],
        required=False,
        error_messages={"invalid_choice": CHOICE_INVALID},
    )
    rate = DutchDecimalField(
        label=_("Bedrag per eenheid in euro"),
        required=False,
        max_value=AMOUNT_LIMIT,
        decimal_places=2,
        too_high=services.AMOUNT_TOO_HIGH,
        help_text=_("Bijvoorbeeld 51,00. Leeg: het bedrag van het tarief."),
    )
    quantity = DutchDecimalField(
        label=_("Aantal jaren of dagen"),
        required=False,
        initial=Decimal("1"),
        max_value=Decimal("366"),
        decimal_places=2,
        too_high=QUANTITY_TOO_HIGH,
        help_text=_("Bij een bedrag per jaar meestal 1; bij een bedrag per dag het aantal dagen."),
    )
    hours_per_week = DutchDecimalField(
        label=_("Uren per week"),
        required=False,
        max_value=Decimal("60"),
        decimal_places=2,
        too_high=HOURS_TOO_HIGH,
        help_text=_("Alleen bij een bedrag per uur."),
    )
    weeks = DutchDecimalField(
        label=_("Aantal weken"),
        required=False,
        initial=SCHOOL_WEEKS,
        max_value=Decimal("52"),
        decimal_places=1,
        too_high=WEEKS_TOO_HIGH,
        help_text=_("Alleen bij een bedrag per uur; een schooljaar heeft ongeveer 40 weken."),
    )
    pupils = forms.IntegerField(
        label=_("Aantal leerlingen (optioneel)"),
        required=False,
        min_value=0,
        max_value=100000,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "invalid": WHOLE_NUMBER_INVALID,
            "min_value": services.NEGATIVE,
            "max_value": services.PUPILS_ABSURD,
        },
        help_text=_(
            "Alleen bij een bedrag per leerling. Leeg: de hele groep van de persona. "
            "Vul een kleiner aantal in als dit maar voor een deel van de groep geldt."
        ),
    )

    def __init__(
        self,
        *args: Any,
        scenario: Scenario,
        line: CostLine | None = None,
        **kwargs: Any,
    ) -> None:
        if line is not None and "initial" not in kwargs:
            kwargs["initial"] = _initial_for(line)
        super().__init__(*args, **kwargs)
        self.scenario = scenario
        self.line = line
        organisation: Organisation = scenario.persona.organisation
        self.fields["tariff"].queryset = tariffs_for_organisation(organisation)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if "tariff" in self.errors:
            # Without a valid tariff the other checks would only guess at what was meant.
            return cleaned
        fields: dict[str, Any] = {
            name: cleaned.get(name) for name in services.COST_LINE_FIELDS if name in self.fields
        }
        fields["description"] = fields.get("description") or ""
        try:
            self.built = services.cost_line_build(scenario=self.scenario, line=self.line, **fields)
        except ValidationError as exc:
            # Only where the field itself had no problem yet: one message per field.
            for field, messages in exc.message_dict.items():
                target = field if field in self.fields else None
                if target is not None and target in self.errors:
                    continue
                for message in messages:
                    self.add_error(target, message)
        return cleaned

    def service_fields(self) -> dict[str, Any]:
        """The cleaned values as keyword arguments for cost_line_create/update."""
        return {name: self.cleaned_data.get(name) for name in services.COST_LINE_FIELDS}


def _initial_for(line: CostLine) -> dict[str, Any]:
    # A payer that is the stream's usual one shows as "usual", so that it follows the stream
    # when someone changes the stream later.
    payer = None if line.payer_id == line.funding_stream.default_payer_id else line.payer_id
    return {
        "description": line.description,
        "tariff": line.tariff_id,
        "funding_stream": line.funding_stream_id,
        "payer": payer,
        "unit": line.unit,
        "rate": line.rate,
        "quantity": line.quantity,
        "hours_per_week": line.hours_per_week,
        "weeks": line.weeks,
        "pupils": line.pupils,
    }


class ScenarioForm(forms.Form):
    name = forms.CharField(
        label=_("Naam (optioneel)"),
        max_length=120,
        required=False,
        error_messages={"max_length": _("Gebruik voor de naam hoogstens 120 tekens.")},
        help_text=_("Bijvoorbeeld: jeugdhulp op school, of een kleine groep."),
    )


class TariffForm(forms.Form):
    name = forms.CharField(
        label=_("Omschrijving"),
        max_length=150,
        error_messages={
            "required": _("Vul een omschrijving in."),
            "max_length": _("Gebruik voor de omschrijving hoogstens 150 tekens."),
        },
    )
    year = forms.IntegerField(
        label=_("Jaar"),
        min_value=2000,
        max_value=2100,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": YEAR_INVALID,
            "invalid": YEAR_INVALID,
            "min_value": services.YEAR_INVALID,
            "max_value": services.YEAR_INVALID,
        },
    )
    funding_stream = forms.ModelChoiceField(
        label=_("Geldstroom"),
        queryset=FundingStream.objects.order_by("position", "name"),
        error_messages={"required": _("Kies een geldstroom."), "invalid_choice": CHOICE_INVALID},
    )
    unit = forms.ChoiceField(
        label=_("Eenheid"),
        choices=[("", _("Kies een eenheid")), *Unit.choices],
        error_messages={"required": _("Kies een eenheid."), "invalid_choice": CHOICE_INVALID},
    )
    amount = DutchDecimalField(
        label=_("Bedrag in euro"),
        max_value=AMOUNT_LIMIT,
        decimal_places=2,
        too_high=services.AMOUNT_TOO_HIGH,
        error_messages={"required": _("Vul een bedrag in, bijvoorbeeld 51,00.")},
    )
    source = forms.CharField(
        label=_("Bron"),
        max_length=300,
        error_messages={
            "required": _("Vul de bron in: waar komt dit bedrag vandaan?"),
            "max_length": _("Gebruik voor de bron hoogstens 300 tekens."),
        },
        help_text=_("Bijvoorbeeld: tarievenlijst jeugdhulp van de gemeente, 2025."),
    )
    reference_date = forms.DateField(
        label=_("Peildatum"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        error_messages={"required": DATE_INVALID, "invalid": DATE_INVALID},
        help_text=_("De datum waarop het bedrag gold of werd vastgesteld."),
    )
    is_indicative = forms.BooleanField(
        label=_("Indicatief (nog niet door de regio vastgesteld)"), required=False
    )


class SeedTariffsForm(forms.Form):
    year = forms.IntegerField(
        label=_("Jaar"),
        min_value=2000,
        max_value=2100,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": YEAR_INVALID,
            "invalid": YEAR_INVALID,
            "min_value": services.YEAR_INVALID,
            "max_value": services.YEAR_INVALID,
        },
        help_text=_("Het jaar van de tarieventabel die je vult."),
    )


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: per field where it names one."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, messages in exc.message_dict.items():
        target = field if field in form.fields else None
        for message in messages:
            form.add_error(target, message)
