"""Persona's: the list with filters, one persona with its sections and costs, and saving its
data or one section (with the same optimistic locking as the editor)."""

from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from ninja import P, QueryEx, Router
from ninja.errors import HttpError
from ninja.pagination import paginate

from zio.api.pagination import Pagination
from zio.api.schemas import (
    NO_NUL,
    CostLineOut,
    ItemOut,
    PersonaMetaIn,
    PersonaOut,
    PersonaSummaryOut,
    ScenarioOut,
    SectionIn,
    SectionOut,
    TotalsOut,
)
from zio.api.services import TokenAccess
from zio.common.privacy import suppress_count
from zio.costs.constants import ScenarioKind, Unit
from zio.costs.selectors import persona_cost_overview
from zio.organisations.constants import Role, SchoolType
from zio.personas import selectors as persona_selectors
from zio.personas import services as persona_services
from zio.personas.constants import META, PersonaStatus, Section
from zio.personas.models import Persona, PersonaItem

from .common import Id, access, not_found, read, require_role, write

router = Router(tags=["persona's"])

SearchText = QueryEx[str | None, P(max_length=100, pattern=NO_NUL)]


def persona_of(current: TokenAccess, persona_id: int) -> Persona:
    try:
        return persona_selectors.persona_for_organisation(current.organisation, persona_id)
    except Persona.DoesNotExist:
        raise not_found() from None


def editable(persona: Persona) -> Persona:
    """An archived persona cannot be changed: a conflict with its state, not a wrong input."""
    if persona.is_archived:
        raise HttpError(409, str(persona_services.ARCHIVED))
    return persona


def _summary(persona: Persona, current: TokenAccess) -> dict[str, Any]:
    return {
        "id": persona.pk,
        "name": persona.name,
        "status": persona.status,
        "status_label": str(PersonaStatus(persona.status).label),
        "group_size_shown": str(suppress_count(persona.group_size, settings.SMALL_CELL_THRESHOLD)),
        # The exact size only for those who may edit it, as on the pages.
        "group_size": persona.group_size if current.membership.can_edit else None,
        "age_min": persona.age_min,
        "age_max": persona.age_max,
        "school_types": list(persona.school_types),
        "avatar": persona.avatar,
        "archived": persona.is_archived,
        "updated_at": persona.updated_at,
    }


def scenarios_out(persona: Persona) -> list[ScenarioOut]:
    """The cost overview of the cost page, as data: the same lines and totals, counted once."""
    overview = persona_cost_overview(persona)
    return [
        ScenarioOut(
            id=view.scenario.pk,
            kind=ScenarioKind(view.scenario.kind),
            label=view.scenario.label,
            name=view.scenario.name,
            title=view.title,
            lines=[
                CostLineOut(
                    id=line_view.line.pk,
                    description=line_view.line.description,
                    funding_stream=line_view.line.funding_stream.code,
                    payer=line_view.line.payer.code,
                    unit=Unit(line_view.line.unit),
                    tariff_id=line_view.line.tariff_id,
                    rate=line_view.line.rate,
                    quantity=line_view.line.quantity,
                    hours_per_week=line_view.line.hours_per_week,
                    weeks=line_view.line.weeks,
                    pupils=line_view.line.pupils,
                    total=line_view.cost.total,
                    per_pupil=line_view.cost.per_pupil,
                    calculation=line_view.calculation,
                )
                for line_view in view.lines
            ],
            totals=TotalsOut(
                total=view.totals.total,
                per_pupil=view.totals.per_pupil,
                per_payer=dict(view.totals.per_payer),
                per_stream=dict(view.totals.per_stream),
            ),
        )
        for view in overview.scenarios
    ]


def persona_out(persona: Persona, current: TokenAccess) -> PersonaOut:
    sections = [
        SectionOut(
            section=view.section,
            heading=view.heading,
            version=view.version,
            items=[ItemOut(text=item.text, signal_id=item.signal_id) for item in view.items],
        )
        for view in persona_selectors.persona_sections(persona)
    ]
    return PersonaOut(
        **_summary(persona, current),
        meta_version=persona.version_of(META),
        sections=sections,
        scenarios=scenarios_out(persona),
    )


@router.get("/personas", response=read(list[PersonaSummaryOut]), summary="Persona's")
@paginate(Pagination)
def persona_list(
    request: HttpRequest,
    status: PersonaStatus | None = None,
    school_type: SchoolType | None = None,
    q: SearchText = None,
    archived: bool = False,
) -> list[dict[str, object]]:
    """De persona's van de organisatie, op naam. Filters: status, schoolsoort, zoektekst (in
    de naam en de regels) en archief."""
    current = access(request)
    personas: QuerySet[Persona] = persona_selectors.personas_for_organisation(
        current.organisation, archived=archived
    )
    if status:
        personas = personas.filter(status=status)
    if q and q.strip():
        text = q.strip()
        personas = personas.filter(
            Q(name__icontains=text)
            | Q(pk__in=PersonaItem.objects.filter(text__icontains=text).values("persona_id"))
        )
    found = list(personas.order_by("name", "pk"))
    if school_type:
        # A JSON list: filtered here, the same way on SQLite and PostgreSQL.
        found = [p for p in found if school_type in (p.school_types or [])]
    return [_summary(persona, current) for persona in found]


@router.get("/personas/{persona_id}", response=read(PersonaOut), summary="Eén persona")
def persona_detail(request: HttpRequest, persona_id: Id) -> PersonaOut:
    """Een persona met alle onderdelen van het sjabloon en de kosten per scenario, met de
    totalen zoals de kostenpagina ze telt."""
    current = access(request)
    return persona_out(persona_of(current, persona_id), current)


@router.put("/personas/{persona_id}", response=write(PersonaOut), summary="Gegevens wijzigen")
def persona_update(request: HttpRequest, persona_id: Id, data: PersonaMetaIn) -> PersonaOut:
    """Naam, groepsgrootte, leeftijden, schoolsoorten, illustratie en status (opsteller). Stuur
    `version` mee zoals je `meta_version` las; heeft iemand intussen opgeslagen, dan volgt
    409."""
    current = require_role(request, Role.OPSTELLER)
    persona = editable(persona_of(current, persona_id))
    persona = persona_services.persona_update_meta(
        persona=persona,
        expected_version=data.version,
        user=current.user,
        name=data.name,
        group_size=data.group_size,
        age_min=data.age_min,
        age_max=data.age_max,
        school_types=[str(t) for t in data.school_types],
        avatar=data.avatar,
        status=data.status,
    )
    return persona_out(persona_of(current, persona.pk), current)


@router.put(
    "/personas/{persona_id}/sections/{section}",
    response=write(PersonaOut),
    summary="Onderdeel opslaan",
)
def section_save(
    request: HttpRequest, persona_id: Id, section: Section, data: SectionIn
) -> PersonaOut:
    """Vervangt alle regels van één onderdeel (opsteller). Lege regels vallen weg. Stuur
    `version` van het onderdeel mee; heeft iemand het intussen opgeslagen, dan volgt 409."""
    current = require_role(request, Role.OPSTELLER)
    persona = editable(persona_of(current, persona_id))
    persona_services.persona_section_save(
        persona=persona,
        section=Section(section),
        items=[
            persona_services.ItemInput(text=item.text, signal_id=item.signal_id)
            for item in data.items
        ],
        expected_version=data.version,
        user=current.user,
    )
    return persona_out(persona_of(current, persona.pk), current)
