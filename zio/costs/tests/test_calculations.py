"""The cost calculations: hand-calculated examples, rounding, bad input, and properties that
must hold for any scenario (checked with hypothesis). No database needed."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zio.costs import calculations
from zio.costs.calculations import (
    GROUP_HOUR,
    GROUP_YEAR,
    PUPIL_DAY,
    PUPIL_HOUR,
    PUPIL_YEAR,
    LineInput,
    difference,
    line_cost,
    scenario_totals,
)
from zio.costs.constants import HOURLY_UNITS, PER_PUPIL_UNITS, Unit

D = Decimal


def line(
    unit: str = PUPIL_YEAR,
    rate: str = "0",
    quantity: str = "1",
    hours: str | None = None,
    weeks: str | None = None,
    pupils: int | None = None,
    payer: str = "swv",
    stream: str = "ondersteuningsbekostiging",
) -> LineInput:
    return LineInput(
        unit=unit,
        rate=D(rate),
        quantity=D(quantity),
        hours_per_week=None if hours is None else D(hours),
        weeks=None if weeks is None else D(weeks),
        pupils=pupils,
        payer=payer,
        funding_stream=stream,
    )


# The three lines of the handbook-style example: 14 pupils in SBO with support funding, a group
# jeugdhulp worker 8 hours a week, and individual jeugdhulp for 3 of the 14 pupils.
SBO = line(PUPIL_YEAR, "6634.52")
GROUP_JEUGDHULP = line(
    GROUP_HOUR, "51.00", hours="8", weeks="40", payer="gemeente", stream="jeugdhulp-collectief"
)
INDIVIDUAL_JEUGDHULP = line(
    PUPIL_HOUR,
    "78.00",
    hours="2",
    weeks="40",
    pupils=3,
    payer="gemeente",
    stream="jeugdhulp-individueel",
)


def test_units_match_the_model_choices() -> None:
    # calculations.py repeats the unit codes to stay free of Django; they must not drift.
    assert set(Unit.values) == calculations.UNITS
    assert {u.value for u in PER_PUPIL_UNITS} == calculations.PER_PUPIL_UNITS
    assert {u.value for u in HOURLY_UNITS} == calculations.HOURLY_UNITS


def test_support_funding_for_fourteen_pupils() -> None:
    # 14 × € 6.634,52 = € 92.883,28
    cost = line_cost(SBO, group_size=14)
    assert cost.per_pupil == D("6634.52")
    assert cost.pupils == 14
    assert cost.total == D("92883.28")


def test_group_hours_do_not_depend_on_the_group_size() -> None:
    # 8 h/week × 40 weeks × € 51,00 = € 16.320,00 for the whole group
    assert line_cost(GROUP_JEUGDHULP, group_size=14).total == D("16320.00")
    assert line_cost(GROUP_JEUGDHULP, group_size=28).total == D("16320.00")
    # As an average per pupil: 16320 / 14 = 1165,714… → € 1.165,71
    average = line_cost(GROUP_JEUGDHULP, group_size=14)
    assert average.per_pupil == D("1165.71")
    assert average.per_pupil_is_average


def test_individual_hours_for_three_of_fourteen_pupils() -> None:
    # per pupil 2 h × 40 weeks × € 78 = € 6.240,00; for 3 pupils € 18.720,00
    cost = line_cost(INDIVIDUAL_JEUGDHULP, group_size=14)
    assert cost.per_pupil == D("6240.00")
    assert cost.total == D("18720.00")
    assert not cost.per_pupil_is_average


def test_days_and_fixed_group_amounts() -> None:
    # 20 days × € 95,50 = € 1.910,00 per pupil; × 14 = € 26.740,00
    assert line_cost(line(PUPIL_DAY, "95.50", quantity="20"), 14).total == D("26740.00")
    # a fixed € 18.000 per group per year, twice (two years)
    assert line_cost(line(GROUP_YEAR, "18000.00", quantity="2"), 14).total == D("36000.00")


def test_scenario_totals_of_the_example() -> None:
    totals = scenario_totals([SBO, GROUP_JEUGDHULP, INDIVIDUAL_JEUGDHULP], group_size=14)
    # 92883,28 + 16320,00 + 18720,00
    assert totals.total == D("127923.28")
    assert totals.per_payer == {"swv": D("92883.28"), "gemeente": D("35040.00")}
    assert totals.per_stream == {
        "ondersteuningsbekostiging": D("92883.28"),
        "jeugdhulp-collectief": D("16320.00"),
        "jeugdhulp-individueel": D("18720.00"),
    }
    # 127923,28 / 14 = 9137,377… → 9137,38; 35040 / 14 = 2502,857… → 2502,86
    assert totals.per_pupil == D("9137.38")
    assert totals.per_pupil_per_payer == {"swv": D("6634.52"), "gemeente": D("2502.86")}
    assert list(totals.per_payer) == ["swv", "gemeente"]  # order of first occurrence


def test_difference_names_who_pays_more_and_who_saves() -> None:
    current = scenario_totals([SBO, INDIVIDUAL_JEUGDHULP], 14)
    desired = scenario_totals(
        [SBO, GROUP_JEUGDHULP, line(GROUP_YEAR, "5000", payer="school", stream="eigen-middelen")],
        14,
    )
    # gemeente: 16320 − 18720 = −2400 (saves); school: +5000 (pays more); swv unchanged
    assert difference(desired, current) == {
        "swv": D("0.00"),
        "gemeente": D("-2400.00"),
        "school": D("5000.00"),
    }


def test_an_empty_scenario_costs_nothing() -> None:
    totals = scenario_totals([], 12)
    assert totals.total == D("0.00")
    assert totals.per_payer == {} and totals.per_pupil == D("0.00")


@pytest.mark.parametrize(
    ("rate", "hours", "expected_per_pupil"),
    [
        ("10.01", "0.50", "5.01"),  # 5,005 rounds up, not to the even 5,00
        ("10.03", "0.50", "5.02"),  # 5,015 rounds up to 5,02
        ("0.01", "0.40", "0.00"),  # 0,004 rounds down
    ],
)
def test_rounding_is_half_up_to_the_cent(rate: str, hours: str, expected_per_pupil: str) -> None:
    cost = line_cost(line(PUPIL_HOUR, rate, hours=hours, weeks="1", pupils=3), 14)
    assert cost.per_pupil == D(expected_per_pupil)
    # Rounded per pupil first, then multiplied: 3 × 5,01 = 15,03 (not 15,015 → 15,02)
    assert cost.total == D(expected_per_pupil) * 3


def test_per_pupil_of_a_scenario_rounds_half_up() -> None:
    # € 0,10 over 4 pupils is € 0,025 → € 0,03
    totals = scenario_totals([line(GROUP_YEAR, "0.10")], group_size=4)
    assert totals.per_pupil == D("0.03")


@pytest.mark.parametrize(
    "bad",
    [
        line(PUPIL_YEAR, "-1"),
        line(PUPIL_YEAR, "10", quantity="-1"),
        line(PUPIL_HOUR, "10", hours="-1", weeks="40"),
        line(PUPIL_HOUR, "10", hours="1", weeks="-40"),
        line(PUPIL_YEAR, "10", pupils=-2),
        line(PUPIL_HOUR, "78", hours=None, weeks="40"),
        line(GROUP_HOUR, "51", hours="8", weeks=None),
        line("per_maand", "10"),
        line(PUPIL_YEAR, "NaN"),
        line(PUPIL_YEAR, "Infinity"),
    ],
    ids=[
        "negative rate",
        "negative quantity",
        "negative hours",
        "negative weeks",
        "negative pupils",
        "hourly without hours",
        "hourly without weeks",
        "unknown unit",
        "not a number",
        "infinite",
    ],
)
def test_bad_input_is_refused(bad: LineInput) -> None:
    with pytest.raises(ValueError):
        line_cost(bad, 14)
    with pytest.raises(ValueError):
        scenario_totals([SBO, bad], 14)


@pytest.mark.parametrize("group_size", [0, -3])
def test_a_group_has_at_least_one_pupil(group_size: int) -> None:
    with pytest.raises(ValueError):
        scenario_totals([SBO], group_size)
    with pytest.raises(ValueError):
        line_cost(SBO, group_size)


# --- properties -----------------------------------------------------------------------------

PROPERTY = settings(database=None, deadline=None, max_examples=150)
PAYERS = ["school", "swv", "gemeente", "zorgkantoor", "zorgverzekeraar"]
STREAMS = ["basisbekostiging", "ondersteuningsbekostiging", "jeugdhulp-collectief", "wlz", "zvw"]

amounts = st.decimals(min_value=0, max_value=D("250000"), places=2)
hours = st.decimals(min_value=0, max_value=60, places=2)
weeks = st.decimals(min_value=0, max_value=52, places=1)
quantities = st.decimals(min_value=0, max_value=366, places=2)
group_sizes = st.integers(min_value=1, max_value=500)


def lines(units: list[str], pupils: st.SearchStrategy[int | None]) -> st.SearchStrategy[LineInput]:
    return st.builds(
        LineInput,
        unit=st.sampled_from(units),
        rate=amounts,
        quantity=quantities,
        hours_per_week=hours,
        weeks=weeks,
        pupils=pupils,
        payer=st.sampled_from(PAYERS),
        funding_stream=st.sampled_from(STREAMS),
    )


any_lines = st.lists(
    lines(sorted(calculations.UNITS), st.none() | st.integers(1, 1000)), max_size=12
)
per_pupil_lines = st.lists(lines(sorted(calculations.PER_PUPIL_UNITS), st.none()), max_size=12)


@PROPERTY
@given(any_lines, group_sizes)
def test_payer_totals_add_up_to_the_total_exactly(items: list[LineInput], size: int) -> None:
    totals = scenario_totals(items, size)
    assert sum(totals.per_payer.values(), D(0)) == totals.total


@PROPERTY
@given(any_lines, group_sizes)
def test_stream_totals_add_up_to_the_total_exactly(items: list[LineInput], size: int) -> None:
    totals = scenario_totals(items, size)
    assert sum(totals.per_stream.values(), D(0)) == totals.total


@PROPERTY
@given(any_lines, group_sizes)
def test_every_amount_is_in_whole_cents(items: list[LineInput], size: int) -> None:
    totals = scenario_totals(items, size)
    for amount in [totals.total, totals.per_pupil, *totals.per_pupil_per_payer.values()]:
        assert amount == amount.quantize(D("0.01"))


@PROPERTY
@given(per_pupil_lines, group_sizes, st.integers(min_value=1, max_value=20))
def test_scaling_the_group_scales_per_pupil_lines_exactly(
    items: list[LineInput], size: int, k: int
) -> None:
    small = scenario_totals(items, size)
    large = scenario_totals(items, size * k)
    assert large.total == small.total * k
    assert large.per_payer == {payer: amount * k for payer, amount in small.per_payer.items()}


@PROPERTY
@given(st.lists(lines(sorted(calculations.GROUP_UNITS), st.none()), max_size=8), group_sizes)
def test_group_lines_do_not_depend_on_the_group_size(items: list[LineInput], size: int) -> None:
    assert scenario_totals(items, size).total == scenario_totals(items, size + 7).total


@PROPERTY
@given(any_lines, group_sizes)
def test_a_scenario_does_not_differ_from_itself(items: list[LineInput], size: int) -> None:
    totals = scenario_totals(items, size)
    assert all(amount == 0 for amount in difference(totals, totals).values())


@PROPERTY
@given(any_lines, any_lines, group_sizes)
def test_difference_is_antisymmetric(a: list[LineInput], b: list[LineInput], size: int) -> None:
    first, second = scenario_totals(a, size), scenario_totals(b, size)
    forward = difference(second, first)
    backward = difference(first, second)
    assert forward == {payer: -amount for payer, amount in backward.items()}
    assert set(forward) == set(first.per_payer) | set(second.per_payer)


@PROPERTY
@given(any_lines, group_sizes)
def test_a_line_total_follows_from_its_stored_unit_amount(
    items: list[LineInput], size: int
) -> None:
    # The region view adds lines up from `unit_amount_cents` in the database: it must give the
    # very figure of the cost page for every line.
    for item in items:
        cents = calculations.unit_amount_cents(
            item.unit, item.rate, item.quantity, item.hours_per_week, item.weeks
        )
        total = calculations.line_total_cents(item.unit, cents, item.pupils, size)
        assert D(total).scaleb(-2) == line_cost(item, size).total
