"""The population at a glance (step 1): counts, shares, co-occurrence and plain-language
statements from a parsed screening, holding only what may be shown.

Pure: numpy arrays in (a ParsedScreening), a frozen PopulationStatistics out; no ORM. The work
over pupils is vectorised (counts per column, one matrix product for the co-occurrence); the
Python loops run over signals, never over pupils.

Which rule protects what (helpers in zio.common.privacy; "< 10" is a small count, "×" a count
hidden to protect another one):

- **Pupils** (primary, `suppress_count`): below the threshold the result is `too_small` and
  holds nothing else, because every other figure would describe fewer pupils still.
- **Ages, grades, school types** (primary and secondary, `suppress_distribution`): each is a
  partition of the pupils, so one hidden cell would be the total minus the shown ones; the
  smallest other cell is hidden with it. Pupils without an age, grade or school type form a
  cell "onbekend" (last), suppressed like the others: they are part of the total, and leaving
  them out would let "total minus shown" mix them into the hidden cells or give them away.
  Only values that occur are listed; a distribution whose cells are all hidden is left out
  (empty), because its labels alone could give the counts away.
- **Signal and support counts** (primary and secondary, `suppress_part`): the pupils without a
  signal are the total minus those with it, so a count is shown only when both reach the
  threshold. The 0-3 scale's "sterk aanwezig" is also a part of the signal's count (the rest
  is "aanwezig, niet sterk"), so it is checked against both.
- **Shares** (clamping, `share_percent`): whole percent of all pupils, shown as 5-95 %, and
  only next to a shown count (with a known total a share alone could give a hidden count).
- **Co-occurrence** (secondary, `suppress_overlap`): only signals whose own count is shown;
  with those margins an overlap fixes its whole 2 x 2 table (both, only X, only Y, neither),
  so it is shown only when all four cells reach the threshold. Shading levels only for shown
  cells.
- **Statements**: only from shown overlaps; percentages clamped to 5-95 %.
- **Order**: sorting by frequency uses shown counts only; hidden ones follow in spec order, so
  that the order itself says nothing about a hidden count.

Counts here are of the whole population, so they are not rounded to 5 (`round_to_base` is for
counts inside a group).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import numpy.typing as npt
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zio.common.privacy import (
    DEFAULT_THRESHOLD,
    SuppressedCount,
    share_percent,
    suppress_count,
    suppress_distribution,
    suppress_overlap,
    suppress_part,
)
from zio.screening.spec import (
    NO_SCHOOL_TYPE,
    SCHOOL_TYPES,
    SUPPORT_TYPES,
    UNKNOWN,
    ParsedScreening,
    SignalColumn,
)

UNKNOWN_LABEL = gettext_lazy("onbekend")  # the cell of pupils without an age, grade or type
STRONG = 2  # on the 0-3 scale, 2 and 3 count as "sterk aanwezig"
LEVELS = 5  # shading levels 0..5 of a co-occurrence cell
STATEMENT_LIMIT = 5
# A statement needs P(Y|X) >= 1/2 and lift P(Y|X) / P(Y) >= 3/2 (compared in integers).
MIN_GIVEN = Fraction(1, 2)
MIN_LIFT = Fraction(3, 2)

SIGNAL_NOT_IN_SCREENING = "Signal {signal_id} is not a column of the screening."
SIGNAL_COUNT_MISMATCH = "Without signal ids the signals must match the columns one to one."
SUPPORT_COUNT_MISMATCH = "The support names do not match the support columns."
UNKNOWN_SCHOOL_TYPE = "The screening holds a school type code outside SCHOOL_TYPES."

type Distribution = tuple[tuple[str, SuppressedCount], ...]


@dataclass(frozen=True)
class SignalCount:
    signal: SignalColumn
    count: SuppressedCount  # pupils with the signal (value >= 1)
    share: int | None  # % of all pupils, 5-95; None when the count is hidden
    strong: SuppressedCount | None = None  # value >= 2; only with the 0-3 scale


@dataclass(frozen=True)
class SupportCount:
    name: str
    count: SuppressedCount
    share: int | None


@dataclass(frozen=True)
class CooccurrenceCell:
    count: SuppressedCount  # pupils with both signals; on the diagonal the signal's own count
    level: int | None  # 0-5 by the share of the row signal's pupils; None when hidden


@dataclass(frozen=True)
class Cooccurrence:
    """Rows and columns in the same order: the most frequent signals first."""

    signals: tuple[SignalColumn, ...]
    rows: tuple[tuple[CooccurrenceCell, ...], ...]


@dataclass(frozen=True)
class Statement:
    """'Pupils with X also often have Y', with percentages as they may be shown."""

    x: SignalColumn
    y: SignalColumn
    pct_given_x: int  # of the pupils with X, the % that also has Y (5-95)
    pct_overall: int  # of all pupils, the % with Y (5-95)

    @property
    def sentence(self) -> str:
        return _(
            "Van de leerlingen met %(x)s heeft %(given)s%% ook %(y)s; "
            "van alle leerlingen is dat %(overall)s%%."
        ) % {
            "x": name_in_sentence(self.x.name),
            "y": name_in_sentence(self.y.name),
            "given": self.pct_given_x,
            "overall": self.pct_overall,
        }


NO_COOCCURRENCE = Cooccurrence(signals=(), rows=())


@dataclass(frozen=True)
class PopulationStatistics:
    """Only what may be shown. When `too_small`, everything but `pupils` is empty."""

    pupils: SuppressedCount
    too_small: bool
    scale_0_3: bool = False  # the data use values above 1, so `strong` counts are given
    ages: Distribution = ()
    grades: Distribution = ()
    school_types: Distribution = ()
    signals: tuple[SignalCount, ...] = ()  # in spec order
    support: tuple[SupportCount, ...] = ()
    cooccurrence: Cooccurrence = NO_COOCCURRENCE
    statements: tuple[Statement, ...] = ()

    @property
    def signals_by_frequency(self) -> tuple[SignalCount, ...]:
        return tuple(self.signals[i] for i in _frequency_order(self.signals))


def name_in_sentence(name: str) -> str:
    """A signal's name inside a sentence: first letter lower case ('Overprikkeling' ->
    'overprikkeling'), unless the name starts with an abbreviation ('LVB', 'TOS',
    'MHB/hoogbegaafd', '(Z)MLK'), recognised by two or more capitals in its first word."""
    first_word = name.split(maxsplit=1)[0] if name.strip() else ""
    if sum(char.isupper() for char in first_word) >= 2:
        return name
    return name[:1].lower() + name[1:]


def population_statistics(
    parsed: ParsedScreening,
    signals: Sequence[SignalColumn],
    threshold: int = DEFAULT_THRESHOLD,
    top_k: int = 10,
) -> PopulationStatistics:
    """Everything the population overview may show of `parsed`, for `signals` (in the order
    given; matched to the columns by `parsed.signal_ids`, or one to one when that is empty).

    The 0-3 scale is recognised from the data (any value of 2 or more): the importer accepts
    either scale whatever the template offered.
    """
    if threshold < 1:
        raise ValueError("The threshold must be at least 1.")
    if top_k < 0:
        raise ValueError("top_k cannot be negative.")
    total = parsed.pupil_count
    pupils = suppress_count(total, threshold)
    if pupils.is_suppressed:
        return PopulationStatistics(pupils=pupils, too_small=True)

    values = _signal_values(parsed, signals)
    present = np.count_nonzero(values, axis=0).tolist()
    strong = np.count_nonzero(values >= STRONG, axis=0).tolist()
    scale_0_3 = any(strong)
    signal_counts = tuple(
        _signal_count(signal, count, strong_count if scale_0_3 else None, total, threshold)
        for signal, count, strong_count in zip(signals, present, strong, strict=True)
    )
    top = [i for i in _frequency_order(signal_counts) if not signal_counts[i].count.is_suppressed]
    top = top[:top_k]
    both = _overlaps(values, top)
    return PopulationStatistics(
        pupils=pupils,
        too_small=False,
        scale_0_3=scale_0_3,
        ages=_value_distribution(parsed.ages, threshold),
        grades=_value_distribution(parsed.grades, threshold),
        school_types=_school_type_distribution(parsed.school_types, threshold),
        signals=signal_counts,
        support=_support_counts(parsed, total, threshold),
        cooccurrence=_cooccurrence([signal_counts[i] for i in top], both, total, threshold),
        statements=_statements([signals[i] for i in top], both, total, threshold),
    )


def _signal_values(
    parsed: ParsedScreening, signals: Sequence[SignalColumn]
) -> npt.NDArray[np.uint8]:
    width = parsed.signals.shape[1]
    if not parsed.signal_ids:
        if len(signals) != width:
            raise ValueError(SIGNAL_COUNT_MISMATCH)
        return parsed.signals
    position = {signal_id: j for j, signal_id in enumerate(parsed.signal_ids)}
    missing = [s.signal_id for s in signals if s.signal_id not in position]
    if missing:
        raise ValueError(SIGNAL_NOT_IN_SCREENING.format(signal_id=missing[0]))
    columns = [position[s.signal_id] for s in signals]
    if columns == list(range(width)):
        return parsed.signals  # the usual case: no copy of the whole matrix
    return parsed.signals[:, columns]


def _frequency_order(counts: Sequence[SignalCount]) -> list[int]:
    # Shown counts, most first; hidden ones after, in spec order (stable sort).
    return sorted(
        range(len(counts)),
        key=lambda i: (counts[i].count.is_suppressed, -(counts[i].count.value or 0)),
    )


def _signal_count(
    signal: SignalColumn, present: int, strong: int | None, total: int, threshold: int
) -> SignalCount:
    count = suppress_part(present, total, threshold)
    share = None if count.is_suppressed else share_percent(present, total)
    if strong is None:
        return SignalCount(signal=signal, count=count, share=share)
    # Strong pupils are a part of all pupils and, when that count is shown, of the signal's
    # pupils (the rest being "aanwezig, niet sterk"). "< 10" only when every check says so.
    verdicts = [suppress_part(strong, total, threshold)]
    if not count.is_suppressed:
        verdicts.append(suppress_part(strong, present, threshold))
    hidden = [v for v in verdicts if v.is_suppressed]
    strong_count = (
        SuppressedCount(None, threshold, secondary=any(v.secondary for v in hidden))
        if hidden
        else verdicts[0]
    )
    return SignalCount(signal=signal, count=count, share=share, strong=strong_count)


def _support_counts(
    parsed: ParsedScreening, total: int, threshold: int
) -> tuple[SupportCount, ...]:
    width = parsed.support.shape[1]
    names = list(parsed.support_names) or list(SUPPORT_TYPES)
    if width == 0:
        return ()
    if len(names) != width:
        raise ValueError(SUPPORT_COUNT_MISMATCH)
    result = []
    for name, present in zip(names, np.count_nonzero(parsed.support, axis=0).tolist(), strict=True):
        count = suppress_part(present, total, threshold)
        share = None if count.is_suppressed else share_percent(present, total)
        result.append(SupportCount(name=name, count=count, share=share))
    return tuple(result)


def _distribution(labels: Sequence[str], counts: Sequence[int], threshold: int) -> Distribution:
    cells = suppress_distribution(counts, threshold)
    if all(cell.is_suppressed for cell in cells):
        # Nothing to show but the labels, and those alone can tell: with only occurring values
        # listed, 10 different ages for 10 pupils means one pupil each.
        return ()
    return tuple(zip(labels, cells, strict=True))


def _value_distribution(values: npt.NDArray[np.int16], threshold: int) -> Distribution:
    found, counts = np.unique(values, return_counts=True)  # sorted, so UNKNOWN (-1) first
    pairs = list(zip(found.tolist(), counts.tolist(), strict=True))
    cells = [(str(v), c) for v, c in pairs if v != UNKNOWN]
    cells += [(str(UNKNOWN_LABEL), c) for v, c in pairs if v == UNKNOWN]
    return _distribution([label for label, _c in cells], [c for _l, c in cells], threshold)


def _school_type_distribution(codes: npt.NDArray[np.uint8], threshold: int) -> Distribution:
    per_code = np.bincount(codes, minlength=NO_SCHOOL_TYPE + 1).tolist()
    expected = [*range(len(SCHOOL_TYPES)), NO_SCHOOL_TYPE]
    if sum(per_code) != sum(per_code[code] for code in expected):
        raise ValueError(UNKNOWN_SCHOOL_TYPE)
    labels = [*SCHOOL_TYPES, str(UNKNOWN_LABEL)]
    cells = [(label, per_code[code]) for label, code in zip(labels, expected, strict=True)]
    cells = [(label, count) for label, count in cells if count > 0]  # only types that occur
    return _distribution([label for label, _c in cells], [c for _l, c in cells], threshold)


def _overlaps(values: npt.NDArray[np.uint8], top: list[int]) -> npt.NDArray[np.int64]:
    """Pupils with both signals, for each pair of the `top` columns (one matrix product)."""
    if not top:
        return np.zeros((0, 0), dtype=np.int64)
    # float64 holds whole numbers exactly up to 2**53, so the product is exact; BLAS makes it
    # far faster than an integer product.
    has = (values[:, top] != 0).astype(np.float64)
    overlaps: npt.NDArray[np.int64] = np.rint(has.T @ has).astype(np.int64)
    return overlaps


def _cooccurrence(
    top: Sequence[SignalCount], both: npt.NDArray[np.int64], total: int, threshold: int
) -> Cooccurrence:
    if not top:
        return NO_COOCCURRENCE
    own = both.diagonal()
    # Level = share of the row signal's pupils, rounded half up to fifths: < 10 % -> 0,
    # 10-30 % -> 1, ..., >= 90 % -> 5 (the diagonal). Integer arithmetic, no float edges.
    levels = np.minimum((10 * both + own[:, None]) // (2 * own[:, None]), LEVELS).tolist()
    own_list, both_list = own.tolist(), both.tolist()
    rows = []
    for i, row_signal in enumerate(top):
        cells = []
        for j in range(len(top)):
            count = (
                row_signal.count
                if i == j
                else suppress_overlap(both_list[i][j], own_list[i], own_list[j], total, threshold)
            )
            level = None if count.is_suppressed else int(levels[i][j])
            cells.append(CooccurrenceCell(count=count, level=level))
        rows.append(tuple(cells))
    return Cooccurrence(signals=tuple(c.signal for c in top), rows=tuple(rows))


def _statements(
    top: Sequence[SignalColumn], both: npt.NDArray[np.int64], total: int, threshold: int
) -> tuple[Statement, ...]:
    """At most STATEMENT_LIMIT statements 'pupils with X also often have Y', strongest lift
    first. Lift is symmetric, so a pair qualifying both ways is said once: from the smaller
    signal (the higher percentage), or from the one listed first when both are as frequent."""
    own = both.diagonal().tolist()
    overlap = both.tolist()

    def qualifies(x: int, y: int) -> bool:
        b = overlap[x][y]
        shown = not suppress_overlap(b, own[x], own[y], total, threshold).is_suppressed
        return (
            x != y
            and shown
            and Fraction(b, own[x]) >= MIN_GIVEN
            and Fraction(b * total, own[x] * own[y]) >= MIN_LIFT
        )

    found = []
    for x in range(len(top)):
        for y in range(len(top)):
            if not qualifies(x, y):
                continue
            if qualifies(y, x) and (own[y], y) < (own[x], x):
                continue  # said from the other side
            lift = Fraction(overlap[x][y] * total, own[x] * own[y])
            found.append((-lift, -Fraction(overlap[x][y], own[x]), x, y))
    found.sort()
    return tuple(
        Statement(
            x=top[x],
            y=top[y],
            pct_given_x=share_percent(overlap[x][y], own[x]),
            pct_overall=share_percent(own[y], total),
        )
        for _lift, _given, x, y in found[:STATEMENT_LIMIT]
    )
