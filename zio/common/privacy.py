"""Privacy helpers: small-cell suppression of pupil counts.

Pure functions without the ORM; the threshold comes from settings.SMALL_CELL_THRESHOLD and is
passed in, so that these functions stay testable without Django.

Two ways a hidden count is shown:

- **primary**: the count is below the threshold and shows as "< 10";
- **secondary**: the count is hidden so that it, or a small count next to it, cannot be worked
  out from totals and the other shown counts. It shows as "×" (as CBS marks a secret cell),
  because "< 10" might be untrue, or, next to the totals, might give the number away.

Within one table the choice between "< 10" and "×" is itself made so that it does not pin a
hidden count down to one value (each function says how far that goes). Thresholds >= 2.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

DEFAULT_THRESHOLD = 10
HIDDEN_MARK = "×"  # templates explain it: "verborgen om kleine aantallen te beschermen"


@dataclass(frozen=True)
class SuppressedCount:
    """A count as it may be shown: the number, 'fewer than threshold', or hidden ('×')."""

    value: int | None
    threshold: int
    secondary: bool = False  # hidden by secondary suppression: says nothing about its size

    def __post_init__(self) -> None:
        if self.secondary and self.value is not None:
            raise ValueError("A shown count cannot be secondarily suppressed.")

    @property
    def is_suppressed(self) -> bool:
        return self.value is None

    def __str__(self) -> str:
        if self.value is not None:
            return str(self.value)
        return HIDDEN_MARK if self.secondary else f"< {self.threshold}"


def suppress_count(count: int, threshold: int = DEFAULT_THRESHOLD) -> SuppressedCount:
    """Hide counts below the threshold (e.g. 7 -> '< 10'); zero stays hidden too, because
    'none' can be as telling as 'few' in a small school."""
    if count < 0:
        raise ValueError("A count cannot be negative.")
    if count < threshold:
        return SuppressedCount(value=None, threshold=threshold)
    return SuppressedCount(value=count, threshold=threshold)


def _hidden(threshold: int) -> SuppressedCount:
    return SuppressedCount(value=None, threshold=threshold, secondary=True)


def suppress_distribution(
    counts: Sequence[int], threshold: int = DEFAULT_THRESHOLD
) -> list[SuppressedCount]:
    """Suppress the cells of a distribution whose total is shown (each pupil in one cell).

    Primary: every cell below the threshold is hidden. Secondary: when the hidden cells could
    be worked out from the total minus the shown cells, the smallest shown cell (ties: the
    later one) is hidden too, and all hidden cells show as "×". That is the case when exactly
    one cell is hidden (it equals the difference), and also when several are hidden as "< 10"
    but their sum is only possible one way: all at the lowest value (e.g. two cells of 1 pupil:
    difference 2) or all at threshold - 1 (e.g. two cells of 9: difference 18).

    Read against the total and the shown cells ("×" as any size, "< 10" as 0-9), every hidden
    cell then keeps at least two possible values, and with a cell of at least the threshold
    among the hidden ones their sum is at least the threshold. Known limit: someone who also
    uses how the extra cell was picked (at least the threshold, at most the smallest shown
    cell) can in rare cases still pin a cell, e.g. 1 pupil aged 14 and a smallest other cell of
    exactly 10 (difference 11 = 1 + 10). Closing that needs optimising suppression (as
    tau-ARGUS does); the standard rule is what we promise.
    """
    cells = [suppress_count(count, threshold) for count in counts]
    hidden = [i for i, cell in enumerate(cells) if cell.is_suppressed]
    if not hidden:
        return cells
    many, rest = len(hidden), sum(counts[i] for i in hidden)
    # `rest <= many` covers the lowest value being 0 (cells listed whether or not they occur)
    # and 1 (only cells that occur are listed).
    if many >= 2 and many < rest < many * (threshold - 1):
        return cells
    shown = [i for i, cell in enumerate(cells) if not cell.is_suppressed]
    if shown:
        hidden.append(min(shown, key=lambda i: (counts[i], -i)))
    return [_hidden(threshold) if i in hidden else cell for i, cell in enumerate(cells)]


def suppress_part(part: int, whole: int, threshold: int = DEFAULT_THRESHOLD) -> SuppressedCount:
    """A count out of a shown total (pupils with a signal, out of all pupils): the rest
    (whole - part) follows from it, so the count is hidden when either is below the threshold.

    Hidden as "< 10" when the part is small and the whole is at least twice the threshold;
    otherwise as "×". A small whole would otherwise betray the part: with 10 pupils in all,
    "hidden, but not < 10" could only mean 10.
    """
    if not 0 <= part <= whole:
        raise ValueError("A part must lie between zero and the whole.")
    if part >= threshold and whole - part >= threshold:
        return SuppressedCount(value=part, threshold=threshold)
    if part < threshold and whole >= 2 * threshold:
        return SuppressedCount(value=None, threshold=threshold)
    return _hidden(threshold)


def suppress_overlap(
    both: int, first: int, second: int, whole: int, threshold: int = DEFAULT_THRESHOLD
) -> SuppressedCount:
    """The number in both of two groups whose sizes and total are shown (a cell of a
    co-occurrence table). With the margins known, it fixes the whole 2 x 2 table (both, only
    first, only second, neither), so it is shown only when all four reach the threshold.

    Hidden always as "×": "< 10" together with the margins could pin the count (with
    first + second - whole = 9 it would have to be 9). When the margins are shown (each group
    and its rest at least the threshold), "×" leaves at least `threshold` possible values.
    """
    neither = whole - first - second + both
    if not (0 <= both <= min(first, second) and neither >= 0):
        raise ValueError("The overlap does not fit the group sizes.")
    if min(both, first - both, second - both, neither) >= threshold:
        return SuppressedCount(value=both, threshold=threshold)
    return _hidden(threshold)


def round_to_base(count: int, base: int = 5) -> int:
    """Round a count inside a group to the nearest multiple of `base` (half up)."""
    if count < 0:
        raise ValueError("A count cannot be negative.")
    return ((count + base // 2) // base) * base


def clamp_percentage(percentage: float, low: float = 5.0, high: float = 95.0) -> float:
    """Show very small or very large shares as 5% or 95%, as CBS does."""
    return min(max(percentage, low), high)


def share_percent(part: int, whole: int, low: int = 5, high: int = 95) -> int:
    """`part` as a whole percentage of `whole` (half up, in integers), clamped to low-high."""
    if whole <= 0 or not 0 <= part <= whole:
        raise ValueError("A share needs 0 <= part <= whole and a positive whole.")
    return int(clamp_percentage((200 * part + whole) // (2 * whole), low, high))
