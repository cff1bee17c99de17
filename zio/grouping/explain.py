"""The groups of a latent class analysis in plain Dutch: what sets each group apart, who is in
it, and how clearly its pupils belong to it, holding only what may be shown.

Pure: a ParsedScreening and the analysis' groups in, frozen dataclasses out; no ORM. Dutch
texts through gettext.

Which rule protects what (helpers in zio.common.privacy):

- **Group size** (primary, `suppress_count`): below the threshold it shows as "< 10", and the
  explanation holds nothing about the group's contents (no title from its signals, no
  percentages, ages, school types, support or model figures): every one of them would describe
  fewer pupils still. The service merges such groups away; this is the safety net.
- **Counts inside a group** (ages, school types): rounded to 5 (`round_to_base`); a cell that
  rounds to 0 is left out, and only ages and types that occur are listed.
- **Percentages** (signals, support): whole, clamped to 5-95 % (`share_percent`).
- **Age band** for the persona draft: the 10th to 90th percentile of the known ages, taken
  from the ages themselves inward (the 10th as the next age up, the 90th as the next age
  down), so the youngest and the oldest pupil never show; only with at least `threshold`
  known ages, else none.
- **Heatmap**: groups below the threshold get no row and do not count in choosing its signals.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import numpy.typing as npt
from django.utils.translation import gettext as _

from zio.common.privacy import (
    DEFAULT_THRESHOLD,
    SuppressedCount,
    round_to_base,
    share_percent,
    suppress_count,
)
from zio.grouping.analysis import GroupProfile
from zio.screening.spec import (
    NO_SCHOOL_TYPE,
    SCHOOL_TYPES,
    SUPPORT_TYPES,
    UNKNOWN,
    ParsedScreening,
    SignalColumn,
)
from zio.screening.statistics import UNKNOWN_LABEL, name_in_sentence

DISTINGUISHING_LIMIT = 5
# A signal sets a group apart when at least 30 % of the group has it, at least 15 points more
# than among all pupils, and at least 1.5 times as often (compared as exact fractions).
MIN_SHARE = Fraction(3, 10)
MIN_DIFFERENCE = Fraction(15, 100)
MIN_RATIO = Fraction(3, 2)
STABLE = 0.75  # Hennig's reading of the bootstrap Jaccard: >= 0.75 stable,
DOUBTFUL = 0.6  # 0.6-0.75 doubtful, below 0.6 the group dissolves
LEVELS = 5  # shading levels 0..5 of a heatmap cell
HEATMAP_TOP = 12

SIGNALS_MISMATCH = "The signals must match the analysed columns one to one."
ASSIGNMENT_MISMATCH = "The assignment must give one group number per pupil of the screening."
SIZE_MISMATCH = "Group {number} has {size} pupils in its profile but {count} in the assignment."
SUPPORT_COUNT_MISMATCH = "The support names do not match the support columns."

type Cells = tuple[tuple[str, int], ...]
type HeatmapRow = tuple[int, tuple[tuple[int, int], ...]]  # group number, (pct, level) per signal


@dataclass(frozen=True)
class DistinguishingSignal:
    signal: SignalColumn
    pct_group: int  # whole %, clamped 5-95
    pct_all: int  # whole %, clamped 5-95
    sentence: str  # "78% van deze groep heeft overprikkeling, tegen 21% van alle leerlingen"


@dataclass(frozen=True)
class GroupExplanation:
    number: int
    size: SuppressedCount  # primary suppression of the group size (threshold)
    title: str  # the top two distinguishing signals, "Gemengde groep" without any
    distinguishing: tuple[DistinguishingSignal, ...]  # at most 5, largest difference first
    ages: Cells  # pupils per age, rounded to 5; "onbekend" last
    school_types: Cells  # pupils per school type, rounded to 5; "onbekend" last
    support: Cells  # support name -> % of the group (5-95), only types that occur
    mean_posterior: int  # whole %
    stability: float | None
    stability_label: str  # "stabiel", "twijfelachtig", "onstabiel"; "" if None
    age_min: int | None  # 10th-90th percentile of known ages (never the extremes)
    age_max: int | None
    main_school_type: str  # most common known school type ("" if none)


def explain_groups(
    parsed: ParsedScreening,
    signals: Sequence[SignalColumn],
    result_assignment: npt.ArrayLike,
    groups: Sequence[GroupProfile],
    population_prevalence: npt.ArrayLike,
    threshold: int = DEFAULT_THRESHOLD,
) -> list[GroupExplanation]:
    """One explanation per group, in the order of `groups`. `signals[j]` describes column j of
    the analysed values (the columns of `prevalence`); `result_assignment` gives each pupil of
    `parsed` its group number (0 = set aside)."""
    population = _check_prevalence(population_prevalence, signals, groups)
    labels = np.asarray(result_assignment)
    if labels.shape != (parsed.pupil_count,):
        raise ValueError(ASSIGNMENT_MISMATCH)
    support_names = list(parsed.support_names) or list(SUPPORT_TYPES)
    if parsed.support.shape[1] and len(support_names) != parsed.support.shape[1]:
        raise ValueError(SUPPORT_COUNT_MISMATCH)
    total = parsed.pupil_count
    result = []
    for group in groups:
        member = labels == group.number
        count = int(np.count_nonzero(member))
        if count != group.size:
            raise ValueError(
                SIZE_MISMATCH.format(number=group.number, size=group.size, count=count)
            )
        size = suppress_count(group.size, threshold)
        if size.is_suppressed:
            result.append(_suppressed(group.number, size))
            continue
        distinguishing = _distinguishing(group, population, total, signals)
        ages = parsed.ages[member]
        age_min, age_max = _age_band(ages, threshold)
        school_types = parsed.school_types[member]
        result.append(
            GroupExplanation(
                number=group.number,
                size=size,
                title=_title(distinguishing),
                distinguishing=distinguishing,
                ages=_age_cells(ages),
                school_types=_school_type_cells(school_types),
                support=_support_cells(parsed.support[member], support_names),
                mean_posterior=_whole_percent(group.mean_posterior),
                stability=group.stability,
                stability_label=stability_label(group.stability),
                age_min=age_min,
                age_max=age_max,
                main_school_type=_main_school_type(school_types),
            )
        )
    return result


def profile_heatmap(
    groups: Sequence[GroupProfile],
    population_prevalence: npt.ArrayLike,
    signals: Sequence[SignalColumn],
    top: int = HEATMAP_TOP,
    threshold: int = DEFAULT_THRESHOLD,
) -> tuple[tuple[SignalColumn, ...], tuple[HeatmapRow, ...]]:
    """The share of each group with the `top` signals that set groups apart most, as
    (signals in column order, rows of (group number, [(pct 5-95, level 0-5) per signal])).

    A signal's weight is its largest difference (up or down) between a group and all pupils.
    The chosen signals are ordered by the group that has them most above all pupils (in group
    order), then by how far above, so the dark cells run down the diagonal. Groups below
    `threshold` get no row and do not count in the choice.
    """
    population = _check_prevalence(population_prevalence, signals, groups)
    shown = [g for g in groups if not suppress_count(g.size, threshold).is_suppressed]
    if not shown or top <= 0:
        return (), ()
    prevalence = np.array([g.prevalence for g in shown])  # (g, m)
    above = prevalence - population[None, :]
    weight = np.abs(above).max(axis=0)
    marks, most = above.argmax(axis=0), above.max(axis=0)  # argmax: the first of equals
    chosen = sorted(range(len(signals)), key=lambda j: (-weight[j], j))[:top]
    chosen.sort(key=lambda j: (marks[j], -most[j], j))
    rows = []
    for group, row in zip(shown, prevalence, strict=True):
        cells = []
        for j in chosen:
            pct = _group_percent(float(row[j]), group.size)
            cells.append((pct, min((pct + 10) // 20, LEVELS)))  # <10 % -> 0, ..., >=90 % -> 5
        rows.append((group.number, tuple(cells)))
    return tuple(signals[j] for j in chosen), tuple(rows)


def stability_label(stability: float | None) -> str:
    if stability is None:
        return ""
    if stability >= STABLE:
        return _("stabiel")
    if stability >= DOUBTFUL:
        return _("twijfelachtig")
    return _("onstabiel")


# --- internals --------------------------------------------------------------------------------


def _check_prevalence(
    population_prevalence: npt.ArrayLike,
    signals: Sequence[SignalColumn],
    groups: Sequence[GroupProfile],
) -> npt.NDArray[np.float64]:
    population = np.asarray(population_prevalence, dtype=np.float64)
    width = len(signals)
    if population.shape != (width,) or any(g.prevalence.shape != (width,) for g in groups):
        raise ValueError(SIGNALS_MISMATCH)
    return population


def _suppressed(number: int, size: SuppressedCount) -> GroupExplanation:
    return GroupExplanation(
        number=number,
        size=size,
        title=_("Kleine groep"),
        distinguishing=(),
        ages=(),
        school_types=(),
        support=(),
        mean_posterior=0,
        stability=None,
        stability_label="",
        age_min=None,
        age_max=None,
        main_school_type="",
    )


def _group_percent(share: float, size: int) -> int:
    # A prevalence is count / size, so rounding gives the count back exactly; share_percent
    # then rounds half up in integers, as everywhere else.
    return share_percent(round(share * size), size)


def _distinguishing(
    group: GroupProfile,
    population: npt.NDArray[np.float64],
    total: int,
    signals: Sequence[SignalColumn],
) -> tuple[DistinguishingSignal, ...]:
    found = []
    for j, signal in enumerate(signals):
        # Prevalences are count / size: rounding gives the counts back exactly.
        count = round(float(group.prevalence[j]) * group.size)
        count_all = round(float(population[j]) * total)
        in_group, overall = Fraction(count, group.size), Fraction(count_all, total)
        if (
            in_group >= MIN_SHARE
            and in_group - overall >= MIN_DIFFERENCE
            and in_group >= MIN_RATIO * overall
        ):
            # Larger difference first; equal ones by ratio (a signal nobody else has: first).
            ratio: float | Fraction = in_group / overall if overall else math.inf
            found.append((-(in_group - overall), -ratio, j, signal, count, count_all))
    found.sort(key=lambda item: item[:3])
    result = []
    for *_order, signal, count, count_all in found[:DISTINGUISHING_LIMIT]:
        pct_group = share_percent(count, group.size)
        pct_all = share_percent(count_all, total)
        sentence = _(
            "%(group)s%% van deze groep heeft %(signal)s, tegen %(all)s%% van alle leerlingen"
        ) % {"group": pct_group, "signal": name_in_sentence(signal.name), "all": pct_all}
        result.append(DistinguishingSignal(signal, pct_group, pct_all, sentence))
    return tuple(result)


def _title(distinguishing: Sequence[DistinguishingSignal]) -> str:
    if not distinguishing:
        return _("Gemengde groep")
    first, *rest = [d.signal.name for d in distinguishing[:2]]
    return ", ".join([first[:1].upper() + first[1:], *(name_in_sentence(n) for n in rest)])


def _rounded_cells(labels: Sequence[str], counts: Sequence[int]) -> Cells:
    cells = ((label, round_to_base(count)) for label, count in zip(labels, counts, strict=True))
    return tuple((label, count) for label, count in cells if count > 0)


def _age_cells(ages: npt.NDArray[np.int16]) -> Cells:
    found, counts = np.unique(ages, return_counts=True)  # sorted, so UNKNOWN (-1) first
    pairs = list(zip(found.tolist(), counts.tolist(), strict=True))
    cells = [(str(age), c) for age, c in pairs if age != UNKNOWN]
    cells += [(str(UNKNOWN_LABEL), c) for age, c in pairs if age == UNKNOWN]
    return _rounded_cells([label for label, _c in cells], [c for _l, c in cells])


def _school_type_cells(codes: npt.NDArray[np.uint8]) -> Cells:
    per_code = np.bincount(codes, minlength=NO_SCHOOL_TYPE + 1).tolist()
    labels = [*SCHOOL_TYPES, str(UNKNOWN_LABEL)]
    counts = [*per_code[: len(SCHOOL_TYPES)], per_code[NO_SCHOOL_TYPE]]
    return _rounded_cells(labels, counts)


def _support_cells(support: npt.NDArray[np.uint8], names: Sequence[str]) -> Cells:
    if support.shape[1] == 0:
        return ()
    size = support.shape[0]
    counts = np.count_nonzero(support, axis=0).tolist()
    return tuple(
        (name, share_percent(count, size))
        for name, count in zip(names, counts, strict=True)
        if count > 0
    )


def _main_school_type(codes: npt.NDArray[np.uint8]) -> str:
    per_type = np.bincount(codes, minlength=NO_SCHOOL_TYPE + 1)[: len(SCHOOL_TYPES)]
    if not per_type.any():
        return ""
    return SCHOOL_TYPES[int(per_type.argmax())]  # argmax: the first of equals, in list order


def _age_band(ages: npt.NDArray[np.int16], threshold: int) -> tuple[int | None, int | None]:
    known = ages[ages != UNKNOWN]
    if known.size < max(threshold, 3):
        return None, None
    # "higher"/"lower" take the ages inward of the exact percentile positions: for n >= 3 never
    # the lowest or highest position, so one outlier cannot show.
    low = int(np.percentile(known, 10, method="higher"))
    high = int(np.percentile(known, 90, method="lower"))
    return low, high


def _whole_percent(value: float) -> int:
    return 0 if math.isnan(value) else math.floor(100 * value + 0.5)
