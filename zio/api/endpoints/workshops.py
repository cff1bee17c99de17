"""Doen-sessies of the organisation with their tables and next steps, and the action list,
where an opsteller sets an action's status, owner and date (as on the page Acties)."""

from typing import Any

from django.http import HttpRequest
from ninja import Router
from ninja.pagination import paginate

from zio.api.pagination import Pagination
from zio.api.schemas import (
    ActionOut,
    ActionPatch,
    NextStepOut,
    TableOut,
    WorkshopOut,
    WorkshopSummaryOut,
)
from zio.organisations.constants import Role
from zio.workshops import selectors as workshop_selectors
from zio.workshops import services as workshop_services
from zio.workshops.constants import ActionStatus, Round, Starter
from zio.workshops.models import Action, NextStep, Workshop

from .common import Id, access, not_found, read, require_role, write

router = Router(tags=["doen-sessies"])


def _summary(workshop: Workshop) -> dict[str, Any]:
    return {
        "id": workshop.pk,
        "title": workshop.title,
        "question": workshop.question,
        "kind": workshop.kind,
        "created_at": workshop.created_at,
        "table_count": workshop.table_count,  # type: ignore[attr-defined]
        "persona_ids": sorted(persona.pk for persona in workshop.personas.all()),
    }


@router.get("/workshops", response=read(list[WorkshopSummaryOut]), summary="Doen-sessies")
@paginate(Pagination)
def workshop_list(request: HttpRequest) -> list[dict[str, object]]:
    """De doen-sessies van de organisatie, nieuwste eerst. De deelnamecode staat er niet in:
    die is voor gasten, en alleen de organisator geeft hem door."""
    current = access(request)
    workshops = (
        workshop_selectors.workshops_for_organisation(current.organisation)
        .prefetch_related("personas")
        .order_by("-created_at", "-pk")
    )
    return [_summary(workshop) for workshop in workshops]


@router.get("/workshops/{workshop_id}", response=read(WorkshopOut), summary="Eén doen-sessie")
def workshop_detail(request: HttpRequest, workshop_id: Id) -> WorkshopOut:
    """Een doen-sessie met haar tafels (en de ronde waarin elke tafel is) en de
    vervolgstappen met 5W+H."""
    current = access(request)
    workshop = (
        workshop_selectors.workshops_for_organisation(current.organisation)
        .prefetch_related("personas")
        .filter(pk=workshop_id)
        .first()
    )
    if workshop is None:
        raise not_found()
    steps = (
        NextStep.objects.filter(table__workshop=workshop)
        .select_related("action")
        .order_by("table__position", "created_at", "pk")
    )
    return WorkshopOut(
        **_summary(workshop),
        tables=[
            TableOut(id=table.pk, name=table.name, round=Round(table.round))
            for table in workshop_selectors.workshop_tables(workshop)
        ],
        next_steps=[
            NextStepOut(
                id=step.pk,
                table_id=step.table_id,
                starter=Starter(step.starter),
                who=step.who,
                what=step.what,
                where=step.where,
                when=step.when,
                why=step.why,
                how=step.how,
                action_id=_action_id(step),
            )
            for step in steps
        ],
    )


def _action_id(step: NextStep) -> int | None:
    try:
        return step.action.pk
    except Action.DoesNotExist:
        return None


def _action_out(action: Action) -> ActionOut:
    step = action.next_step
    return ActionOut(
        id=action.pk,
        title=action.title,
        owner=action.owner,
        due_date=action.due_date,
        status=ActionStatus(action.status),
        overdue=action.is_overdue,
        workshop_id=step.table.workshop_id if step is not None else None,
        updated_at=action.updated_at,
    )


@router.get("/actions", response=read(list[ActionOut]), summary="Acties")
@paginate(Pagination)
def action_list(request: HttpRequest, status: ActionStatus | None = None) -> list[ActionOut]:
    """De acties van de organisatie (uit vervolgstappen van doen-sessies), eerst de vroegste
    datum. Filter: status."""
    current = access(request)
    actions = workshop_selectors.actions_for_organisation(current.organisation)
    if status:
        actions = actions.filter(status=status)
    return [_action_out(action) for action in actions]


@router.patch("/actions/{action_id}", response=write(ActionOut), summary="Actie bijwerken")
def action_update(request: HttpRequest, action_id: Id, data: ActionPatch) -> ActionOut:
    """Status, eigenaar of datum (opsteller); alleen wat je meestuurt verandert. `due_date`:
    null wist de datum."""
    current = require_role(request, Role.OPSTELLER)
    try:
        action = workshop_selectors.action_for_organisation(current.organisation, action_id)
    except Action.DoesNotExist:
        raise not_found() from None
    sent = data.model_fields_set
    workshop_services.action_update(
        action=action,
        status=data.status if "status" in sent else None,
        owner=data.owner if "owner" in sent else None,
        due_date=data.due_date if "due_date" in sent else None,
        clear_due_date="due_date" in sent and data.due_date is None,
    )
    action = workshop_selectors.actions_for_organisation(current.organisation).get(pk=action.pk)
    return _action_out(action)
