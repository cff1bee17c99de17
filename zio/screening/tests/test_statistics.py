"""Population statistics: known counts on small hand-made screenings, and properties that must
hold for any screening (checked with hypothesis). No database needed."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zio.common.privacy import SuppressedCount
from zio.screening.spec import NO_SCHOOL_TYPE, SUPPORT_TYPES, UNKNOWN, ParsedScreening, SignalColumn
from zio.screening.statistics import (
    SIGNAL_COUNT_MISMATCH,
    UNKNOWN_SCHOOL_TYPE,
    Distribution,
    PopulationStatistics,
    Statement,
    name_in_sentence,
    population_statistics,
)

OVER = SignalColumn(signal_id=1, name="Overprikkeling", domain="Prikkelverwerking")
FOCUS = SignalColumn(
    signal_id=2, name="Focus- en concentratieproblemen", domain="Prikkelverwerking"
)
LVB = SignalColumn(signal_id=3, name="LVB", domain="Cognitie")


def runs(*parts: tuple[int, int]) -> list[int]:
    """A column from (value, how many) runs: runs((1, 3), (0, 2)) == [1, 1, 1, 0, 0]."""
    return [value for value, times in parts for _ in range(times)]


def screening(
    n: int,
    *,
    ages: Sequence[int] | None = None,
    grades: Sequence[int] | None = None,
    school_types: Sequence[int] | None = None,
    signals: Sequence[Sequence[int]] = (),
    support: Sequence[Sequence[int]] = (),
    signal_ids: list[int] | None = None,
) -> ParsedScreening:
    """A screening of n pupils; `signals` and `support` are given column by column."""

    def matrix(columns: Sequence[Sequence[int]]) -> np.ndarray:
        assert all(len(column) == n for column in columns)
        return np.array(columns, dtype=np.uint8).T.reshape(n, len(columns))

    return ParsedScreening(
        code_hashes=np.zeros((n, 32), dtype=np.uint8),
        ages=np.array(ages if ages is not None else [8] * n, dtype=np.int16),
        grades=np.array(grades if grades is not None else [UNKNOWN] * n, dtype=np.int16),
        school_types=np.array(school_types if school_types is not None else [0] * n, np.uint8),
        signals=matrix(signals),
        support=matrix(support),
        signal_ids=signal_ids if signal_ids is not None else list(range(1, len(signals) + 1)),
    )


def patterns(*groups: tuple[tuple[int, ...], int]) -> list[list[int]]:
    """Signal columns from groups of pupils sharing a pattern: ((1, 0), 30) is 30 pupils with
    the first signal and not the second."""
    width = len(groups[0][0])
    return [runs(*((pattern[j], times) for pattern, times in groups)) for j in range(width)]


def texts(distribution: Distribution) -> list[tuple[str, str]]:
    return [(label, str(count)) for label, count in distribution]


# --- too small ----------------------------------------------------------------------------------


def test_zero_pupils_is_too_small() -> None:
    result = population_statistics(screening(0, signals=[[]]), [OVER])
    assert result == PopulationStatistics(pupils=SuppressedCount(None, 10), too_small=True)
    assert str(result.pupils) == "< 10"


def test_fewer_pupils_than_the_threshold_show_nothing_else() -> None:
    parsed = screening(9, signals=[[1] * 9], support=[[1] * 9])
    result = population_statistics(parsed, [OVER])
    assert result.too_small
    assert result == PopulationStatistics(pupils=SuppressedCount(None, 10), too_small=True)
    assert result.signals_by_frequency == ()


def test_the_threshold_is_a_parameter() -> None:
    result = population_statistics(screening(12, ages=runs((6, 6), (7, 6))), [], threshold=5)
    assert result.pupils.value == 12
    assert texts(result.ages) == [("6", "6"), ("7", "6")]
    # At 5, the 3 is hidden and takes the 6 with it (9 - 6 would give it away): all hidden.
    result = population_statistics(screening(9, ages=runs((6, 6), (7, 3))), [], threshold=5)
    assert result.pupils.value == 9 and result.ages == ()


def test_exactly_the_threshold_is_shown() -> None:
    result = population_statistics(screening(10), [])
    assert not result.too_small and result.pupils.value == 10
    assert texts(result.ages) == [("8", "10")]


# --- distributions ------------------------------------------------------------------------------


def test_one_small_age_hides_the_smallest_other_cell_too() -> None:
    ages = runs((6, 30), (7, 25), (8, 4), (UNKNOWN, 12))
    result = population_statistics(screening(71, ages=ages), [])
    assert texts(result.ages) == [("6", "30"), ("7", "25"), ("8", "×"), ("onbekend", "×")]


def test_ties_for_the_smallest_other_cell_hide_the_later_label() -> None:
    ages = runs((6, 20), (7, 15), (8, 15), (9, 3))
    result = population_statistics(screening(53, ages=ages), [])
    assert texts(result.ages) == [("6", "20"), ("7", "15"), ("8", "×"), ("9", "×")]


def test_unknown_age_is_a_cell_after_the_ages() -> None:
    ages = runs((UNKNOWN, 50), (12, 11), (7, 40))
    result = population_statistics(screening(101, ages=ages), [])
    assert texts(result.ages) == [("7", "40"), ("12", "11"), ("onbekend", "50")]


def test_small_grades_with_an_open_sum_show_as_small() -> None:
    grades = runs((3, 40), (4, 4), (5, 5))
    result = population_statistics(screening(49, grades=grades), [])
    assert texts(result.grades) == [("3", "40"), ("4", "< 10"), ("5", "< 10")]


def test_two_single_pupils_take_another_grade_with_them() -> None:
    # "< 10" twice with a difference of 2 could only be 1 and 1.
    grades = runs((1, 1), (2, 30), (3, 1), (4, 20))
    result = population_statistics(screening(52, grades=grades), [])
    assert texts(result.grades) == [("1", "×"), ("2", "30"), ("3", "×"), ("4", "×")]


def test_a_distribution_with_every_cell_hidden_is_left_out() -> None:
    result = population_statistics(screening(11, grades=runs((1, 5), (2, 6))), [])
    assert result.grades == ()
    assert not result.too_small


def test_school_types_follow_their_order_and_list_only_those_present() -> None:
    codes = runs((2, 30), (0, 20), (NO_SCHOOL_TYPE, 3))
    result = population_statistics(screening(53, school_types=codes), [])
    assert texts(result.school_types) == [("PO", "×"), ("SO", "30"), ("onbekend", "×")]


def test_an_unknown_school_type_code_is_refused() -> None:
    with pytest.raises(ValueError, match=UNKNOWN_SCHOOL_TYPE):
        population_statistics(screening(20, school_types=runs((0, 19), (7, 1))), [])


# --- signals and support ------------------------------------------------------------------------


def signal_columns(count: int) -> list[SignalColumn]:
    return [SignalColumn(signal_id=i, name=f"Signaal {i}", domain="") for i in range(1, count + 1)]


def test_signal_counts_and_shares() -> None:
    columns = [runs((1, k), (0, 100 - k)) for k in (40, 5, 95, 10)]
    result = population_statistics(screening(100, signals=columns), signal_columns(4))
    assert [(str(s.count), s.share) for s in result.signals] == [
        ("40", 40),
        ("< 10", None),
        ("×", None),  # the 5 pupils without it would follow
        ("10", 10),
    ]
    assert not result.scale_0_3
    assert all(s.strong is None for s in result.signals)


def test_shares_are_whole_percent_clamped_to_5_and_95() -> None:
    columns = [runs((1, k), (0, 400 - k)) for k in (12, 390, 2)]
    result = population_statistics(screening(400, signals=columns), signal_columns(3))
    assert [(str(s.count), s.share) for s in result.signals] == [
        ("12", 5),  # 3 %
        ("390", 95),  # 97.5 %
        ("< 10", None),
    ]


def test_the_0_3_scale_also_counts_strong_signals() -> None:
    columns = [
        runs((1, 30), (2, 20), (3, 5), (0, 45)),  # 55 present, 25 strong
        runs((1, 50), (2, 3), (0, 47)),  # 3 strong
        runs((1, 8), (3, 4), (0, 88)),  # 4 strong of only 12
        runs((1, 5), (2, 20), (0, 75)),  # 20 strong: the 5 "not strong" would follow
    ]
    result = population_statistics(screening(100, signals=columns), signal_columns(4))
    assert result.scale_0_3
    assert [(str(s.count), str(s.strong)) for s in result.signals] == [
        ("55", "25"),
        ("53", "< 10"),
        ("12", "×"),
        ("25", "×"),
    ]


def test_signals_keep_spec_order_and_sort_by_shown_frequency() -> None:
    columns = [runs((1, k), (0, 100 - k)) for k in (20, 5, 60, 20, 95, 3)]
    signals = signal_columns(6)
    result = population_statistics(screening(100, signals=columns), signals)
    assert [s.signal for s in result.signals] == signals
    # Hidden counts last, in spec order, whatever their true size (95 and 3 alike).
    assert [s.signal.signal_id for s in result.signals_by_frequency] == [3, 1, 4, 2, 5, 6]


def test_signals_are_matched_to_columns_by_id() -> None:
    parsed = screening(100, signals=[runs((1, 40), (0, 60)), runs((1, 15), (0, 85))])
    parsed.signal_ids = [20, 10]
    ten, twenty = SignalColumn(10, "Tien", ""), SignalColumn(20, "Twintig", "")
    result = population_statistics(parsed, [ten, twenty])
    assert [(s.signal, str(s.count)) for s in result.signals] == [(ten, "15"), (twenty, "40")]
    with pytest.raises(ValueError, match="Signal 30 "):
        population_statistics(parsed, [SignalColumn(30, "Dertig", "")])


def test_without_ids_the_signals_match_the_columns_one_to_one() -> None:
    parsed = screening(100, signals=[runs((1, 40), (0, 60))])
    parsed.signal_ids = []
    assert population_statistics(parsed, [OVER]).signals[0].count.value == 40
    with pytest.raises(ValueError, match=SIGNAL_COUNT_MISMATCH):
        population_statistics(parsed, [OVER, FOCUS])


def test_support_counts_and_shares() -> None:
    columns = [runs((1, 30), (0, 70)), runs((1, 3), (0, 97))] + [[0] * 100] * 6
    result = population_statistics(screening(100, support=columns), [])
    assert [(s.name, str(s.count), s.share) for s in result.support[:3]] == [
        (SUPPORT_TYPES[0], "30", 30),
        (SUPPORT_TYPES[1], "< 10", None),
        (SUPPORT_TYPES[2], "< 10", None),
    ]
    assert len(result.support) == len(SUPPORT_TYPES)


# --- co-occurrence and statements ---------------------------------------------------------------

# 200 pupils: OVER 80, FOCUS 60, LVB 30; both OVER and FOCUS 40; OVER and LVB 25 (leaving only
# 5 with LVB alone); FOCUS and LVB none; a fourth signal with 4 pupils.
COOCCURRING = patterns(
    ((1, 1, 0, 0), 40),
    ((1, 0, 1, 0), 25),
    ((1, 0, 0, 1), 4),
    ((1, 0, 0, 0), 11),
    ((0, 1, 0, 0), 20),
    ((0, 0, 1, 0), 5),
    ((0, 0, 0, 0), 95),
)
RARE = SignalColumn(signal_id=4, name="Epilepsie", domain="Medisch")


def cooccurrence_texts(result: PopulationStatistics) -> list[list[tuple[str, int | None]]]:
    return [[(str(c.count), c.level) for c in row] for row in result.cooccurrence.rows]


def test_cooccurrence_of_the_most_frequent_shown_signals() -> None:
    result = population_statistics(screening(200, signals=COOCCURRING), [LVB, OVER, FOCUS, RARE])
    assert result.cooccurrence.signals == (OVER, FOCUS, LVB)  # RARE's count is hidden
    assert cooccurrence_texts(result) == [
        [("80", 5), ("40", 3), ("×", None)],  # 40 of 80 is 50 %: level 3 (50-70 %)
        [("40", 3), ("60", 5), ("×", None)],  # 40 of 60 is 67 %
        [("×", None), ("×", None), ("30", 5)],  # 25 with only 5 alone; 0
    ]


def test_cooccurrence_is_limited_to_top_k() -> None:
    result = population_statistics(
        screening(200, signals=COOCCURRING), [OVER, FOCUS, LVB, RARE], top_k=2
    )
    assert result.cooccurrence.signals == (OVER, FOCUS)
    result = population_statistics(
        screening(200, signals=COOCCURRING), [OVER, FOCUS, LVB, RARE], top_k=0
    )
    assert result.cooccurrence.rows == () and result.statements == ()


def test_a_hidden_overlap_gives_no_statement() -> None:
    # 25 of LVB's 30 have OVER (83 %, lift 2.1), but the overlap is hidden; FOCUS and OVER
    # qualify both ways (lift 1.67) and are said once, from the smaller FOCUS.
    result = population_statistics(screening(200, signals=COOCCURRING), [OVER, FOCUS, LVB, RARE])
    assert result.statements == (Statement(x=FOCUS, y=OVER, pct_given_x=67, pct_overall=40),)


# 200 pupils: OVER 40, FOCUS 60, both 30 (P(FOCUS|OVER) = 75 %, 30 % overall, lift 2.5);
# LVB 100, with OVER 24 (60 %, but 50 % overall: lift 1.2) and with FOCUS 25 (42 %).
STATEMENT_DATA = patterns(
    ((1, 1, 1), 15),
    ((1, 1, 0), 15),
    ((1, 0, 1), 9),
    ((1, 0, 0), 1),
    ((0, 1, 1), 10),
    ((0, 1, 0), 20),
    ((0, 0, 1), 66),
    ((0, 0, 0), 64),
)


def test_a_statement_that_qualifies_and_ones_that_do_not() -> None:
    result = population_statistics(screening(200, signals=STATEMENT_DATA), [OVER, FOCUS, LVB])
    assert result.statements == (Statement(x=OVER, y=FOCUS, pct_given_x=75, pct_overall=30),)
    assert result.statements[0].sentence == (
        "Van de leerlingen met overprikkeling heeft 75% ook focus- en concentratieproblemen; "
        "van alle leerlingen is dat 30%."
    )


def pairs_data(only_second: Sequence[int]) -> tuple[list[list[int]], list[SignalColumn]]:
    """Pairs (A_i, B_i) of signals on separate pupils: 20 with both, 10 with A_i alone and
    only_second[i] with B_i alone; 10 pupils with none."""
    groups: list[tuple[tuple[int, ...], int]] = []
    width = 2 * len(only_second)
    for i, extra in enumerate(only_second):
        for pattern, times in (((1, 1), 20), ((1, 0), 10), ((0, 1), extra)):
            row = [0] * width
            row[2 * i], row[2 * i + 1] = pattern
            groups.append((tuple(row), times))
    groups.append(((0,) * width, 10))
    return patterns(*groups), signal_columns(width)


def test_at_most_five_statements_strongest_lift_first() -> None:
    columns, signals = pairs_data([10, 15, 20, 25, 30, 35])  # lift falls from pair to pair
    result = population_statistics(screening(len(columns[0]), signals=columns), signals, top_k=12)
    assert [(s.x.signal_id, s.y.signal_id) for s in result.statements] == [
        (1, 2),  # A_0 and B_0 are as frequent: said from the one listed first
        (3, 4),
        (5, 6),
        (7, 8),
        (9, 10),
    ]


def test_statements_with_equal_lift_follow_the_signal_order() -> None:
    columns, signals = pairs_data([10, 10])
    reordered = [signals[2], signals[3], signals[0], signals[1]]
    result = population_statistics(screening(len(columns[0]), signals=columns), reordered)
    assert [(s.x.signal_id, s.y.signal_id) for s in result.statements] == [(3, 4), (1, 2)]


def test_a_sentence_keeps_abbreviations() -> None:
    statement = Statement(x=LVB, y=OVER, pct_given_x=64, pct_overall=30)
    assert statement.sentence == (
        "Van de leerlingen met LVB heeft 64% ook overprikkeling; van alle leerlingen is dat 30%."
    )


@pytest.mark.parametrize(
    ("name", "in_sentence"),
    [
        ("Overprikkeling", "overprikkeling"),
        ("Focus- en concentratieproblemen", "focus- en concentratieproblemen"),
        ("Hulp bij ADL", "hulp bij ADL"),
        ("LVB", "LVB"),
        ("TOS", "TOS"),
        ("EMB", "EMB"),
        ("MHB/hoogbegaafd", "MHB/hoogbegaafd"),
        ("(Z)MLK", "(Z)MLK"),
        ("agressie", "agressie"),
        ("", ""),
    ],
)
def test_name_in_sentence(name: str, in_sentence: str) -> None:
    assert name_in_sentence(name) == in_sentence


def test_the_result_cannot_be_changed() -> None:
    result = population_statistics(screening(10), [])
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.too_small = True  # type: ignore[misc]


# --- properties ---------------------------------------------------------------------------------


@st.composite
def screenings(draw: st.DrawFn) -> ParsedScreening:
    n = draw(st.integers(min_value=0, max_value=90))
    width = draw(st.integers(min_value=0, max_value=4))
    highest = draw(st.sampled_from([1, 3]))  # yes/no or the 0-3 scale
    rng = np.random.default_rng(draw(st.integers(min_value=0, max_value=2**32 - 1)))
    present = rng.random((n, width)) < rng.random(width)
    if width > 1:  # let signals go together now and then
        present[:, 1:] |= present[:, :1] & (rng.random((n, width - 1)) < rng.random())

    def skewed(values: list[int]) -> list[int]:
        weights = rng.dirichlet(np.full(len(values), 0.5))
        return [int(v) for v in rng.choice(values, size=n, p=weights)]

    return ParsedScreening(
        code_hashes=np.zeros((n, 32), dtype=np.uint8),
        ages=np.array(skewed([UNKNOWN, 4, 5, 6, 7, 8, 12]), dtype=np.int16),
        grades=np.array(skewed([UNKNOWN, 1, 2, 3]), dtype=np.int16),
        school_types=np.array(skewed([0, 1, 2, NO_SCHOOL_TYPE]), dtype=np.uint8),
        signals=np.where(present, rng.integers(1, highest + 1, size=(n, width)), 0).astype(
            np.uint8
        ),
        support=(rng.random((n, 2)) < rng.random(2)).astype(np.uint8),
        signal_ids=list(range(1, width + 1)),
        support_names=["Begeleiding", "Verpleging"],
    )


def check_distribution(distribution: Distribution, total: int, threshold: int) -> None:
    cells = [count for _label, count in distribution]
    shown = [c.value for c in cells if c.value is not None]
    hidden = [c for c in cells if c.is_suppressed]
    assert all(value >= threshold for value in shown)
    if not hidden:
        assert sum(shown) == (total if cells else 0)
    else:
        # No single hidden cell is the total minus the shown ones.
        assert total - sum(shown) >= threshold or len(hidden) >= 2
        assert len(hidden) >= 2


def check_part(count: SuppressedCount, true: int, whole: int, threshold: int) -> None:
    if count.value is not None:
        assert count.value == true and count.value >= threshold
        assert whole - count.value >= threshold


@settings(database=None, deadline=None, max_examples=200)
@given(screenings(), st.integers(min_value=2, max_value=12))
def test_nothing_shown_gives_a_small_count_away(parsed: ParsedScreening, threshold: int) -> None:
    signals = signal_columns(parsed.signals.shape[1])
    result = population_statistics(parsed, signals, threshold=threshold, top_k=3)
    total = parsed.pupil_count
    if total < threshold:
        assert result == PopulationStatistics(result.pupils, too_small=True)
        return
    assert result.pupils.value == total
    for distribution in (result.ages, result.grades, result.school_types):
        check_distribution(distribution, total, threshold)

    present = np.count_nonzero(parsed.signals, axis=0).tolist()
    strong = np.count_nonzero(parsed.signals >= 2, axis=0).tolist()
    for item, true, true_strong in zip(result.signals, present, strong, strict=True):
        check_part(item.count, true, total, threshold)
        assert (item.share is None) == item.count.is_suppressed
        assert item.share is None or 5 <= item.share <= 95
        if item.strong is not None:
            check_part(item.strong, true_strong, total, threshold)
            if item.count.value is not None:
                check_part(item.strong, true_strong, item.count.value, threshold)
    for support, true in zip(
        result.support, np.count_nonzero(parsed.support, axis=0).tolist(), strict=True
    ):
        check_part(support.count, true, total, threshold)
        assert support.share is None or 5 <= support.share <= 95

    rows = result.cooccurrence.rows
    for i, row in enumerate(rows):
        own_i = rows[i][i].count.value
        assert own_i is not None
        for j, cell in enumerate(row):
            assert cell.count == rows[j][i].count  # symmetric
            assert (cell.level is None) == cell.count.is_suppressed
            own_j = rows[j][j].count.value
            if i != j and cell.count.value is not None and own_j is not None:
                both = cell.count.value
                table = (both, own_i - both, own_j - both, total - own_i - own_j + both)
                assert min(table) >= threshold
    assert len(result.statements) <= 5
    for statement in result.statements:
        assert 5 <= statement.pct_given_x <= 95 and 5 <= statement.pct_overall <= 95
