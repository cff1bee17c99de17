"""Grouping runs and their groups, as the run page shows them: group sizes suppressed,
explanations in sentences, and nothing at all once a screening is gone or its consent was
withdrawn (`grouping.selectors.run_view`)."""

from typing import Any

from django.http import HttpRequest
from ninja import Router
from ninja.pagination import paginate

from zio.api.pagination import Pagination
from zio.api.schemas import GroupingRunOut, GroupingRunSummaryOut, GroupOut
from zio.grouping import selectors as grouping_selectors
from zio.grouping.models import GroupingRun, RunStatus

from .common import Id, access, not_found, read
from .screening import shown, shown_count

router = Router(tags=["groeperen"])


def _summary(run: GroupingRun) -> dict[str, Any]:
    return {
        "id": run.pk,
        "status": run.status,
        "status_label": str(RunStatus(run.status).label),
        "pupils": shown_count(run.pupil_count),
        "chosen_k": run.chosen_k,
        "screening_ids": sorted(screening.pk for screening in run.screenings.all()),
        "created_at": run.created_at,
        "finished_at": run.finished_at,
    }


@router.get("/grouping-runs", response=read(list[GroupingRunSummaryOut]), summary="Groeperingen")
@paginate(Pagination)
def run_list(request: HttpRequest) -> list[dict[str, object]]:
    """De groeperingen van de organisatie, nieuwste eerst."""
    current = access(request)
    runs = grouping_selectors.runs_for_organisation(current.organisation).prefetch_related(
        "screenings"
    )
    return [_summary(run) for run in runs.order_by("-created_at", "-pk")]


@router.get("/grouping-runs/{run_id}", response=read(GroupingRunOut), summary="Eén groepering")
def run_detail(request: HttpRequest, run_id: Id) -> GroupingRunOut:
    """Een groepering met haar groepen: grootte na onderdrukking, wat elke groep
    onderscheidt, en welke groepen zijn opgegaan in een andere."""
    current = access(request)
    try:
        run = grouping_selectors.run_for_organisation(current.organisation, run_id)
    except GroupingRun.DoesNotExist:
        raise not_found() from None
    unavailable = ""
    if run.status == RunStatus.FAILED:
        unavailable = run.message
    elif run.status == RunStatus.DONE:
        unavailable = grouping_selectors.run_unavailable(run) or ""
    view = None if unavailable else grouping_selectors.run_view(run)
    groups: list[GroupOut] = []
    if view is not None:
        numbers = {group.pk: group.number for group in run.groups.all()}
        for group, explanation in view.explanations:
            groups.append(
                GroupOut(
                    id=group.pk,
                    number=group.number,
                    title=group.title,
                    set_aside=group.set_aside,
                    merged_into=None,
                    pupils=shown(explanation.size),
                    distinguishing=[item.sentence for item in explanation.distinguishing],
                    mean_posterior_percent=(
                        None if explanation.size.is_suppressed else explanation.mean_posterior
                    ),
                    stability_label=explanation.stability_label,
                )
            )
        for group in view.merged:
            groups.append(
                GroupOut(
                    id=group.pk,
                    number=group.number,
                    title=group.title,
                    set_aside=group.set_aside,
                    merged_into=numbers.get(group.merged_into_id or 0),
                    pupils=None,
                    distinguishing=[],
                    mean_posterior_percent=None,
                    stability_label="",
                )
            )
    return GroupingRunOut(**_summary(run), unavailable=unavailable, groups=groups)
