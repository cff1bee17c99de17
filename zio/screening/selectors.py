"""Reads for screenings, scoped to an organisation. Statistics leave here suppressed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import QuerySet

from zio.common.privacy import SuppressedCount
from zio.organisations.models import Organisation

from . import storage
from .models import ImportStatus, Screening, ScreeningImport
from .spec import ParsedScreening, SignalColumn
from .statistics import (
    UNKNOWN_LABEL,
    PopulationStatistics,
    SignalCount,
    SupportCount,
    population_statistics,
)


def screenings_for_organisation(organisation: Organisation) -> QuerySet[Screening]:
    return Screening.objects.for_organisation(organisation).defer("data")


def current_screening(organisation: Organisation, school_year: str = "") -> Screening | None:
    screenings = Screening.objects.for_organisation(organisation).current()
    if school_year:
        screenings = screenings.filter(school_year=school_year)
    return screenings.order_by("-school_year").first()


def screening_for_organisation(organisation: Organisation, screening_id: int) -> Screening:
    return Screening.objects.for_organisation(organisation).get(pk=screening_id)


def import_for_organisation(organisation: Organisation, import_id: str) -> ScreeningImport:
    return ScreeningImport.objects.filter(organisation=organisation).get(pk=import_id)


def recent_imports(organisation: Organisation, limit: int = 5) -> QuerySet[ScreeningImport]:
    return ScreeningImport.objects.filter(organisation=organisation).defer("problems")[:limit]


def parsed_screening(screening: Screening) -> ParsedScreening:
    return storage.unpack(
        screening.data, signal_ids=screening.signal_ids, support_names=screening.support_names
    )


def signal_columns(screening: Screening) -> list[SignalColumn]:
    """The signals as they were named when the screening was imported."""
    return [
        SignalColumn(signal_id=i, name=name, domain="")
        for i, name in zip(screening.signal_ids, screening.signal_names, strict=True)
    ]


def population(screening: Screening) -> PopulationStatistics:
    return population_statistics(
        parsed_screening(screening),
        signal_columns(screening),
        threshold=settings.SMALL_CELL_THRESHOLD,
    )


@dataclass(frozen=True)
class Bar:
    label: str
    count: SuppressedCount
    share: int | None  # the % shown next to the count, if any
    width: int  # 0-100: length of the bar relative to the longest; 0 for a hidden count


def distribution_bars(distribution: Sequence[tuple[str, SuppressedCount]]) -> list[Bar]:
    """Bars for a distribution (ages, school types): lengths relative to the largest shown.
    A distribution that only knows "onbekend" (e.g. no grades filled in) has no bars."""
    if all(label == str(UNKNOWN_LABEL) for label, _ in distribution):
        return []
    shown = [c.value for _, c in distribution if c.value is not None]
    largest = max(shown, default=0)
    return [
        Bar(
            label=label,
            count=count,
            share=None,
            width=round(100 * count.value / largest) if count.value and largest else 0,
        )
        for label, count in distribution
    ]


def signal_bars(counts: Sequence[SignalCount | SupportCount]) -> list[Bar]:
    """Bars for signals or support: the length is the share of all pupils."""
    return [
        Bar(
            label=c.signal.name if isinstance(c, SignalCount) else c.name,
            count=c.count,
            share=c.share,
            width=c.share or 0,
        )
        for c in counts
    ]


def _shown(count: SuppressedCount) -> int | str:
    """A count for an export: the number, or the same mark the page shows."""
    return count.value if count.value is not None else str(count)


def statistics_as_dict(screening: Screening, stats: PopulationStatistics) -> dict[str, object]:
    """The suppressed statistics as plain data (for JSON): nothing the page would not show."""
    if stats.too_small:
        return {
            "school_year": screening.school_year,
            "pupils": _shown(stats.pupils),
            "too_small": True,
        }

    def distribution(items: Sequence[tuple[str, SuppressedCount]]) -> list[dict[str, object]]:
        return [{"label": label, "pupils": _shown(count)} for label, count in items]

    return {
        "school_year": screening.school_year,
        "pupils": _shown(stats.pupils),
        "too_small": False,
        "small_cell_threshold": stats.pupils.threshold,
        "ages": distribution(stats.ages),
        "grades": distribution(stats.grades),
        "school_types": distribution(stats.school_types),
        "signals": [
            {"signal": c.signal.name, "pupils": _shown(c.count), "share_percent": c.share}
            for c in stats.signals
        ],
        "support": [
            {"support": c.name, "pupils": _shown(c.count), "share_percent": c.share}
            for c in stats.support
        ],
        "cooccurrence": {
            "signals": [s.name for s in stats.cooccurrence.signals],
            "pupils_with_both": [
                [_shown(cell.count) for cell in row] for row in stats.cooccurrence.rows
            ],
        },
        "statements": [s.sentence for s in stats.statements],
    }


def school_year_start(today: date) -> int:
    """The first calendar year of the school year `today` falls in; one starts on 1 August."""
    return today.year if today.month >= 8 else today.year - 1


def _oldest_kept(today: date, years: int) -> str:
    if years < 0:
        raise ValueError("years cannot be negative")
    start = school_year_start(today) - years
    return f"{start}-{start + 1}"


def screenings_expired(*, today: date, years: int) -> QuerySet[Screening]:
    """Screenings of every organisation whose school year lies more than `years` school years
    before the current one: with 2, in 2026-2027 those of 2023-2024 and before.

    Not scoped to an organisation on purpose: retention is the platform's rule, run by the
    operator (`manage.py screening_retention`), never a page.
    """
    # "YYYY-YYYY" strings sort as their years do (clean_school_year keeps them to 2000-2100).
    return Screening.objects.filter(school_year__lt=_oldest_kept(today, years))


def screening_imports_expired(*, today: date, years: int) -> QuerySet[ScreeningImport]:
    """Finished imports of the same expired school years (refused ones too, which have no
    screening). Unfinished ones are left to their worker."""
    return ScreeningImport.objects.filter(
        school_year__lt=_oldest_kept(today, years),
        status__in=[ImportStatus.DONE, ImportStatus.FAILED],
    )
