"""Screenings and their population statistics: only the suppressed figures the population
page shows (`screening.selectors.statistics_as_dict`), never a pupil's row."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja import Router
from ninja.pagination import paginate

from zio.api.pagination import Pagination
from zio.api.schemas import ScreeningOut, StatisticsOut
from zio.common.privacy import SuppressedCount, suppress_count
from zio.screening import selectors as screening_selectors
from zio.screening.models import Screening

from .common import Id, access, not_found, read

router = Router(tags=["screening"])


def shown(count: SuppressedCount) -> int | str:
    """A suppressed count as the pages show it: the number, "< 10" or "×"."""
    return count.value if count.value is not None else str(count)


def shown_count(count: int) -> int | str:
    return shown(suppress_count(count, settings.SMALL_CELL_THRESHOLD))


@router.get("/screenings", response=read(list[ScreeningOut]), summary="Screenings")
@paginate(Pagination)
def screening_list(request: HttpRequest) -> list[ScreeningOut]:
    """De screenings van de organisatie, nieuwste schooljaar eerst, ook de vervangen."""
    current = access(request)
    screenings = screening_selectors.screenings_for_organisation(current.organisation).order_by(
        "-school_year", "-created_at", "-pk"
    )
    return [
        ScreeningOut(
            id=screening.pk,
            school_year=screening.school_year,
            pupils=shown_count(screening.pupil_count),
            current=screening.replaced_at is None,
            shared_for_regional_grouping=screening.pooling_consent_at is not None,
            created_at=screening.created_at,
        )
        for screening in screenings
    ]


@router.get(
    "/screenings/{screening_id}/statistics",
    response=read(StatisticsOut),
    summary="Populatie van een screening",
)
def screening_statistics(request: HttpRequest, screening_id: Id) -> StatisticsOut:
    """Aantallen, verdelingen, signalen, ondersteuning, samenhang en uitspraken, met kleine
    aantallen onderdrukt zoals op de pagina Populatie („< 10” of „×”)."""
    current = access(request)
    try:
        screening = screening_selectors.screening_for_organisation(
            current.organisation, screening_id
        )
    except Screening.DoesNotExist:
        raise not_found() from None
    figures: dict[str, Any] = screening_selectors.statistics_as_dict(
        screening, screening_selectors.population(screening)
    )
    return StatisticsOut(screening_id=screening.pk, **figures)
