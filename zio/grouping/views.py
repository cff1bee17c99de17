from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from zio.common.htmx import reload_page
from zio.common.types import OrganisationRequest
from zio.organisations.constants import Role
from zio.organisations.permissions import membership_required

from . import selectors, services
from .forms import GroupingStartForm, MergeForm, RenameForm, RerunForm
from .models import Group, GroupingRun, RunStatus


def _run(request: OrganisationRequest, run_id: int) -> GroupingRun:
    try:
        return selectors.run_for_organisation(request.organisation, run_id)
    except GroupingRun.DoesNotExist:
        raise Http404 from None


def _group(run: GroupingRun, group_id: int) -> Group:
    try:
        return selectors.group_of_run(run, group_id)
    except Group.DoesNotExist:
        raise Http404 from None


def _overview_context(
    request: OrganisationRequest, form: GroupingStartForm | None = None
) -> dict[str, Any]:
    screenings = selectors.allowed_screenings(request.organisation)
    can_edit = request.membership.can_edit
    if form is None and can_edit and screenings:
        form = GroupingStartForm(screenings=screenings, organisation=request.organisation)
    return {
        "runs": selectors.runs_for_organisation(request.organisation)[:20],
        "screenings": screenings,
        "form": form if can_edit else None,
        "can_edit": can_edit,
        "threshold": settings.SMALL_CELL_THRESHOLD,
        "reliable_pupils": services.RELIABLE_PUPILS,
    }


@membership_required()
@require_GET
def overview(request: OrganisationRequest) -> HttpResponse:
    return render(request, "grouping/overview.html", _overview_context(request))


@membership_required(Role.OPSTELLER)
@require_POST
def start(request: OrganisationRequest) -> HttpResponse:
    screenings = selectors.allowed_screenings(request.organisation)
    form = GroupingStartForm(request.POST, screenings=screenings, organisation=request.organisation)
    if form.is_valid():
        try:
            run = services.grouping_start(
                organisation=request.organisation,
                screenings=list(form.cleaned_data["screenings"]),
                user=request.user,
                k=form.chosen_k(),
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            return redirect("grouping:run", run.pk)
    return render(request, "grouping/overview.html", _overview_context(request, form), status=400)


@membership_required()
@require_GET
def run_detail(request: OrganisationRequest, run_id: int) -> HttpResponse:
    run = _run(request, run_id)
    if request.htmx and request.GET.get("voortgang"):
        if run.is_finished:
            return reload_page()
        return render(request, "grouping/run.html#progress", {"run": run})
    unavailable = selectors.run_unavailable(run) if run.status == RunStatus.DONE else None
    view = selectors.run_view(run)
    active = run.groups.filter(merged_into__isnull=True)
    can_edit = request.membership.can_edit and not unavailable
    return render(
        request,
        "grouping/run.html",
        {
            "run": run,
            "view": view,
            "unavailable": unavailable,
            "can_edit": can_edit,
            "merge_form": MergeForm(groups=active) if can_edit and active.count() > 1 else None,
            "rerun_form": RerunForm() if can_edit else None,
            "rename_form": RenameForm(),
            "events": run.events.select_related("author")[:30],
            "reliable_pupils": services.RELIABLE_PUPILS,
            "threshold": settings.SMALL_CELL_THRESHOLD,
            "curve": _curve(run),
        },
    )


def _curve(run: GroupingRun) -> dict[str, Any] | None:
    """Points of the BIC line for a small SVG chart (the table next to it has the numbers)."""
    fits = run.fits
    if len(fits) < 2:
        return None
    bics = [f["bic"] for f in fits]
    low, high = min(bics), max(bics)
    span = (high - low) or 1.0
    width, height = 300, 120
    step = width / (len(fits) - 1)
    points = [
        (round(i * step, 1), round(height - (b - low) / span * height, 1))
        for i, b in enumerate(bics)
    ]
    return {
        "points": " ".join(f"{x},{y}" for x, y in points),
        "dots": [
            {"x": x, "y": y, "k": f["k"], "chosen": f["k"] == run.chosen_k}
            for (x, y), f in zip(points, fits, strict=True)
        ],
        "width": width,
        "height": height,
    }


def _back(run: GroupingRun) -> HttpResponse:
    return redirect("grouping:run", run.pk)


@membership_required(Role.OPSTELLER)
@require_POST
def group_rename(request: OrganisationRequest, run_id: int, group_id: int) -> HttpResponse:
    run = _run(request, run_id)
    group = _group(run, group_id)
    form = RenameForm(request.POST)
    if form.is_valid():
        services.group_rename(group=group, title=form.cleaned_data["title"], user=request.user)
        messages.success(request, _("De groep heet nu %(title)s.") % {"title": group.title})
    else:
        messages.error(request, _("Geef de groep een naam."))
    return _back(run)


@membership_required(Role.OPSTELLER)
@require_POST
def group_set_aside(request: OrganisationRequest, run_id: int, group_id: int) -> HttpResponse:
    run = _run(request, run_id)
    group = _group(run, group_id)
    services.group_set_aside(group=group, user=request.user, set_aside=not group.set_aside)
    return _back(run)


@membership_required(Role.OPSTELLER)
@require_POST
def merge(request: OrganisationRequest, run_id: int) -> HttpResponse:
    run = _run(request, run_id)
    form = MergeForm(request.POST, groups=run.groups.filter(merged_into__isnull=True))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return _back(run)
    try:
        keep = services.group_merge(
            run=run,
            keep=form.cleaned_data["keep"],
            absorb=form.cleaned_data["absorb"],
            user=request.user,
        )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(
            request,
            _("Samengevoegd: groep %(n)s heeft nu de leerlingen van beide groepen.")
            % {"n": keep.number},
        )
    return _back(run)


@membership_required(Role.OPSTELLER)
@require_POST
def rerun(request: OrganisationRequest, run_id: int) -> HttpResponse:
    run = _run(request, run_id)
    form = RerunForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Kies een aantal groepen van 1 tot en met 10."))
        return _back(run)
    signal_ids = [int(v) for v in request.POST.getlist("signals") if v.isdigit()] or None
    try:
        new = services.grouping_start(
            organisation=request.organisation,
            screenings=list(run.screenings.all()),
            user=request.user,
            k=form.chosen_k(),
            signal_ids=signal_ids,
            based_on=run,
        )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return _back(run)
    return redirect("grouping:run", new.pk)


@membership_required(Role.OPSTELLER)
@require_POST
def persona_draft(request: OrganisationRequest, run_id: int, group_id: int) -> HttpResponse:
    run = _run(request, run_id)
    group = _group(run, group_id)
    try:
        persona = services.persona_from_group(group=group, user=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return _back(run)
    messages.success(
        request,
        _("Persona %(name)s is gemaakt van groep %(n)s. Vul hem verder aan.")
        % {"name": persona.name, "n": group.number},
    )
    return redirect("personas:detail", persona.pk)
