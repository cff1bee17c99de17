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
from django.db.models import QuerySet, Sum

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


@dataclass(frozen=True)
class _Part:
    """The lines of one scenario that share a payer, a stream and a way of counting: their
    unit amounts summed by the database."""

    payer_id: int
    stream_id: int
    unit: str
    pupils: int | None
    unit_amount_cents: int


@dataclass
class _Scenario:
    kind: str
    label: str
    name: str
    parts: list[_Part]

    def totals(self, group_size: int) -> tuple[int, dict[int, int], dict[int, int]]:
        """Total, per payer and per funding stream, in cents, for a group of that size."""
        total = 0
        per_payer: dict[int, int] = defaultdict(int)
        per_stream: dict[int, int] = defaultdict(int)
        for part in self.parts:
            cents = calculations.line_total_cents(
                part.unit, part.unit_amount_cents, part.pupils, group_size
            )
            total += cents
            per_payer[part.payer_id] += cents
            per_stream[part.stream_id] += cents
        return total, per_payer, per_stream


def _euros(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)


def _scenarios_with_lines(region: Region) -> dict[int, list[tuple[int, _Scenario]]]:
    """Per persona its current and desired scenarios that have lines, with those lines added
    up by the database per payer, stream, unit and number of pupils (in whole cents, from
    `CostLine.unit_amount_cents`, so the sums are exact on SQLite and PostgreSQL alike). Two
    queries, however large the region."""
    compared = Scenario.objects.filter(
        persona__in=shared_personas(region).values("pk"),
        kind__in=[ScenarioKind.CURRENT, ScenarioKind.DESIRED],
    )
    scenarios = {
        pk: _Scenario(kind, label, name, [])
        for pk, kind, label, name in compared.values_list("pk", "kind", "label", "name")
    }
    owner: dict[int, int] = {}
    fields = ("scenario_id", "scenario__persona_id", "payer_id", "funding_stream_id", "unit")
    parts = (
        # A subquery, not a list of ids: a large region would pass SQLite's parameter limit.
        CostLine.objects.filter(scenario__in=compared.values("pk"))
        .values(*fields, "pupils")
        .annotate(cents=Sum("unit_amount_cents"))
        .order_by()
        .values_list(*fields, "pupils", "cents")
    )
    for scenario_id, persona_id, payer_id, stream_id, unit, pupils, cents in parts:
        scenario = scenarios.get(scenario_id)
        if scenario is None:
            continue  # made between the two queries: not part of what this page shows
        scenario.parts.append(_Part(payer_id, stream_id, unit, pupils, cents))
        owner[scenario_id] = persona_id
    by_persona: dict[int, list[tuple[int, _Scenario]]] = defaultdict(list)
    for scenario_id in sorted(owner):
        by_persona[owner[scenario_id]].append((scenario_id, scenarios[scenario_id]))
    return by_persona


def _compared(found: list[tuple[int, _Scenario]]) -> tuple[_Scenario | None, _Scenario | None]:
    """The current scenario and the first desired one (A before B) of a persona, among its
    scenarios with lines."""
    current = next((s for _, s in found if s.kind == ScenarioKind.CURRENT), None)
    desired = [(s.label, pk, s) for pk, s in found if s.kind == ScenarioKind.DESIRED]
    return current, min(desired, key=lambda d: (d[0], d[1]))[2] if desired else None


def region_overview(region: Region, filters: Filters | None = None) -> RegionOverview:
    filters = filters or Filters()
    threshold = settings.SMALL_CELL_THRESHOLD
    personas = _filtered(region, filters)
    by_persona = _scenarios_with_lines(region)
    payers = {p.pk: p for p in Payer.objects.all()}
    streams = {s.pk: s for s in FundingStream.objects.all()}

    statuses = {value: str(label) for value, label in PersonaStatus.choices}
    sizes = suppress_distribution([p.group_size for p in personas], threshold)
    rows: list[PersonaRow] = []
    per_payer: dict[str, dict[int, int]] = {k: defaultdict(int) for k in KINDS}
    per_stream: dict[str, dict[int, int]] = {k: defaultdict(int) for k in KINDS}
    for persona, size in zip(personas, sizes, strict=True):
        current, desired = _compared(by_persona.get(persona.pk, []))
        group = max(persona.group_size, 1)
        totals = {}
        for kind, chosen in (("current", current), ("desired", desired)):
            total, of_payers, of_streams = chosen.totals(group) if chosen else (0, {}, {})
            totals[kind] = _euros(total)
            for payer_id, cents in of_payers.items():
                per_payer[kind][payer_id] += cents
            for stream_id, cents in of_streams.items():
                per_stream[kind][stream_id] += cents
        title = ""
        if desired:
            title = Scenario(kind=desired.kind, label=desired.label, name=desired.name).title
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
        known: dict[int, Payer] | dict[int, FundingStream], sums: dict[str, dict[int, int]]
    ) -> list[AmountRow]:
        keys = [k for k in known if k in sums["current"] or k in sums["desired"]]
        keys.sort(key=lambda k: (known[k].position, known[k].name))
        return [
            AmountRow(
                known[k].name,
                _euros(sums["current"].get(k, 0)),
                _euros(sums["desired"].get(k, 0)),
            )
            for k in keys
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
