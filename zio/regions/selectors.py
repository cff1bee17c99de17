"""Reads of the region view: the persona's that schools shared with a region, filtered, with
their costs now and desired per payer and per funding stream, summed over the region.

The whole overview takes a fixed number of queries, however many schools and persona's the
region has (the persona's with their school, all their cost lines in one go, and the filter
options); the sums are made in Python with the cost model's own calculations.

What a region member sees of a persona is what a partner sees in an export: costs per payer,
no amounts per pupil (a total divided by an amount per pupil would give a hidden group size
away), and group sizes under the small-cell threshold suppressed, with secondary suppression
against the region's total.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import QuerySet

from zio.common.privacy import SuppressedCount, suppress_count, suppress_distribution
from zio.costs import calculations
from zio.costs.constants import ScenarioKind
from zio.costs.models import CostLine, FundingStream, Payer, Scenario
from zio.organisations.models import Organisation, Region
from zio.personas.constants import PersonaStatus
from zio.personas.models import Persona, PersonaItem, Signal

ZERO = Decimal("0.00")
KINDS = ("current", "desired")


def regions_for_organisation(organisation: Organisation) -> QuerySet[Region]:
    return organisation.regions.all()


def region_for_organisation(organisation: Organisation, region_id: int) -> Region:
    """Raises Region.DoesNotExist for a region the organisation is not part of."""
    return organisation.regions.get(pk=region_id)


@dataclass(frozen=True)
class Filters:
    school_type: str = ""
    signal_id: int | None = None
    status: str = ""
    organisation_id: int | None = None


@dataclass(frozen=True)
class SharedPersona:
    """What the region view needs of a persona (read as tuples: a region has thousands)."""

    pk: int
    name: str
    group_size: int
    status: str
    school_types: list[str]
    school: str


@dataclass(frozen=True)
class PersonaRow:
    name: str
    school: str
    status: str  # as shown ("Vastgesteld")
    group_size: SuppressedCount
    current: Decimal
    desired: Decimal
    desired_title: str  # which desired scenario is compared ("Gewenste situatie A")

    @property
    def difference(self) -> Decimal:
        return self.desired - self.current


@dataclass(frozen=True)
class AmountRow:
    """One payer or funding stream: what it pays now and desired, summed over the region."""

    name: str
    current: Decimal
    desired: Decimal

    @property
    def difference(self) -> Decimal:
        return self.desired - self.current


@dataclass(frozen=True)
class RegionOverview:
    region: Region
    filters: Filters
    rows: list[PersonaRow]
    payers: list[AmountRow]
    streams: list[AmountRow]
    group_total: SuppressedCount

    @property
    def total_current(self) -> Decimal:
        return sum((r.current for r in self.rows), ZERO)

    @property
    def total_desired(self) -> Decimal:
        return sum((r.desired for r in self.rows), ZERO)

    @property
    def total_difference(self) -> Decimal:
        return self.total_desired - self.total_current


def shared_personas(region: Region) -> QuerySet[Persona]:
    """The persona's shared with the region, not archived, of organisations still in it."""
    return Persona.objects.filter(
        region_shares__region=region,
        archived_at__isnull=True,
        organisation__regions=region,
    ).distinct()


def _filtered(region: Region, filters: Filters) -> list[SharedPersona]:
    personas = shared_personas(region)
    if filters.signal_id is not None:
        personas = personas.filter(items__signal_id=filters.signal_id)
    if filters.status:
        personas = personas.filter(status=filters.status)
    if filters.organisation_id is not None:
        personas = personas.filter(organisation_id=filters.organisation_id)
    found = [
        SharedPersona(*values)
        for values in personas.order_by("organisation__name", "name", "pk").values_list(
            "pk", "name", "group_size", "status", "school_types", "organisation__name"
        )
    ]
    if filters.school_type:
        # A JSON list: filtered here, the same way on SQLite and PostgreSQL.
        found = [p for p in found if filters.school_type in (p.school_types or [])]
    return found


# Per scenario (label, id) its lines, so that "desired A" sorts before "desired B".
Scenarios = dict[tuple[str, int], list[calculations.LineInput]]


def region_overview(region: Region, filters: Filters | None = None) -> RegionOverview:
    filters = filters or Filters()
    threshold = settings.SMALL_CELL_THRESHOLD
    personas = _filtered(region, filters)
    ids = [p.pk for p in personas]
    # Tuples, not model instances: a region of 200 schools has some 16,000 lines.
    lines = (
        CostLine.objects.filter(
            scenario__persona_id__in=shared_personas(region).values("pk"),
            scenario__kind__in=[ScenarioKind.CURRENT, ScenarioKind.DESIRED],
        )
        .order_by("scenario_id", "position", "pk")
        .values_list(
            "scenario__persona_id",
            "scenario__kind",
            "scenario__label",
            "scenario_id",
            "scenario__name",
            "unit",
            "rate",
            "quantity",
            "hours_per_week",
            "weeks",
            "pupils",
            "payer__code",
            "funding_stream__code",
        )
    )
    wanted = set(ids)
    by_persona: dict[int, dict[str, Scenarios]] = defaultdict(lambda: defaultdict(dict))
    titles: dict[int, tuple[str, str]] = {}
    for (
        persona_id,
        kind,
        label,
        scenario_id,
        name,
        unit,
        rate,
        quantity,
        hours_per_week,
        weeks,
        pupils,
        payer,
        stream,
    ) in lines:
        if persona_id not in wanted:
            continue
        by_persona[persona_id][kind].setdefault((label, scenario_id), []).append(
            calculations.LineInput(
                unit=unit,
                rate=rate,
                quantity=quantity,
                hours_per_week=hours_per_week,
                weeks=weeks,
                pupils=pupils,
                payer=payer,
                funding_stream=stream,
            )
        )
        titles.setdefault(scenario_id, (label, name))
    payers = {p.code: p for p in Payer.objects.all()}
    streams = {s.code: s for s in FundingStream.objects.all()}

    statuses = {value: str(label) for value, label in PersonaStatus.choices}
    sizes = suppress_distribution([p.group_size for p in personas], threshold)
    rows: list[PersonaRow] = []
    per_payer: dict[str, dict[str, Decimal]] = {k: defaultdict(Decimal) for k in KINDS}
    per_stream: dict[str, dict[str, Decimal]] = {k: defaultdict(Decimal) for k in KINDS}
    for persona, size in zip(personas, sizes, strict=True):
        of_persona = by_persona.get(persona.pk, {})
        no_lines: Scenarios = {}
        current_by_key = of_persona.get(ScenarioKind.CURRENT.value, no_lines)
        current_lines: list[calculations.LineInput] = next(iter(current_by_key.values()), [])
        desired_by_key = of_persona.get(ScenarioKind.DESIRED.value, no_lines)
        desired_key = min(desired_by_key, default=None)
        desired_lines = desired_by_key[desired_key] if desired_key else []
        group = max(persona.group_size, 1)
        totals = {}
        for kind, chosen in (("current", current_lines), ("desired", desired_lines)):
            result = calculations.scenario_totals(chosen, group)
            totals[kind] = result.total
            for code, amount in result.per_payer.items():
                per_payer[kind][code] += amount
            for code, amount in result.per_stream.items():
                per_stream[kind][code] += amount
        title = ""
        if desired_key:
            label, name = titles[desired_key[1]]
            title = Scenario(kind=ScenarioKind.DESIRED, label=label, name=name).title
        rows.append(
            PersonaRow(
                name=persona.name,
                school=persona.school,
                status=statuses.get(persona.status, persona.status),
                group_size=size,
                current=totals["current"],
                desired=totals["desired"],
                desired_title=title,
            )
        )

    def amount_rows(
        known: dict[str, Payer] | dict[str, FundingStream], sums: dict[str, dict[str, Decimal]]
    ) -> list[AmountRow]:
        codes = [c for c in known if c in sums["current"] or c in sums["desired"]]
        codes.sort(key=lambda c: (known[c].position, known[c].name))
        return [
            AmountRow(known[c].name, sums["current"].get(c, ZERO), sums["desired"].get(c, ZERO))
            for c in codes
        ]

    return RegionOverview(
        region=region,
        filters=filters,
        rows=rows,
        payers=amount_rows(payers, per_payer),
        streams=amount_rows(streams, per_stream),
        group_total=suppress_count(sum(p.group_size for p in personas), threshold),
    )


def filter_options(region: Region) -> tuple[list[Organisation], list[Signal]]:
    """The schools that shared persona's with the region, and the catalogue signals those
    persona's name: what the filters offer."""
    shared = shared_personas(region)
    schools = list(
        Organisation.objects.filter(pk__in=shared.values("organisation_id")).order_by("name")
    )
    used = PersonaItem.objects.filter(persona__in=shared, signal__isnull=False).values("signal_id")
    return schools, list(Signal.objects.filter(pk__in=used).order_by("name"))
