import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zio.common.privacy import (
    HIDDEN_MARK,
    SuppressedCount,
    clamp_percentage,
    round_to_base,
    share_percent,
    suppress_count,
    suppress_distribution,
    suppress_overlap,
    suppress_part,
)


@pytest.mark.parametrize(
    ("count", "shown"), [(0, "< 10"), (1, "< 10"), (9, "< 10"), (10, "10"), (250, "250")]
)
def test_counts_below_threshold_are_suppressed(count: int, shown: str) -> None:
    assert str(suppress_count(count, threshold=10)) == shown


def test_threshold_is_a_parameter() -> None:
    assert str(suppress_count(6, threshold=5)) == "6"
    assert suppress_count(4, threshold=5).is_suppressed


def test_negative_counts_are_refused() -> None:
    with pytest.raises(ValueError):
        suppress_count(-1)


@pytest.mark.parametrize(("count", "rounded"), [(0, 0), (2, 0), (3, 5), (12, 10), (13, 15)])
def test_round_to_base(count: int, rounded: int) -> None:
    assert round_to_base(count) == rounded


@pytest.mark.parametrize(("pct", "shown"), [(0.0, 5.0), (4.9, 5.0), (50.0, 50.0), (99.0, 95.0)])
def test_clamp_percentage(pct: float, shown: float) -> None:
    assert clamp_percentage(pct) == shown


# --- secondary suppression -------------------------------------------------------------------

PROPERTY = settings(database=None, deadline=None, max_examples=300)


def shown(cells: list[SuppressedCount]) -> list[str]:
    return [str(cell) for cell in cells]


def test_secondary_cells_show_as_a_mark_that_claims_no_size() -> None:
    assert str(SuppressedCount(value=None, threshold=10, secondary=True)) == HIDDEN_MARK == "×"
    assert SuppressedCount(value=None, threshold=10, secondary=True).is_suppressed
    with pytest.raises(ValueError):
        SuppressedCount(value=12, threshold=10, secondary=True)


def test_distribution_without_small_cells_is_shown_whole() -> None:
    assert shown(suppress_distribution([12, 40, 10], 10)) == ["12", "40", "10"]
    assert suppress_distribution([], 10) == []


def test_one_small_cell_takes_the_smallest_other_cell_with_it() -> None:
    # Alone, the 5 would be 87 - 40 - 12 - 30.
    assert shown(suppress_distribution([5, 40, 12, 30], 10)) == ["×", "40", "×", "30"]


def test_ties_for_the_smallest_other_cell_go_to_the_later_one() -> None:
    assert shown(suppress_distribution([12, 5, 40, 12], 10)) == ["12", "×", "40", "×"]


def test_several_small_cells_with_an_open_sum_stay_small() -> None:
    # 3 + 4 = 7 can be split many ways within 0-9, so "< 10" is true and safe.
    assert shown(suppress_distribution([3, 40, 4], 10)) == ["< 10", "40", "< 10"]


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        # Two cells, difference 2: with listed values occurring, both must be 1.
        ([1, 30, 1, 20], ["×", "30", "×", "×"]),
        # Difference 18 within 0-9 each: both must be 9.
        ([9, 40, 9, 25], ["×", "40", "×", "×"]),
        # Nothing to add: the two cells still lose their "< 10".
        ([9, 9], ["×", "×"]),
    ],
)
def test_small_cells_whose_sum_pins_them_take_another_cell(
    counts: list[int], expected: list[str]
) -> None:
    assert shown(suppress_distribution(counts, 10)) == expected


def test_all_small_cells_are_suppressed() -> None:
    assert shown(suppress_distribution([3, 4, 2], 10)) == ["< 10", "< 10", "< 10"]


def test_distribution_refuses_negative_counts() -> None:
    with pytest.raises(ValueError):
        suppress_distribution([12, -1], 10)


def possible_values(cells: list[SuppressedCount], counts: list[int], lowest: int) -> list[range]:
    """What someone can tell of each hidden cell from the total and the shown cells: "< t" is
    lowest..t-1, "×" lowest..(sum of hidden), and all hidden cells add up to that sum."""
    hidden = [i for i, cell in enumerate(cells) if cell.is_suppressed]
    rest = sum(counts[i] for i in hidden)
    bounds = [(lowest, rest if cells[i].secondary else cells[i].threshold - 1) for i in hidden]
    result = []
    for k, (low, high) in enumerate(bounds):
        others_low = sum(b[0] for m, b in enumerate(bounds) if m != k)
        others_high = sum(b[1] for m, b in enumerate(bounds) if m != k)
        result.append(range(max(low, rest - others_high), min(high, rest - others_low) + 1))
    return result


@PROPERTY
@given(
    st.lists(st.integers(min_value=0, max_value=60), min_size=1, max_size=8),
    st.integers(min_value=2, max_value=15),
)
def test_no_hidden_cell_can_be_computed_back(counts: list[int], threshold: int) -> None:
    cells = suppress_distribution(counts, threshold)
    hidden = [i for i, cell in enumerate(cells) if cell.is_suppressed]
    assert all(cell.value >= threshold for cell in cells if cell.value is not None)
    assert all(counts[i] < threshold or cells[i].secondary for i in hidden)
    if sum(counts) < threshold or not hidden:
        return  # a total below the threshold is not shown at all
    rest = sum(counts[i] for i in hidden)
    assert len(hidden) >= 2 and (rest >= threshold or not any(c.secondary for c in cells))
    assert all(len(values) >= 2 for values in possible_values(cells, counts, lowest=0))


@PROPERTY
@given(
    st.lists(st.integers(min_value=1, max_value=60), min_size=1, max_size=8),
    st.integers(min_value=2, max_value=15),
)
def test_no_hidden_cell_can_be_computed_back_when_only_occurring_values_are_listed(
    counts: list[int], threshold: int
) -> None:
    cells = suppress_distribution(counts, threshold)
    if sum(counts) < threshold or all(cell.is_suppressed for cell in cells):
        # Every cell hidden: the labels alone can tell (10 ages for 10 pupils), so callers
        # that list only occurring values show no such distribution at all.
        return
    assert all(len(values) >= 2 for values in possible_values(cells, counts, lowest=1))


# --- parts and overlaps ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [
        (40, 100, "40"),
        (10, 20, "10"),
        (5, 100, "< 10"),
        (0, 100, "< 10"),
        (95, 100, "×"),  # the 5 without would follow
        (100, 100, "×"),
        (5, 15, "×"),  # with fewer than 2 x 10 pupils, "< 10" next to "×" would tell
        (12, 15, "×"),
    ],
)
def test_suppress_part(part: int, whole: int, expected: str) -> None:
    assert str(suppress_part(part, whole, 10)) == expected


def test_suppress_part_refuses_a_part_outside_the_whole() -> None:
    with pytest.raises(ValueError):
        suppress_part(11, 10, 10)


@pytest.mark.parametrize("threshold", [2, 3, 5, 10])
def test_a_hidden_part_keeps_several_possible_values(threshold: int) -> None:
    # Knowing the rule, the whole and how the part is shown, at least two parts remain.
    for whole in range(1, 4 * threshold):
        seen: dict[str, set[int]] = {}
        for part in range(whole + 1):
            seen.setdefault(str(suppress_part(part, whole, threshold)), set()).add(part)
        hidden = {text: parts for text, parts in seen.items() if not text.isdigit()}
        assert all(len(parts) >= 2 for parts in hidden.values()), (whole, hidden)


def test_overlap_is_shown_only_when_its_whole_table_is_large() -> None:
    # both 20, only first 20, only second 30, neither 30
    assert str(suppress_overlap(20, 40, 50, 100, 10)) == "20"
    assert str(suppress_overlap(5, 40, 50, 100, 10)) == "×"  # small overlap
    assert str(suppress_overlap(35, 40, 50, 100, 10)) == "×"  # only 5 with the first alone
    assert str(suppress_overlap(12, 40, 50, 80, 10)) == "×"  # only 2 with neither


def test_overlap_refuses_impossible_tables() -> None:
    with pytest.raises(ValueError):
        suppress_overlap(41, 40, 50, 100, 10)
    with pytest.raises(ValueError):
        suppress_overlap(0, 60, 50, 100, 10)  # 110 pupils in 100


@pytest.mark.parametrize("threshold", [2, 3, 5])
def test_a_hidden_overlap_keeps_several_possible_values(threshold: int) -> None:
    # For every pair of shown margins, the overlaps shown as "×" are never just one value.
    for whole in range(2 * threshold, 6 * threshold):
        for first in range(threshold, whole - threshold + 1):
            for second in range(first, whole - threshold + 1):
                possible = range(max(0, first + second - whole), min(first, second) + 1)
                hidden = [
                    b
                    for b in possible
                    if suppress_overlap(b, first, second, whole, threshold).is_suppressed
                ]
                assert len(hidden) != 1, (whole, first, second, hidden)


@pytest.mark.parametrize(
    ("part", "whole", "pct"),
    [(1, 200, 5), (50, 100, 50), (1, 8, 13), (3, 8, 38), (199, 200, 95), (0, 10, 5)],
)
def test_share_percent_is_whole_half_up_and_clamped(part: int, whole: int, pct: int) -> None:
    assert share_percent(part, whole) == pct


def test_share_percent_needs_a_whole() -> None:
    with pytest.raises(ValueError):
        share_percent(0, 0)
