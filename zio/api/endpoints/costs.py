"""Cost lines of a persona's scenarios, and the tariffs of the organisation's regions.

Writes go through `costs.services` and, like the cost page, record each change of a cost line
in the persona's history in the same transaction. Tariffs may be changed only by whom the
tariff pages let change them (`can_edit_region_tariffs`).
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import P, QueryEx, Router
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.responses import Status

from zio.api.constants import MAX_ID
from zio.api.pagination import Pagination
from zio.api.schemas import (
    CostLineIn,
    CostLineOut,
    CostLinePatch,
    RegionOut,
    TariffIn,
    TariffOut,
    TariffPatch,
)
from zio.api.services import TokenAccess
from zio.costs import selectors as cost_selectors
from zio.costs import services as cost_services
from zio.costs.constants import Unit
from zio.costs.models import CostLine, FundingStream, Payer, Scenario, Tariff
from zio.costs.services import LINE_ADDED, LINE_CHANGED, LINE_DELETED, TARIFFS_READ_ONLY
from zio.organisations.constants import Role
from zio.organisations.models import Region
from zio.personas.services import persona_changed

from .common import Id, access, not_found, read, require_role, write
from .personas import editable, persona_of, scenarios_out

router = Router(tags=["kosten"])

UNKNOWN_CODE = _("Deze code bestaat niet: %(code)s.")
EMPTY_NOT_ALLOWED = _("Dit veld kan niet leeg zijn; laat het weg als je het niet wijzigt.")


def _code_lookup(model: type[FundingStream] | type[Payer], field: str, code: str) -> Any:
    found = model.objects.filter(code=code).first()
    if found is None:
        raise ValidationError({field: UNKNOWN_CODE % {"code": code}})
    return found


def _line_fields(current: TokenAccess, data: dict[str, Any]) -> dict[str, Any]:
    """The body's fields as `cost_line_build` takes them: codes become rows, a tariff is only
    found among the tariffs of the organisation's regions."""
    fields = dict(data)
    if fields.get("funding_stream") is not None:
        fields["funding_stream"] = _code_lookup(
            FundingStream, "funding_stream", fields["funding_stream"]
        )
    if fields.get("payer") is not None:
        fields["payer"] = _code_lookup(Payer, "payer", fields["payer"])
    if "tariff_id" in fields:
        tariff_id = fields.pop("tariff_id")
        tariff = None
        if tariff_id is not None:
            tariff = (
                cost_selectors.tariffs_for_organisation(current.organisation)
                .filter(pk=tariff_id)
                .first()
            )
            if tariff is None:
                raise ValidationError({"tariff": cost_services.TARIFF_NOT_IN_REGION})
        fields["tariff"] = tariff
    return fields


def _line_out(persona_scenarios: list[Any], line_id: int) -> CostLineOut:
    for scenario in persona_scenarios:
        for line in scenario.lines:
            if line.id == line_id:
                return line
    raise not_found()


@router.post(
    "/personas/{persona_id}/scenarios/{scenario_id}/lines",
    response=write(CostLineOut, 201),
    summary="Kostenregel toevoegen",
)
def line_create(
    request: HttpRequest, persona_id: Id, scenario_id: Id, data: CostLineIn
) -> Status[CostLineOut]:
    """Voegt een regel toe aan het eind van een scenario (opsteller). Met een tarief gelden
    de eenheid, het bedrag en de geldstroom van het tarief, tenzij je ze meestuurt."""
    current = require_role(request, Role.OPSTELLER)
    persona = editable(persona_of(current, persona_id))
    scenario = Scenario.objects.filter(persona=persona, pk=scenario_id).first()
    if scenario is None:
        raise not_found()
    scenario.persona = persona
    fields = _line_fields(current, data.model_dump(exclude_unset=True))
    with transaction.atomic():
        line = cost_services.cost_line_create(scenario=scenario, **fields)
        persona_changed(
            persona,
            user=current.user,
            summary=str(LINE_ADDED % {"line": line.description, "scenario": scenario.title}),
        )
    return Status(201, _line_out(scenarios_out(persona), line.pk))


def _line_of(persona_id: int, line_id: int, current: TokenAccess) -> CostLine:
    persona = editable(persona_of(current, persona_id))
    line = (
        CostLine.objects.select_related("scenario")
        .filter(pk=line_id, scenario__persona=persona)
        .first()
    )
    if line is None:
        raise not_found()
    line.scenario.persona = persona
    return line


@router.patch(
    "/personas/{persona_id}/lines/{line_id}",
    response=write(CostLineOut),
    summary="Kostenregel wijzigen",
)
def line_update(
    request: HttpRequest, persona_id: Id, line_id: Id, data: CostLinePatch
) -> CostLineOut:
    """Wijzigt alleen de velden die je meestuurt (opsteller)."""
    current = require_role(request, Role.OPSTELLER)
    line = _line_of(persona_id, line_id, current)
    persona = line.scenario.persona
    fields = _line_fields(current, data.model_dump(exclude_unset=True))
    with transaction.atomic():
        line = cost_services.cost_line_update(line=line, **fields)
        persona_changed(
            persona, user=current.user, summary=str(LINE_CHANGED % {"line": line.description})
        )
    return _line_out(scenarios_out(persona), line.pk)


@router.delete(
    "/personas/{persona_id}/lines/{line_id}",
    response=write(None, 204),
    summary="Kostenregel verwijderen",
)
def line_delete(request: HttpRequest, persona_id: Id, line_id: Id) -> Status[None]:
    current = require_role(request, Role.OPSTELLER)
    line = _line_of(persona_id, line_id, current)
    with transaction.atomic():
        cost_services.cost_line_delete(line=line)
        persona_changed(
            line.scenario.persona,
            user=current.user,
            summary=str(LINE_DELETED % {"line": line.description}),
        )
    return Status(204, None)


# --- tariffs -----------------------------------------------------------------------------------


def _tariff_out(tariff: Tariff, editable_regions: set[int]) -> TariffOut:
    return TariffOut(
        id=tariff.pk,
        region=RegionOut(id=tariff.region.pk, name=tariff.region.name),
        year=tariff.year,
        name=tariff.name,
        funding_stream=tariff.funding_stream.code,
        unit=Unit(tariff.unit),
        amount=tariff.amount,
        source=tariff.source,
        reference_date=tariff.reference_date,
        is_indicative=tariff.is_indicative,
        can_edit=tariff.region_id in editable_regions,
    )


def _editable_regions(current: TokenAccess) -> set[int]:
    return set(
        cost_selectors.regions_with_editable_tariffs(current.membership).values_list(
            "pk", flat=True
        )
    )


def _tariff_of(current: TokenAccess, tariff_id: int) -> Tariff:
    tariff = cost_selectors.tariffs_for_organisation(current.organisation).filter(pk=tariff_id)
    found = tariff.first()
    if found is None:
        raise not_found()
    return found


def _require_tariff_editor(current: TokenAccess, region: Region) -> None:
    if not cost_selectors.can_edit_region_tariffs(current.membership, region):
        raise HttpError(403, str(TARIFFS_READ_ONLY))


@router.get("/tariffs", response=read(list[TariffOut]), summary="Tarieven")
@paginate(Pagination)
def tariff_list(
    request: HttpRequest,
    region_id: QueryEx[int | None, P(ge=1, le=MAX_ID)] = None,
    year: QueryEx[int | None, P(ge=2000, le=2100)] = None,
) -> list[TariffOut]:
    """De tarieven van de regio's van de organisatie, per regio en jaar (nieuwste eerst).
    `can_edit` zegt of deze sleutel het tarief mag wijzigen."""
    current = access(request)
    tariffs = cost_selectors.tariffs_for_organisation(current.organisation)
    if region_id is not None:
        tariffs = tariffs.filter(region_id=region_id)
    if year is not None:
        tariffs = tariffs.filter(year=year)
    editable_regions = _editable_regions(current)
    return [_tariff_out(tariff, editable_regions) for tariff in tariffs]


@router.get("/tariffs/{tariff_id}", response=read(TariffOut), summary="Eén tarief")
def tariff_detail(request: HttpRequest, tariff_id: Id) -> TariffOut:
    current = access(request)
    return _tariff_out(_tariff_of(current, tariff_id), _editable_regions(current))


@router.post("/tariffs", response=write(TariffOut, 201), summary="Tarief toevoegen")
def tariff_create(request: HttpRequest, data: TariffIn) -> Status[TariffOut]:
    """Alleen een beheerder van een samenwerkingsverband, gemeente of adviesorganisatie in
    de regio, zoals op de pagina Tarieven."""
    current = access(request)
    region = current.organisation.regions.filter(pk=data.region_id).first()
    if region is None:
        raise not_found()
    _require_tariff_editor(current, region)
    fields = data.model_dump(exclude={"region_id"})
    fields["funding_stream"] = _code_lookup(
        FundingStream, "funding_stream", fields["funding_stream"]
    )
    tariff = cost_services.tariff_create(region=region, user=current.user, **fields)
    return Status(201, _tariff_out(_tariff_of(current, tariff.pk), _editable_regions(current)))


@router.patch("/tariffs/{tariff_id}", response=write(TariffOut), summary="Tarief wijzigen")
def tariff_update(request: HttpRequest, tariff_id: Id, data: TariffPatch) -> TariffOut:
    """Wijzigt alleen de velden die je meestuurt. Kostenregels houden het bedrag dat ze
    overnamen."""
    current = access(request)
    tariff = _tariff_of(current, tariff_id)
    _require_tariff_editor(current, tariff.region)
    fields = data.model_dump(exclude_unset=True)
    if any(value is None for value in fields.values()):
        raise ValidationError(
            {key: EMPTY_NOT_ALLOWED for key, value in fields.items() if value is None}
        )
    if "funding_stream" in fields:
        fields["funding_stream"] = _code_lookup(
            FundingStream, "funding_stream", fields["funding_stream"]
        )
    cost_services.tariff_update(tariff=tariff, user=current.user, **fields)
    return _tariff_out(_tariff_of(current, tariff.pk), _editable_regions(current))


@router.delete("/tariffs/{tariff_id}", response=write(None, 204), summary="Tarief verwijderen")
def tariff_delete(request: HttpRequest, tariff_id: Id) -> Status[None]:
    """Kostenregels die het tarief gebruiken houden hun bedrag en verliezen alleen de
    koppeling."""
    current = access(request)
    tariff = _tariff_of(current, tariff_id)
    _require_tariff_editor(current, tariff.region)
    cost_services.tariff_delete(tariff=tariff)
    return Status(204, None)
