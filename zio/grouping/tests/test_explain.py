"""Explaining groups in Dutch, holding only what may be shown. No database needed."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pytest

from zio.grouping.analysis import GroupProfile, profiles
from zio.grouping.explain import (
    ASSIGNMENT_MISMATCH,
    SIGNALS_MISMATCH,
    GroupExplanation,
    explain_groups,
    profile_heatmap,
    stability_label,
)
from zio.screening.spec import NO_SCHOOL_TYPE, UNKNOWN, ParsedScreening, SignalColumn

OVER = SignalColumn(signal_id=1, name="Overprikkeling", domain="Prikkelverwerking")
EMOTION = SignalColumn(signal_id=2, name="Problemen met emotieregulatie", domain="Sociaal")
LVB = SignalColumn(signal_id=3, name="LVB", domain="Cognitie")
FOCUS = SignalColumn(signal_id=4, name="Focus- en concentratieproblemen", domain="Prikkels")
HOME = SignalColumn(signal_id=5, name="Belast gezinssysteem", domain="Gezin")
SIGNALS = (OVER, EMOTION, LVB, FOCUS, HOME)
PO, SBO, SO = 0, 1, 2


def column(*runs: tuple[int, int]) -> list[int]:
    """A column from (value, how many) runs: column((1, 3), (0, 2)) == [1, 1, 1, 0, 0]."""
    return [value for value, times in runs for _ in range(times)]


def screening(
    columns: Sequence[Sequence[int]],
    *,
    ages: Sequence[int] | None = None,
    school_types: Sequence[int] | None = None,
    support: Sequence[Sequence[int]] = (),
) -> ParsedScreening:
    """A screening whose signals (and support) are given column by column."""
    n = len(columns[0])
    return ParsedScreening(
        code_hashes=np.zeros((n, 32), dtype=np.uint8),
        ages=np.array(ages if ages is not None else [9] * n, dtype=np.int16),
        grades=np.full(n, UNKNOWN, dtype=np.int16),
        school_types=np.array(school_types if school_types is not None else [SBO] * n, np.uint8),
        signals=np.array(columns, dtype=np.uint8).T.copy(),
        support=np.array(support, dtype=np.uint8).T.reshape(n, len(support)).copy(),
        signal_ids=[s.signal_id for s in SIGNALS[: len(columns)]],
        support_names=[f"Steun {i}" for i in range(1, len(support) + 1)],
    )


def explain(
    parsed: ParsedScreening,
    assignment: Sequence[int],
    *,
    stability: Sequence[float | None] | None = None,
    threshold: int = 10,
) -> list[GroupExplanation]:
    labels = np.array(assignment, dtype=np.int16)
    posterior = np.full(len(labels), 0.874, dtype=np.float32)
    groups = profiles(parsed.signals, labels, posterior)
    for group, value in zip(groups, stability or [None] * len(groups), strict=True):
        group.stability = value
    population = (parsed.signals >= 1).mean(axis=0)
    width = parsed.signals.shape[1]
    return explain_groups(parsed, SIGNALS[:width], labels, groups, population, threshold)


def two_groups() -> tuple[ParsedScreening, list[int]]:
    """Group 1: 20 pupils, group 2: 20 pupils.

    overprikkeling: 16 of group 1, 4 of group 2 -> 80 % vs 50 %: sets group 1 apart
    emotieregulatie: 12 of group 1, 2 of group 2 -> 60 % vs 35 %: sets group 1 apart
    LVB: 6 of group 1, 0 of group 2 -> 30 % vs 15 %: sets group 1 apart (just)
    focus: 20 of group 1, 14 of group 2 -> 100 % vs 85 %: 15 points, but ratio < 1.5
    gezin: 5 of group 1, 1 of group 2 -> 25 % vs 15 %: under 30 % of the group
    """
    columns = [
        column((1, 16), (0, 4), (1, 4), (0, 16)),
        column((3, 12), (0, 8), (2, 2), (0, 18)),
        column((1, 6), (0, 14), (0, 20)),
        column((1, 20), (1, 14), (0, 6)),
        column((1, 5), (0, 15), (1, 1), (0, 19)),
    ]
    return screening(columns), [1] * 20 + [2] * 20


# --- suppression ------------------------------------------------------------------------------


def test_a_small_group_shows_its_size_as_fewer_than_ten_and_nothing_else() -> None:
    parsed = screening([column((1, 7), (0, 20))], ages=[8] * 27, school_types=[SO] * 27)
    large, small = explain(parsed, [2] * 7 + [1] * 20, stability=[0.9, 0.9])
    assert str(small.size) == "< 10"
    assert small.size.is_suppressed
    assert small.title == "Kleine groep"
    assert small.distinguishing == small.ages == small.school_types == small.support == ()
    assert (small.age_min, small.age_max, small.main_school_type) == (None, None, "")
    assert (small.mean_posterior, small.stability, small.stability_label) == (0, None, "")
    assert str(large.size) == "20"


def test_the_threshold_is_a_setting() -> None:
    parsed, assignment = two_groups()
    assert all(e.size.is_suppressed for e in explain(parsed, assignment, threshold=21))
    assert not any(e.size.is_suppressed for e in explain(parsed, assignment, threshold=20))


def test_counts_inside_a_group_are_rounded_to_five() -> None:
    ages = [8] * 7 + [9] * 3 + [10] * 1 + [UNKNOWN] * 2 + [11] * 12
    types = [PO] * 13 + [SBO] * 11 + [NO_SCHOOL_TYPE] * 1
    parsed = screening([[1] * 25], ages=ages, school_types=types)
    (group,) = explain(parsed, [1] * 25)
    # 7 -> 5, 3 -> 5, 1 -> 0 (left out), 12 -> 10; unknown (2 -> 0) left out.
    assert group.ages == (("8", 5), ("9", 5), ("11", 10))
    assert group.school_types == (("PO", 15), ("SBO", 10))  # 13 -> 15, 11 -> 10, 1 -> 0
    assert all(count % 5 == 0 for _label, count in (*group.ages, *group.school_types))


def test_unknown_ages_and_school_types_come_last() -> None:
    ages = [UNKNOWN] * 5 + [12] * 10
    types = [NO_SCHOOL_TYPE] * 5 + [SO] * 10
    (group,) = explain(screening([[0] * 15], ages=ages, school_types=types), [1] * 15)
    assert group.ages == (("12", 10), ("onbekend", 5))
    assert group.school_types == (("SO", 10), ("onbekend", 5))
    assert group.main_school_type == "SO"  # the unknown ones do not count


def test_percentages_are_whole_and_clamped() -> None:
    support = [
        column((1, 40), (0, 60)),
        column((1, 1), (0, 99)),
        column((1, 13), (0, 87)),
        [0] * 100,
    ]
    parsed = screening([column((1, 40), (0, 60)), [0] * 100], support=support)
    group, rest = explain(parsed, [1] * 40 + [2] * 60)
    # In the group: 40 of 40 -> 95, 1 of 40 -> 5 (2.5 clamped), 13 of 40 -> 33 (32.5 half up).
    assert group.support == (("Steun 1", 95), ("Steun 2", 5), ("Steun 3", 33))  # 4 never occurs
    # Overprikkeling: 100 % of the group (95), 40 % of all.
    assert [(d.pct_group, d.pct_all) for d in group.distinguishing] == [(95, 40)]
    assert rest.distinguishing == ()


# --- what sets a group apart -------------------------------------------------------------------


def test_distinguishing_signals_and_their_sentences() -> None:
    parsed, assignment = two_groups()
    first, second = explain(parsed, assignment)
    assert [d.signal for d in first.distinguishing] == [OVER, EMOTION, LVB]  # 30, 25, 15 points
    shown = [(d.pct_group, d.pct_all) for d in first.distinguishing]
    assert shown == [(80, 50), (60, 35), (30, 15)]
    assert first.distinguishing[0].sentence == (
        "80% van deze groep heeft overprikkeling, tegen 50% van alle leerlingen"
    )
    # An abbreviation keeps its capitals inside the sentence.
    assert first.distinguishing[2].sentence == (
        "30% van deze groep heeft LVB, tegen 15% van alle leerlingen"
    )
    assert second.distinguishing == ()


def test_the_title_is_the_two_main_signals() -> None:
    parsed, assignment = two_groups()
    first, second = explain(parsed, assignment)
    assert first.title == "Overprikkeling, problemen met emotieregulatie"
    assert second.title == "Gemengde groep"


def test_a_title_starts_with_a_capital_and_keeps_abbreviations() -> None:
    lower = SignalColumn(signal_id=9, name="overprikkeling", domain="")
    profile = GroupProfile(1, 20, np.array([0.9, 0.8]), 0.9, None)
    parsed = screening([column((1, 18), (0, 22)), column((1, 16), (0, 24))])
    parsed.signal_ids = [9, 3]
    (explanation,) = explain_groups(
        parsed, [lower, LVB], np.array([1] * 20 + [0] * 20), [profile], np.array([0.45, 0.4]), 10
    )
    assert explanation.title == "Overprikkeling, LVB"


def test_at_most_five_distinguishing_signals() -> None:
    signals = [SignalColumn(signal_id=i, name=f"Signaal {i}", domain="") for i in range(1, 9)]
    # Signal i: all of group 1 has it, and i pupils of group 2: a smaller difference as i grows.
    values = np.zeros((40, 8), dtype=np.uint8)
    values[:20] = 1
    for i in range(8):
        values[20 : 20 + i + 1, i] = 1
    parsed = screening(values.T.tolist())
    parsed.signal_ids = list(range(1, 9))
    labels = np.array([1] * 20 + [2] * 20)
    groups = profiles(values, labels)
    first = explain_groups(parsed, signals, labels, groups, values.mean(axis=0), 10)[0]
    assert [d.signal.signal_id for d in first.distinguishing] == [1, 2, 3, 4, 5]


# --- who is in the group ---------------------------------------------------------------------


def test_the_age_band_leaves_out_the_youngest_and_oldest() -> None:
    ages = [4] + [9] * 8 + [10] * 8 + [18] + [UNKNOWN] * 2
    (group,) = explain(screening([[1] * 20], ages=ages), [1] * 20)
    assert (group.age_min, group.age_max) == (9, 10)
    spread = list(range(5, 25))  # 20 different ages
    (group,) = explain(screening([[1] * 20], ages=spread), [1] * 20)
    assert (group.age_min, group.age_max) == (7, 22)  # 10th and 90th percentile, taken inward


def test_no_age_band_from_fewer_known_ages_than_the_threshold() -> None:
    ages = [9] * 9 + [UNKNOWN] * 11
    (group,) = explain(screening([[1] * 20], ages=ages), [1] * 20)
    assert (group.age_min, group.age_max) == (None, None)
    assert group.ages == (("9", 10), ("onbekend", 10))


def test_the_main_school_type_is_the_most_common_one() -> None:
    types = [SO] * 6 + [SBO] * 6 + [PO] * 3
    (group,) = explain(screening([[1] * 15], school_types=types), [1] * 15)
    assert group.main_school_type == "SBO"  # equal to SO: the first in SCHOOL_TYPES order
    (group,) = explain(screening([[1] * 15], school_types=[NO_SCHOOL_TYPE] * 15), [1] * 15)
    assert group.main_school_type == ""


def test_posterior_and_stability() -> None:
    parsed, assignment = two_groups()
    first, second = explain(parsed, assignment, stability=[0.8, 0.62])
    assert first.mean_posterior == 87  # 0.874
    assert (first.stability, first.stability_label) == (0.8, "stabiel")
    assert second.stability_label == "twijfelachtig"
    assert stability_label(0.75) == "stabiel"
    assert stability_label(0.6) == "twijfelachtig"
    assert stability_label(0.59) == "onstabiel"
    assert stability_label(None) == ""


def test_a_merged_group_without_posterior_shows_zero() -> None:
    parsed, assignment = two_groups()
    labels = np.array(assignment)
    groups = profiles(parsed.signals, labels)  # no posterior_max: NaN
    population = (parsed.signals >= 1).mean(axis=0)
    first = explain_groups(parsed, SIGNALS, labels, groups, population, 10)[0]
    assert first.mean_posterior == 0


# --- mistakes by the caller -------------------------------------------------------------------


def test_mismatches_are_refused() -> None:
    parsed, assignment = two_groups()
    labels = np.array(assignment)
    groups = profiles(parsed.signals, labels)
    population = (parsed.signals >= 1).mean(axis=0)
    with pytest.raises(ValueError, match=SIGNALS_MISMATCH):
        explain_groups(parsed, SIGNALS[:4], labels, groups, population, 10)
    with pytest.raises(ValueError, match=ASSIGNMENT_MISMATCH):
        explain_groups(parsed, SIGNALS, labels[:-1], groups, population, 10)
    groups[0].size = 21
    with pytest.raises(ValueError, match="Group 1 has 21 pupils"):
        explain_groups(parsed, SIGNALS, labels, groups, population, 10)


# --- heatmap ------------------------------------------------------------------------------


def heatmap_groups() -> tuple[list[GroupProfile], npt.NDArray[np.float64]]:
    groups = [
        GroupProfile(1, 40, np.array([0.9, 0.1, 0.6, 0.3, 0.02]), 0.9, None),
        GroupProfile(2, 30, np.array([0.1, 0.8, 0.4, 0.4, 1.0]), 0.9, None),
        GroupProfile(3, 5, np.array([1.0, 1.0, 1.0, 1.0, 1.0]), 0.9, None),  # too small
    ]
    return groups, np.array([0.55, 0.4, 0.5, 0.3, 0.45])


def test_heatmap_orders_signals_by_the_group_they_mark() -> None:
    groups, population = heatmap_groups()
    signals, rows = profile_heatmap(groups, population, SIGNALS)
    # Above all pupils: group 1 has overprikkeling (+.35) and LVB (+.1); group 2 gezin (+.55),
    # emotieregulatie (+.4) and focus (+.1).
    assert signals == (OVER, LVB, HOME, EMOTION, FOCUS)
    assert [number for number, _cells in rows] == [1, 2]  # group 3 (5 pupils) has no row
    # (pct clamped to 5-95, level: < 10 % -> 0, 10-30 % -> 1, ..., >= 90 % -> 5)
    assert rows[0][1] == ((90, 5), (60, 3), (5, 0), (10, 1), (30, 2))
    assert rows[1][1] == ((10, 1), (40, 2), (95, 5), (80, 4), (40, 2))


def test_heatmap_top_and_threshold() -> None:
    groups, population = heatmap_groups()
    signals, rows = profile_heatmap(groups, population, SIGNALS, top=2)
    assert signals == (OVER, HOME)  # the two largest differences, in diagonal order
    assert all(len(cells) == 2 for _number, cells in rows)
    _signals, rows = profile_heatmap(groups, population, SIGNALS, threshold=5)
    assert [number for number, _cells in rows] == [1, 2, 3]
    assert profile_heatmap(groups, population, SIGNALS, threshold=100) == ((), ())
