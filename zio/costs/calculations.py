"""Cost calculations: pure Decimal arithmetic, no Django and no ORM.

A scenario is a list of cost lines. Each line is counted in one unit (see `Unit` in
constants.py, whose values are repeated here so that this module stays free of Django):

- per pupil: the cost for one pupil is rate × years or days, or rate × hours per week × weeks;
  the line costs that amount times the number of pupils it applies to (the whole group when
  no number is given);
- per group: rate × hours per week × weeks, or rate × years, whatever the group's size.

Amounts are rounded half up to the cent once per pupil and once per line; every total after
that is a sum of cents, so breakdowns (per payer, per funding stream) add up exactly.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext
from functools import lru_cache

CENT = Decimal("0.01")
ZERO = Decimal("0.00")

PUPIL_YEAR = "leerling_jaar"
PUPIL_HOUR = "leerling_uur"
PUPIL_DAY = "leerling_dag"
GROUP_HOUR = "groep_uur"
GROUP_YEAR = "groep_jaar"

PER_PUPIL_UNITS = frozenset({PUPIL_YEAR, PUPIL_HOUR, PUPIL_DAY})
GROUP_UNITS = frozenset({GROUP_HOUR, GROUP_YEAR})
HOURLY_UNITS = frozenset({PUPIL_HOUR, GROUP_HOUR})
UNITS = PER_PUPIL_UNITS | GROUP_UNITS

# Enough digits for every product of our bounded inputs, so that nothing is rounded before
# the one rounding to the cent.
_PRECISION = 60


def round_cents(amount: Decimal) -> Decimal:
    """Round half up to the cent: 0.005 becomes 0.01, -0.005 becomes -0.01."""
    with localcontext(prec=_PRECISION):
        return amount.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class LineInput:
    unit: str
    rate: Decimal
    quantity: Decimal
    hours_per_week: Decimal | None
    weeks: Decimal | None
    pupils: int | None
    payer: str
    funding_stream: str


@dataclass(frozen=True)
class LineCost:
    """What one line costs.

    `per_pupil` is, for a per-pupil unit, what the line costs for each pupil it applies to; for
    a group unit it is the group total spread over the whole group (an average).
    """

    per_pupil: Decimal
    total: Decimal
    pupils: int
    per_pupil_is_average: bool


@dataclass(frozen=True)
class ScenarioTotals:
    """The totals of one scenario. Dicts keep the order in which payers and streams first
    occur in the lines."""

    total: Decimal
    per_payer: dict[str, Decimal]
    per_stream: dict[str, Decimal]
    per_pupil: Decimal
    per_pupil_per_payer: dict[str, Decimal]
    group_size: int


def _check_amount(name: str, value: Decimal | None) -> None:
    if value is None:
        return
    if not value.is_finite():
        raise ValueError(f"{name} must be a finite number, not {value}.")
    if value < 0:
        raise ValueError(f"{name} cannot be negative ({value}).")


def _check_group_size(group_size: int) -> None:
    if group_size < 1:
        raise ValueError(f"A group has at least one pupil, not {group_size}.")


def _check_line(line: LineInput) -> None:
    if line.unit not in UNITS:
        raise ValueError(f"Unknown unit {line.unit!r}.")
    _check_amount("rate", line.rate)
    _check_amount("quantity", line.quantity)
    _check_amount("hours_per_week", line.hours_per_week)
    _check_amount("weeks", line.weeks)
    if line.pupils is not None and line.pupils < 0:
        raise ValueError(f"pupils cannot be negative ({line.pupils}).")
    if line.unit in HOURLY_UNITS and (line.hours_per_week is None or line.weeks is None):
        raise ValueError("An hourly line needs hours per week and weeks.")


def _amount_per_unit_count(line: LineInput) -> Decimal:
    """rate × hours per week × weeks for hourly units, rate × quantity otherwise, rounded."""
    with localcontext(prec=_PRECISION):
        if line.unit in HOURLY_UNITS:
            # _check_line made sure both are there.
            assert line.hours_per_week is not None and line.weeks is not None
            return round_cents(line.rate * line.hours_per_week * line.weeks)
        return round_cents(line.rate * line.quantity)


def unit_amount_cents(
    unit: str,
    rate: Decimal,
    quantity: Decimal,
    hours_per_week: Decimal | None,
    weeks: Decimal | None,
) -> int:
    """What a line costs per pupil (per-pupil units) or for the group (group units), in whole
    cents: the one rounded figure from which every total of the line follows by multiplying
    with a whole number of pupils. Stored on each cost line so that a database can add lines
    up exactly (see `CostLine.unit_amount_cents`)."""
    line = LineInput(unit, rate, quantity, hours_per_week, weeks, None, "", "")
    _check_line(line)
    return int(_amount_per_unit_count(line).scaleb(2))


def line_total_cents(unit: str, unit_amount: int, pupils: int | None, group_size: int) -> int:
    """A line's total in cents from its stored unit amount: the same figure as
    `line_cost(...).total`, for a line whose `unit_amount_cents` is `unit_amount`."""
    _check_group_size(group_size)
    if unit in PER_PUPIL_UNITS:
        return unit_amount * (group_size if pupils is None else pupils)
    return unit_amount


@lru_cache(maxsize=8192)
def line_cost(line: LineInput, group_size: int) -> LineCost:
    """The cost of one line for a persona whose group has `group_size` pupils.

    Pure, so its answers are kept: a region view adds up thousands of lines, and lines priced
    from the same regional tariff for groups of the same size recur."""
    _check_group_size(group_size)
    _check_line(line)
    amount = _amount_per_unit_count(line)
    with localcontext(prec=_PRECISION):
        if line.unit in PER_PUPIL_UNITS:
            pupils = group_size if line.pupils is None else line.pupils
            return LineCost(
                per_pupil=amount,
                total=amount * pupils,
                pupils=pupils,
                per_pupil_is_average=False,
            )
        return LineCost(
            per_pupil=round_cents(amount / group_size),
            total=amount,
            pupils=group_size,
            per_pupil_is_average=True,
        )


def _add(totals: dict[str, Decimal], key: str, amount: Decimal) -> None:
    totals[key] = totals.get(key, ZERO) + amount


def scenario_totals(lines: Iterable[LineInput], group_size: int) -> ScenarioTotals:
    """Add up a scenario's lines: the grand total, and the same split by payer and by stream."""
    _check_group_size(group_size)
    total = ZERO
    per_payer: dict[str, Decimal] = {}
    per_stream: dict[str, Decimal] = {}
    with localcontext(prec=_PRECISION):
        for line in lines:
            cost = line_cost(line, group_size)
            total += cost.total
            _add(per_payer, line.payer, cost.total)
            _add(per_stream, line.funding_stream, cost.total)
        return ScenarioTotals(
            total=total,
            per_payer=per_payer,
            per_stream=per_stream,
            per_pupil=round_cents(total / group_size),
            per_pupil_per_payer={
                payer: round_cents(amount / group_size) for payer, amount in per_payer.items()
            },
            group_size=group_size,
        )


def difference(after: ScenarioTotals, before: ScenarioTotals) -> dict[str, Decimal]:
    """Per payer, what `after` costs more than `before` (negative: what the payer saves).

    Every payer of either scenario is in the result, in the order of `before`, then the payers
    that only occur in `after`.
    """
    payers = list(before.per_payer) + [p for p in after.per_payer if p not in before.per_payer]
    return {p: _get(after.per_payer, p) - _get(before.per_payer, p) for p in payers}


def _get(amounts: Mapping[str, Decimal], key: str) -> Decimal:
    return amounts.get(key, ZERO)
