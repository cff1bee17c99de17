"""Reads for the cost pages, scoped to an organisation (or to a persona that was looked up
through one)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from itertools import groupby

from django.db.models import QuerySet
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from zio.common.money import format_euro
from zio.organisations.constants import OrganisationKind, Role
from zio.organisations.models import Membership, Organisation, Region
from zio.personas.models import Persona

from . import calculations, chart
from .constants import ScenarioKind, Unit
from .models import CostLine, FundingStream, Payer, Scenario, Tariff

ZERO = Decimal("0.00")

# Organisations that set a region's tariffs: the ones that pay or advise. Schools and youth
# care providers read them.
TARIFF_EDITING_KINDS = frozenset(
    {OrganisationKind.SWV, OrganisationKind.GEMEENTE, OrganisationKind.ADVIES}
)
_KIND_ORDER = {ScenarioKind.CURRENT: 0, ScenarioKind.DESIRED: 1, ScenarioKind.IF_UNMET: 2}


# --- cost overview ------------------------------------------------------------------------


@dataclass(frozen=True)
class LineView:
    line: CostLine
    cost: calculations.LineCost
    calculation: str  # in words, e.g. "8 uur × 40 weken × € 51,00 voor de hele groep"

    @property
    def is_per_pupil(self) -> bool:
        return not self.cost.per_pupil_is_average


@dataclass(frozen=True)
class PayerAmount:
    payer: Payer
    series: int  # colour and pattern number in the chart
    amount: Decimal
    per_pupil: Decimal


@dataclass(frozen=True)
class ScenarioView:
    scenario: Scenario
    lines: list[LineView]
    totals: calculations.ScenarioTotals
    payers: list[PayerAmount]  # the payers of this scenario, in the usual payer order

    @property
    def is_desired(self) -> bool:
        return self.scenario.kind == ScenarioKind.DESIRED

    @property
    def title(self) -> str:
        return self.scenario.title


@dataclass(frozen=True)
class Row:
    """A row of a table with one cell per scenario."""

    label: str
    cells: list[Decimal]
    series: int | None = None


@dataclass(frozen=True)
class DifferenceCell:
    amount: Decimal

    @property
    def direction(self) -> str:
        if self.amount > 0:
            return "more"
        return "less" if self.amount < 0 else "same"

    @property
    def magnitude(self) -> Decimal:
        return abs(self.amount)


@dataclass(frozen=True)
class DifferenceRow:
    label: str
    cells: list[DifferenceCell]


@dataclass(frozen=True)
class CostOverview:
    persona: Persona
    group_size: int
    scenarios: list[ScenarioView]
    payers: list[PayerAmount]  # every payer that occurs, with its chart series; amount unused
    payer_rows: list[Row]  # comparison table: one row per payer, one cell per scenario
    total_row: Row
    per_pupil_row: Row
    compared: list[ScenarioView]  # the scenarios compared with the current one
    difference_rows: list[DifferenceRow]  # one row per payer, one cell per compared scenario
    difference_total: DifferenceRow
    stream_rows: list[Row]
    chart: chart.Chart
    chart_summary: str

    @property
    def current(self) -> ScenarioView | None:
        return next((s for s in self.scenarios if s.scenario.kind == ScenarioKind.CURRENT), None)

    @property
    def first_desired(self) -> ScenarioView | None:
        return next((s for s in self.scenarios if s.is_desired), None)

    @property
    def has_amounts(self) -> bool:
        return any(s.totals.total > 0 for s in self.scenarios)

    @property
    def summary_total(self) -> DifferenceCell | None:
        current, desired = self.current, self.first_desired
        if current is None or desired is None:
            return None
        return DifferenceCell(desired.totals.total - current.totals.total)

    @property
    def summary_rows(self) -> list[tuple[str, Decimal, Decimal, DifferenceCell]]:
        """Per payer: current, desired A and the difference, for the persona page."""
        current, desired = self.current, self.first_desired
        if current is None or desired is None:
            return []
        rows = []
        for payer_amount in self.payers:
            code = payer_amount.payer.code
            before = current.totals.per_payer.get(code, ZERO)
            after = desired.totals.per_payer.get(code, ZERO)
            rows.append((payer_amount.payer.name, before, after, DifferenceCell(after - before)))
        return rows


def _number(value: Decimal) -> str:
    """8, 2,5 or 40 (no trailing zeros), in the active language's notation."""
    if value == value.to_integral_value():
        return number_format(int(value))
    return number_format(value.normalize())


def _plural_count(value: Decimal) -> int:
    # ngettext needs a whole number; 1,5 weeks reads as plural.
    return 1 if value == 1 else 2


def line_calculation(line: CostLine, cost: calculations.LineCost) -> str:
    """How a line's amount comes about, in words."""
    rate = format_euro(line.rate)
    unit = line.unit
    if unit in (Unit.PUPIL_HOUR, Unit.GROUP_HOUR):
        hours = line.hours_per_week or ZERO
        weeks = line.weeks or ZERO
        hours_text = ngettext("%(count)s uur", "%(count)s uur", _plural_count(hours)) % {
            "count": _number(hours)
        }
        weeks_text = ngettext("%(count)s week", "%(count)s weken", _plural_count(weeks)) % {
            "count": _number(weeks)
        }
        base = f"{hours_text} × {weeks_text} × {rate}"
    elif unit == Unit.PUPIL_DAY:
        days = ngettext("%(count)s dag", "%(count)s dagen", _plural_count(line.quantity)) % {
            "count": _number(line.quantity)
        }
        base = f"{days} × {rate}"
    else:
        years = ngettext("%(count)s jaar", "%(count)s jaar", _plural_count(line.quantity)) % {
            "count": _number(line.quantity)
        }
        base = f"{years} × {rate}"
    if unit in (Unit.GROUP_HOUR, Unit.GROUP_YEAR):
        return _("%(calculation)s voor de hele groep") % {"calculation": base}
    if line.pupils is None:
        # Not the group's size in figures: small groups are never shown exactly.
        return _("%(calculation)s per leerling, voor de hele groep") % {"calculation": base}
    return ngettext(
        "%(calculation)s, voor %(pupils)s leerling",
        "%(calculation)s, voor %(pupils)s leerlingen",
        cost.pupils,
    ) % {"calculation": base, "pupils": cost.pupils}


def to_line_input(line: CostLine) -> calculations.LineInput:
    return calculations.LineInput(
        unit=line.unit,
        rate=line.rate,
        quantity=line.quantity,
        hours_per_week=line.hours_per_week,
        weeks=line.weeks,
        pupils=line.pupils,
        payer=line.payer.code,
        funding_stream=line.funding_stream.code,
    )


def scenarios_in_order(persona: Persona) -> list[Scenario]:
    """Current, desired A, B, ..., then the alternative if nothing changes."""
    scenarios = persona.scenarios.prefetch_related(
        "lines__payer", "lines__funding_stream", "lines__tariff"
    )
    return sorted(
        scenarios, key=lambda s: (_KIND_ORDER.get(ScenarioKind(s.kind), 3), s.label, s.pk)
    )


def _scenario_view(
    scenario: Scenario, group_size: int, payers: dict[str, tuple[int, Payer]]
) -> ScenarioView:
    lines = sorted(scenario.lines.all(), key=lambda line: (line.position, line.pk))
    views = []
    for line in lines:
        cost = calculations.line_cost(to_line_input(line), group_size)
        views.append(LineView(line=line, cost=cost, calculation=line_calculation(line, cost)))
    totals = calculations.scenario_totals([to_line_input(line) for line in lines], group_size)
    amounts = [
        PayerAmount(
            payer=payers[code][1],
            series=chart.series_number(payers[code][0]),
            amount=amount,
            per_pupil=totals.per_pupil_per_payer[code],
        )
        for code, amount in totals.per_payer.items()
    ]
    amounts.sort(key=lambda a: payers[a.payer.code][0])
    return ScenarioView(scenario=scenario, lines=views, totals=totals, payers=amounts)


def _chart_summary(views: list[ScenarioView]) -> str:
    parts = [
        _("%(scenario)s: %(total)s")
        % {"scenario": view.title, "total": format_euro(view.totals.total)}
        for view in views
    ]
    return _(
        "Staafdiagram van de kosten per jaar per scenario, verdeeld over de betalers. "
        "Totaal per scenario: %(totals)s. De bedragen per betaler staan in de tabel eronder."
    ) % {"totals": "; ".join(parts)}


def persona_cost_overview(persona: Persona) -> CostOverview:
    """Everything the cost page shows: per scenario its lines and totals, the comparison per
    payer and per stream across scenarios, and what each scenario changes for each payer
    compared with the current situation."""
    group_size = max(persona.group_size or 0, 1)
    # One order (and so one colour) per payer on every page.
    payers = {p.code: (index, p) for index, p in enumerate(Payer.objects.order_by("position"))}
    views = [_scenario_view(s, group_size, payers) for s in scenarios_in_order(persona)]

    used = sorted(
        {code for view in views for code in view.totals.per_payer}, key=lambda c: payers[c][0]
    )
    payer_list = [
        PayerAmount(
            payer=payers[code][1],
            series=chart.series_number(payers[code][0]),
            amount=ZERO,
            per_pupil=ZERO,
        )
        for code in used
    ]
    payer_rows = [
        Row(
            label=payers[code][1].name,
            cells=[view.totals.per_payer.get(code, ZERO) for view in views],
            series=chart.series_number(payers[code][0]),
        )
        for code in used
    ]
    total_row = Row(label=_("Totaal"), cells=[view.totals.total for view in views])
    per_pupil_row = Row(label=_("Per leerling"), cells=[view.totals.per_pupil for view in views])

    current = next((v for v in views if v.scenario.kind == ScenarioKind.CURRENT), None)
    compared = [v for v in views if v.scenario.kind != ScenarioKind.CURRENT]
    differences = (
        [calculations.difference(v.totals, current.totals) for v in compared] if current else []
    )
    difference_rows = [
        DifferenceRow(
            label=payers[code][1].name,
            cells=[DifferenceCell(diff.get(code, ZERO)) for diff in differences],
        )
        for code in used
    ]
    difference_total = DifferenceRow(
        label=_("Totaal"),
        cells=[DifferenceCell(v.totals.total - current.totals.total) for v in compared if current],
    )

    streams = {s.code: s for s in FundingStream.objects.order_by("position", "name")}
    stream_codes = [
        code for code in streams if any(code in view.totals.per_stream for view in views)
    ]
    stream_rows = [
        Row(
            label=streams[code].name,
            cells=[view.totals.per_stream.get(code, ZERO) for view in views],
        )
        for code in stream_codes
    ]

    bars = chart.stacked_bars(
        [
            (
                _shorten(view.title),
                [(a.series, a.payer.name, a.amount) for a in view.payers],
            )
            for view in views
        ]
    )
    return CostOverview(
        persona=persona,
        group_size=group_size,
        scenarios=views,
        payers=payer_list,
        payer_rows=payer_rows,
        total_row=total_row,
        per_pupil_row=per_pupil_row,
        compared=compared if current else [],
        difference_rows=difference_rows if current else [],
        difference_total=difference_total,
        stream_rows=stream_rows,
        chart=bars,
        chart_summary=_chart_summary(views),
    )


def _shorten(text: str, limit: int = 64) -> str:
    # The chart's labels do not wrap; the full title is in the table.
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# --- tariffs ------------------------------------------------------------------------------


def tariffs_for_organisation(organisation: Organisation) -> QuerySet[Tariff]:
    """The tariffs of every region the organisation is in, newest year first."""
    return (
        Tariff.objects.filter(region__organisations=organisation)
        .select_related("region", "funding_stream")
        .order_by("region__name", "region_id", "-year", "funding_stream__position", "name")
        .distinct()
    )


def regions_with_editable_tariffs(membership: Membership) -> QuerySet[Region]:
    """The regions whose tariffs this member may change: a beheerder of an SWV, gemeente or
    advisory organisation, for the regions that organisation is in."""
    organisation = membership.organisation
    if not membership.has_role(Role.BEHEERDER) or organisation.kind not in TARIFF_EDITING_KINDS:
        return Region.objects.none()
    return organisation.regions.order_by("name")


def can_edit_region_tariffs(membership: Membership, region: Region) -> bool:
    return regions_with_editable_tariffs(membership).filter(pk=region.pk).exists()


@dataclass(frozen=True)
class YearTariffs:
    year: int
    tariffs: list[Tariff]


@dataclass(frozen=True)
class RegionTariffs:
    region: Region
    can_edit: bool
    years: list[YearTariffs]


def tariff_tables(membership: Membership) -> list[RegionTariffs]:
    """Per region of the member's organisation: its tariffs by year, and whether this member
    may change them."""
    organisation = membership.organisation
    editable = set(regions_with_editable_tariffs(membership).values_list("pk", flat=True))
    tariffs = list(tariffs_for_organisation(organisation))
    tables = []
    for region in organisation.regions.order_by("name"):
        own = [t for t in tariffs if t.region_id == region.pk]
        years = [
            YearTariffs(year=year, tariffs=list(group))
            for year, group in groupby(own, key=lambda t: t.year)
        ]
        tables.append(RegionTariffs(region=region, can_edit=region.pk in editable, years=years))
    return tables
