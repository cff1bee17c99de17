"""Geometry of the stacked bar chart on the cost page: pure, no Django.

One horizontal bar per scenario, split into segments per payer. The template draws the bars
as inline SVG; coordinates are whole units of the SVG's viewBox, so that the template can print
them without number localisation getting in the way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

WIDTH = 640
BAR_AREA = 480  # room for the bar; the rest of the width holds the total behind it
ROW_HEIGHT = 72
LABEL_Y = 18  # baseline of the scenario's name, from the top of its row
BAR_Y = 28
BAR_HEIGHT = 30
SERIES_COUNT = 8  # colours and patterns in zio.css; payers beyond that reuse them
GAP = 2  # white space between two segments of a bar
STROKE = 2  # each segment has an outline in its colour, drawn inside its box


@dataclass(frozen=True)
class Segment:
    """A segment as drawn: `x` and `width` are the middle of its outline."""

    series: int  # 1..SERIES_COUNT: which colour and pattern
    name: str
    amount: Decimal
    x: int
    width: int


@dataclass(frozen=True)
class Bar:
    label: str
    total: Decimal
    segments: list[Segment]
    label_y: int
    rect_y: int
    rect_height: int
    total_x: int
    total_y: int


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: list[Bar]

    @property
    def is_empty(self) -> bool:
        return all(bar.total <= 0 for bar in self.bars)


def series_number(index: int) -> int:
    """The colour/pattern number (1-based) for the payer at `index` in the list of payers."""
    return index % SERIES_COUNT + 1


def _scale(amount: Decimal, largest: Decimal) -> int:
    if largest <= 0:
        return 0
    return int((amount * BAR_AREA / largest).to_integral_value(rounding=ROUND_HALF_UP))


def stacked_bars(
    rows: Sequence[tuple[str, Sequence[tuple[int, str, Decimal]]]],
) -> Chart:
    """Bars for `rows` of (label, [(series number, payer name, amount), ...]).

    Segment edges are placed at the scaled running total, so that the segments of a bar touch
    without gaps or overlaps whatever the rounding; zero and negative amounts get no segment.
    """
    totals = [
        sum((amount for _, _, amount in parts if amount > 0), Decimal(0)) for _, parts in rows
    ]
    largest = max(totals, default=Decimal(0))
    bars = []
    for index, ((label, parts), total) in enumerate(zip(rows, totals, strict=True)):
        top = index * ROW_HEIGHT
        segments: list[Segment] = []
        running = Decimal(0)
        for series, name, amount in parts:
            if amount <= 0:
                continue
            start = _scale(running, largest) + (GAP if segments else 0)
            running += amount
            end = _scale(running, largest)
            # The outline is centred on the box's edge, so draw it half a stroke inside.
            width = end - start - STROKE
            if width > 0:
                segments.append(
                    Segment(
                        series=series,
                        name=name,
                        amount=amount,
                        x=start + STROKE // 2,
                        width=width,
                    )
                )
        bar_end = _scale(total, largest)
        bars.append(
            Bar(
                label=label,
                total=total,
                segments=segments,
                label_y=top + LABEL_Y,
                rect_y=top + BAR_Y + STROKE // 2,
                rect_height=BAR_HEIGHT - STROKE,
                total_x=bar_end + 8,
                total_y=top + BAR_Y + BAR_HEIGHT // 2 + 6,
            )
        )
    return Chart(width=WIDTH, height=max(len(rows), 1) * ROW_HEIGHT, bars=bars)
