"""Writes for scenarios, cost lines and tariffs.

Each function is one business action: it validates, writes in one transaction and raises
ValidationError with a Dutch message (the constants below) that views show as they are.
The rules for a cost line live in `cost_line_build`, which the form calls too, so that a rule
is written once and its message shows next to the field it is about.
"""

from __future__ import annotations

import string
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, TypedDict, Unpack

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from zio.organisations.models import Region
from zio.personas.models import Persona

from . import calculations
from .constants import HOURLY_UNITS, PER_PUPIL_UNITS, ScenarioKind, Unit
from .models import AMOUNT_LIMIT, CostLine, FundingStream, Payer, Scenario, Tariff
from .reference_data import indicative_tariff_rows

if TYPE_CHECKING:
    from zio.accounts.models import User

DESCRIPTION_REQUIRED = _("Vul een omschrijving in.")
STREAM_REQUIRED = _(
    "Kies een geldstroom, of kies een tarief: dan geldt de geldstroom van het tarief."
)
UNIT_REQUIRED = _("Kies een eenheid, of kies een tarief: dan geldt de eenheid van het tarief.")
UNIT_INVALID = _("Kies een eenheid uit de lijst.")
UNIT_NOT_TARIFF_UNIT = _(
    "De eenheid van dit tarief is: %(unit)s. Kies die eenheid, of laat de eenheid leeg."
)
TARIFF_NOT_IN_REGION = _("Dit tarief hoort niet bij een regio van jouw organisatie.")
RATE_REQUIRED = _("Kies een tarief of vul een bedrag per eenheid in.")
NEGATIVE = _("Een negatief getal kan hier niet: vul 0 of meer in.")
AMOUNT_TOO_HIGH = _("Bedragen boven € 10.000.000 kunnen niet. Controleer het bedrag.")
LINE_TOTAL_TOO_HIGH = _(
    "Deze regel komt boven € 10.000.000 uit. Controleer het bedrag en de aantallen."
)
HOURS_REQUIRED = _("Vul het aantal uren per week in: bij een bedrag per uur is dat nodig.")
WEEKS_REQUIRED = _("Vul het aantal weken in, bijvoorbeeld 40 voor een schooljaar.")
PUPILS_ZERO = _("Vul minstens 1 leerling in, of laat het veld leeg voor de hele groep.")
PUPILS_ABSURD = _(
    "Dat zijn meer dan tien keer zoveel leerlingen als de groep van deze persona. Klopt het aantal?"
)
ONLY_DESIRED_CAN_BE_DELETED = _("Alleen een gewenste situatie kun je verwijderen.")
LAST_DESIRED = _("Er blijft altijd minstens één gewenste situatie. Voeg eerst een andere toe.")
TOO_MANY_DESIRED = _("Je kunt hoogstens 26 gewenste situaties maken (A tot en met Z).")
MOVE_DIRECTION_INVALID = _("Kies omhoog of omlaag.")
TARIFF_NAME_TAKEN = _("Deze regio heeft in %(year)s al een tarief met deze omschrijving.")
YEAR_INVALID = _("Vul een jaartal tussen 2000 en 2100 in.")
UNKNOWN_STREAM = _("De geldstroom %(code)s bestaat niet meer. Vraag de platformbeheerder.")
SNAPSHOT_INVALID = _("Deze versie van de kosten is onvolledig en kan niet worden teruggezet.")

# More pupils than this many times the group is a typing error, not a plan.
PUPILS_FACTOR_LIMIT = 10
LETTERS = string.ascii_uppercase
# Scenario positions: current first, desired A, B, ... in letter order, the alternative last.
IF_UNMET_POSITION = 100

# Shared by the cost pages and the API.
TARIFFS_READ_ONLY = _(
    "Tarieven van een regio wijzigt een beheerder van het samenwerkingsverband, de gemeente of "
    "een adviesorganisatie in die regio. Jij kunt ze bekijken."
)

# What a change of the costs says in the persona's history.
LINE_ADDED = _("Kostenregel „%(line)s” toegevoegd aan %(scenario)s")
LINE_CHANGED = _("Kostenregel „%(line)s” gewijzigd")
LINE_DELETED = _("Kostenregel „%(line)s” verwijderd")
SCENARIO_ADDED = _("Kosten: %(scenario)s toegevoegd")
SCENARIO_RENAMED = _("Kosten: naam van %(scenario)s gewijzigd")
SCENARIO_DELETED = _("Kosten: %(scenario)s verwijderd")


class CostLineFields(TypedDict, total=False):
    description: str
    funding_stream: FundingStream | None
    payer: Payer | None
    unit: str | None
    tariff: Tariff | None
    rate: Decimal | None
    quantity: Decimal | None
    hours_per_week: Decimal | None
    weeks: Decimal | None
    pupils: int | None


class TariffFields(TypedDict, total=False):
    year: int
    name: str
    funding_stream: FundingStream
    unit: str
    amount: Decimal
    source: str
    reference_date: date
    is_indicative: bool


COST_LINE_FIELDS = frozenset(CostLineFields.__annotations__)
TARIFF_FIELDS = frozenset(TariffFields.__annotations__)


def _reject_unknown(fields: dict[str, Any], allowed: frozenset[str]) -> None:
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"Unknown fields: {', '.join(sorted(unknown))}")


def _group_size(persona: Persona) -> int:
    # The calculation needs a group of at least one; a persona of 0 pupils counts as 1.
    return max(persona.group_size or 0, 1)


# --- scenarios ----------------------------------------------------------------------------


def _position(kind: str, label: str = "") -> int:
    if kind == ScenarioKind.CURRENT:
        return 0
    if kind == ScenarioKind.IF_UNMET:
        return IF_UNMET_POSITION
    return LETTERS.index(label) + 1 if label in LETTERS else IF_UNMET_POSITION - 1


def _lock_persona(persona: Persona) -> None:
    """Serialise scenario changes of one persona, so that two first visits at once cannot both
    create the default scenarios."""
    Persona.objects.select_for_update().filter(pk=persona.pk).first()


def _create_scenario(persona: Persona, kind: ScenarioKind, label: str = "", name: str = "") -> None:
    scenario = Scenario(
        persona=persona, kind=kind, label=label, name=name, position=_position(kind, label)
    )
    scenario.full_clean()
    scenario.save()


def scenarios_ensure_defaults(*, persona: Persona) -> None:
    """Make sure the persona has a current situation, at least one desired situation (A) and
    the alternative if nothing changes. Safe to call again: it only adds what is missing."""
    with transaction.atomic():
        _lock_persona(persona)
        kinds = set(persona.scenarios.values_list("kind", flat=True))
        if ScenarioKind.CURRENT not in kinds:
            _create_scenario(persona, ScenarioKind.CURRENT)
        if ScenarioKind.DESIRED not in kinds:
            _create_scenario(persona, ScenarioKind.DESIRED, label="A")
        if ScenarioKind.IF_UNMET not in kinds:
            _create_scenario(persona, ScenarioKind.IF_UNMET)


def _next_letter(used: set[str]) -> str | None:
    letters_used = [label for label in used if label in LETTERS]
    if not letters_used:
        return LETTERS[0]
    after_highest = LETTERS[LETTERS.index(max(letters_used)) + 1 :]
    if after_highest:
        return after_highest[0]
    # Z is taken: fall back to a letter that was freed by deleting a scenario.
    return next((letter for letter in LETTERS if letter not in used), None)


def scenario_add_desired(*, persona: Persona, name: str = "") -> Scenario:
    """Add a desired situation with the next free letter (B, C, ...)."""
    with transaction.atomic():
        _lock_persona(persona)
        used = set(
            persona.scenarios.filter(kind=ScenarioKind.DESIRED).values_list("label", flat=True)
        )
        label = _next_letter(used)
        if label is None:
            raise ValidationError(TOO_MANY_DESIRED)
        scenario = Scenario(
            persona=persona,
            kind=ScenarioKind.DESIRED,
            label=label,
            name=name.strip(),
            position=_position(ScenarioKind.DESIRED, label),
        )
        scenario.full_clean()
        scenario.save()
    return scenario


def scenario_update(*, scenario: Scenario, name: str) -> Scenario:
    scenario.name = name.strip()
    scenario.full_clean()
    scenario.save(update_fields=["name"])
    return scenario


def scenario_delete(*, scenario: Scenario) -> None:
    """Delete a desired situation with its lines; the last desired one stays."""
    if scenario.kind != ScenarioKind.DESIRED:
        raise ValidationError(ONLY_DESIRED_CAN_BE_DELETED)
    with transaction.atomic():
        _lock_persona(scenario.persona)
        desired = Scenario.objects.filter(persona_id=scenario.persona_id, kind=ScenarioKind.DESIRED)
        if desired.count() <= 1:
            raise ValidationError(LAST_DESIRED)
        scenario.delete()


# --- cost lines ---------------------------------------------------------------------------


def _copy_of(line: CostLine | None, scenario: Scenario) -> CostLine:
    """A detached copy to apply changes to, so that a rejected change leaves `line` as it was."""
    new = CostLine(scenario=scenario)
    if line is not None:
        for field in CostLine._meta.concrete_fields:
            setattr(new, field.attname, getattr(line, field.attname))
        new._state.adding = line._state.adding
        new._state.db = line._state.db
    return new


def _in_organisation_regions(tariff: Tariff, persona: Persona) -> bool:
    return tariff.region.organisations.filter(pk=persona.organisation_id).exists()


def cost_line_build(
    *, scenario: Scenario, line: CostLine | None = None, **fields: Unpack[CostLineFields]
) -> CostLine:
    """An unsaved line of `scenario`: `line` (or a new one) with `fields` applied and the
    defaults filled in. Raises ValidationError per field when the result is not valid.

    Defaults: a tariff gives its amount (unless a rate is given), unit and funding stream; the
    payer is the stream's usual payer. Hours and weeks only count for hourly units, pupils only
    for per-pupil units; the others are cleared.
    """
    _reject_unknown(dict(fields), COST_LINE_FIELDS)
    persona = scenario.persona
    new = _copy_of(line, scenario)
    errors: dict[str, list[Any]] = {}

    def error(field: str, message: Any) -> None:
        errors.setdefault(field, []).append(message)

    if "description" in fields:
        new.description = (fields["description"] or "").strip()
    if "tariff" in fields:
        tariff_changed = (fields["tariff"].pk if fields["tariff"] else None) != new.tariff_id
        new.tariff = fields["tariff"]
    else:
        tariff_changed = False
    tariff = new.tariff if new.tariff_id else None

    stream = fields.get("funding_stream", new.funding_stream if new.funding_stream_id else None)
    if stream is None and tariff is not None:
        stream = tariff.funding_stream
    payer = fields.get("payer", new.payer if new.payer_id else None)
    if payer is None and stream is not None:
        payer = stream.default_payer
    # A new tariff brings its own unit and amount unless they are given.
    unit = fields.get("unit", "" if tariff_changed else new.unit) or ""
    if not unit and tariff is not None:
        unit = tariff.unit
    rate = fields.get("rate", None if tariff_changed else new.rate)
    if rate is None and tariff is not None:
        rate = tariff.amount

    quantity = fields.get("quantity", new.quantity)
    hours = fields.get("hours_per_week", new.hours_per_week)
    weeks = fields.get("weeks", new.weeks)
    pupils = fields.get("pupils", new.pupils)
    if quantity is None:
        quantity = Decimal("1")
    if unit not in HOURLY_UNITS:
        hours = weeks = None
    if unit not in PER_PUPIL_UNITS:
        pupils = None

    if not new.description:
        error("description", DESCRIPTION_REQUIRED)
    if tariff is not None and not _in_organisation_regions(tariff, persona):
        error("tariff", TARIFF_NOT_IN_REGION)
    if stream is None:
        error("funding_stream", STREAM_REQUIRED)
    if not unit:
        error("unit", UNIT_REQUIRED)
    elif unit not in Unit.values:
        error("unit", UNIT_INVALID)
    elif tariff is not None and unit != tariff.unit:
        error("unit", UNIT_NOT_TARIFF_UNIT % {"unit": Unit(tariff.unit).label})
    if rate is None:
        error("rate", RATE_REQUIRED)
    elif rate > AMOUNT_LIMIT:
        error("rate", AMOUNT_TOO_HIGH)
    for field, value in (
        ("rate", rate),
        ("quantity", quantity),
        ("hours_per_week", hours),
        ("weeks", weeks),
        ("pupils", pupils),
    ):
        if value is not None and value < 0:
            error(field, NEGATIVE)
    if unit in HOURLY_UNITS:
        if hours is None:
            error("hours_per_week", HOURS_REQUIRED)
        if weeks is None:
            error("weeks", WEEKS_REQUIRED)
    if pupils == 0:
        error("pupils", PUPILS_ZERO)
    elif pupils is not None and pupils > PUPILS_FACTOR_LIMIT * _group_size(persona):
        error("pupils", PUPILS_ABSURD)

    new.funding_stream = stream  # type: ignore[assignment]
    new.payer = payer  # type: ignore[assignment]
    new.unit = unit
    new.rate = rate  # type: ignore[assignment]
    new.quantity = quantity
    new.hours_per_week = hours
    new.weeks = weeks
    new.pupils = pupils

    if not errors:
        try:
            total = line_cost_of(new, _group_size(persona)).total
        except (ValueError, InvalidOperation):
            total = Decimal(0)  # the field checks below say what is wrong
        if total > AMOUNT_LIMIT:
            error("rate", LINE_TOTAL_TOO_HIGH)
    try:
        new.full_clean()
    except ValidationError as exc:
        # Our own messages come first; Django's only for fields we said nothing about (and
        # not for the payer when the stream it would come from is missing).
        derived = {"payer"} if "funding_stream" in errors else set()
        for field, messages in exc.message_dict.items():
            if field not in errors and field not in derived:
                errors[field] = list(messages)
    if errors:
        raise ValidationError(errors)
    return new


def line_cost_of(line: CostLine, group_size: int) -> calculations.LineCost:
    """The calculation for a line (payer and stream do not matter for one line's cost)."""
    return calculations.line_cost(
        calculations.LineInput(
            unit=line.unit,
            rate=line.rate,
            quantity=line.quantity,
            hours_per_week=line.hours_per_week,
            weeks=line.weeks,
            pupils=line.pupils,
            payer="",
            funding_stream="",
        ),
        group_size,
    )


def cost_line_create(*, scenario: Scenario, **fields: Unpack[CostLineFields]) -> CostLine:
    """Add a line at the end of the scenario."""
    with transaction.atomic():
        scenario = (
            Scenario.objects.select_for_update().select_related("persona").get(pk=scenario.pk)
        )
        line = cost_line_build(scenario=scenario, **fields)
        last = scenario.lines.aggregate(last=Max("position"))["last"]
        line.position = 0 if last is None else last + 1
        line.save()
    return line


def cost_line_update(*, line: CostLine, **fields: Unpack[CostLineFields]) -> CostLine:
    with transaction.atomic():
        current = (
            CostLine.objects.select_for_update().select_related("scenario__persona").get(pk=line.pk)
        )
        updated = cost_line_build(scenario=current.scenario, line=current, **fields)
        updated.save()
    return updated


def cost_line_delete(*, line: CostLine) -> None:
    line.delete()


def cost_line_move(*, line: CostLine, direction: str) -> None:
    """Move a line one place up or down in its scenario; at the top or bottom nothing moves."""
    if direction not in ("up", "down"):
        raise ValidationError(MOVE_DIRECTION_INVALID)
    with transaction.atomic():
        lines = list(
            CostLine.objects.select_for_update()
            .filter(scenario_id=line.scenario_id)
            .order_by("position", "pk")
        )
        index = next((i for i, other in enumerate(lines) if other.pk == line.pk), None)
        if index is None:
            return  # deleted in the meantime
        target = index - 1 if direction == "up" else index + 1
        if 0 <= target < len(lines):
            lines[index], lines[target] = lines[target], lines[index]
        # Renumber all, so that equal positions (e.g. from an import) get a clear order.
        for position, other in enumerate(lines):
            other.position = position
        CostLine.objects.bulk_update(lines, ["position"])


# --- tariffs ------------------------------------------------------------------------------


def _check_tariff(tariff: Tariff) -> None:
    errors: dict[str, list[Any]] = {}
    if tariff.year is None or not 2000 <= tariff.year <= 2100:
        errors["year"] = [YEAR_INVALID]
    elif (
        Tariff.objects.filter(
            region_id=tariff.region_id, year=tariff.year, name__iexact=tariff.name
        )
        .exclude(pk=tariff.pk)
        .exists()
    ):
        errors["name"] = [TARIFF_NAME_TAKEN % {"year": tariff.year}]
    if tariff.amount is not None and tariff.amount < 0:
        errors["amount"] = [NEGATIVE]
    elif tariff.amount is not None and tariff.amount > AMOUNT_LIMIT:
        errors["amount"] = [AMOUNT_TOO_HIGH]
    try:
        tariff.full_clean()
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, list(messages))
    if errors:
        raise ValidationError(errors)


def tariff_create(
    *,
    region: Region,
    year: int,
    name: str,
    funding_stream: FundingStream,
    unit: str,
    amount: Decimal,
    source: str,
    reference_date: date,
    is_indicative: bool = False,
    user: User | None = None,
) -> Tariff:
    tariff = Tariff(
        region=region,
        year=year,
        name=name.strip(),
        funding_stream=funding_stream,
        unit=unit,
        amount=amount,
        source=source.strip(),
        reference_date=reference_date,
        is_indicative=is_indicative,
        updated_by=user,
    )
    with transaction.atomic():
        _check_tariff(tariff)
        tariff.save()
    return tariff


def tariff_update(
    *, tariff: Tariff, user: User | None = None, **fields: Unpack[TariffFields]
) -> Tariff:
    """Change a tariff. Cost lines that use it keep the amount they copied."""
    _reject_unknown(dict(fields), TARIFF_FIELDS)
    with transaction.atomic():
        current = Tariff.objects.select_for_update().get(pk=tariff.pk)
        for field, value in fields.items():
            setattr(current, field, value.strip() if isinstance(value, str) else value)
        current.updated_by = user
        _check_tariff(current)
        current.save()
    return current


def tariff_delete(*, tariff: Tariff) -> None:
    """Delete a tariff; cost lines keep their amount and lose only the link."""
    tariff.delete()


def tariffs_seed_indicative(*, region: Region, year: int, user: User | None = None) -> int:
    """Fill a region's table of `year` with the indicative amounts it does not have yet (by
    name). Returns how many tariffs were added; all or none."""
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": [YEAR_INVALID]})
    rows = indicative_tariff_rows(year)
    streams = {
        s.code: s for s in FundingStream.objects.filter(code__in={r["stream_code"] for r in rows})
    }
    added = 0
    with transaction.atomic():
        for row in rows:
            if Tariff.objects.filter(region=region, year=year, name__iexact=row["name"]).exists():
                continue
            stream = streams.get(row["stream_code"])
            if stream is None:
                raise ValidationError(UNKNOWN_STREAM % {"code": row["stream_code"]})
            tariff = Tariff(
                region=region,
                year=year,
                name=row["name"],
                funding_stream=stream,
                unit=row["unit"],
                amount=row["amount"],
                source=row["source"],
                reference_date=row["reference_date"],
                is_indicative=row["is_indicative"],
                updated_by=user,
            )
            _check_tariff(tariff)
            tariff.save()
            added += 1
    return added


# --- persona history and copies -------------------------------------------------------------


def _decimal_text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def costs_snapshot(persona: Persona) -> list[dict[str, Any]]:
    """The persona's scenarios and lines as JSON-ready data (codes for streams and payers,
    amounts as text), for the persona's history."""
    scenarios = persona.scenarios.order_by("position", "pk").prefetch_related(
        "lines__funding_stream", "lines__payer"
    )
    return [
        {
            "kind": scenario.kind,
            "label": scenario.label,
            "name": scenario.name,
            "position": scenario.position,
            "lines": [
                {
                    "description": line.description,
                    "funding_stream": line.funding_stream.code,
                    "payer": line.payer.code,
                    "unit": line.unit,
                    "tariff": line.tariff_id,
                    "rate": _decimal_text(line.rate),
                    "quantity": _decimal_text(line.quantity),
                    "hours_per_week": _decimal_text(line.hours_per_week),
                    "weeks": _decimal_text(line.weeks),
                    "pupils": line.pupils,
                    "position": line.position,
                }
                for line in sorted(scenario.lines.all(), key=lambda x: (x.position, x.pk))
            ],
        }
        for scenario in scenarios
    ]


def _optional_decimal(value: object) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def costs_restore(*, persona: Persona, snapshot: list[dict[str, Any]]) -> None:
    """Replace all scenarios and lines of the persona by those in `snapshot`.

    Runs inside the caller's transaction (as a savepoint), so a bad snapshot changes nothing.
    A tariff that no longer exists, or that is not in one of the organisation's regions, is
    left out; the line keeps its own amount.
    """
    streams = {s.code: s for s in FundingStream.objects.all()}
    payers = {p.code: p for p in Payer.objects.all()}
    allowed_tariffs = set(
        Tariff.objects.filter(region__organisations=persona.organisation_id).values_list(
            "pk", flat=True
        )
    )
    with transaction.atomic():
        persona.scenarios.all().delete()
        try:
            for item in snapshot:
                scenario = Scenario(
                    persona=persona,
                    kind=item["kind"],
                    label=item.get("label", ""),
                    name=item.get("name", ""),
                    position=item.get("position", 0),
                )
                scenario.full_clean()
                scenario.save()
                for data in item.get("lines", []):
                    tariff_id = data.get("tariff")
                    line = CostLine(
                        scenario=scenario,
                        description=data["description"],
                        funding_stream=streams[data["funding_stream"]],
                        payer=payers[data["payer"]],
                        unit=data["unit"],
                        tariff_id=tariff_id if tariff_id in allowed_tariffs else None,
                        rate=Decimal(str(data["rate"])),
                        quantity=Decimal(str(data.get("quantity", "1"))),
                        hours_per_week=_optional_decimal(data.get("hours_per_week")),
                        weeks=_optional_decimal(data.get("weeks")),
                        pupils=data.get("pupils"),
                        position=data.get("position", 0),
                    )
                    line.full_clean()
                    line.save()
        except (KeyError, TypeError, InvalidOperation) as exc:
            raise ValidationError(SNAPSHOT_INVALID) from exc


def costs_copy(*, source: Persona, target: Persona) -> None:
    """Give `target` (e.g. a duplicate of `source`) the same scenarios and lines."""
    with transaction.atomic():
        costs_restore(persona=target, snapshot=costs_snapshot(source))
