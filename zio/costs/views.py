"""Pages for a persona's costs and for the tariff tables of the organisation's regions.

Views are thin: a form parses the input, a service writes, a selector reads. Every object is
looked up through the active organisation (the persona, then its scenarios and lines; tariffs
through the organisation's regions), so another organisation's ids give 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zio.common.types import OrganisationRequest
from zio.organisations.constants import Role
from zio.organisations.models import Region
from zio.organisations.permissions import membership_required
from zio.personas.models import Persona
from zio.personas.selectors import persona_for_organisation
from zio.personas.services import ARCHIVED, persona_changed

from . import selectors, services
from .constants import ScenarioKind
from .forms import CostLineForm, ScenarioForm, SeedTariffsForm, TariffForm, add_service_errors
from .models import CostLine, Scenario, Tariff
from .services import (
    LINE_ADDED,
    LINE_CHANGED,
    LINE_DELETED,
    SCENARIO_ADDED,
    SCENARIO_DELETED,
    SCENARIO_RENAMED,
    TARIFFS_READ_ONLY,
)

PAGE = "costs/persona_costs.html"


def _record(request: OrganisationRequest, persona: Persona, summary: Any, **params: str) -> None:
    """Note a change of the costs in the persona's history (who, when, what), so that it can be
    looked back at and restored like any other change of the persona."""
    persona_changed(persona, user=request.user, summary=str(summary % params))


# --- look-ups through the active organisation -----------------------------------------------


def _persona(request: OrganisationRequest, persona_id: int) -> Persona:
    try:
        return persona_for_organisation(request.organisation, persona_id)
    except Persona.DoesNotExist:
        raise Http404 from None


def _editable_persona(request: OrganisationRequest, persona_id: int) -> Persona:
    persona = _persona(request, persona_id)
    if persona.is_archived:
        raise PermissionDenied(ARCHIVED)
    return persona


def _scenario(persona: Persona, scenario_id: int) -> Scenario:
    scenario = get_object_or_404(Scenario, pk=scenario_id, persona=persona)
    scenario.persona = persona
    return scenario


def _line(persona: Persona, line_id: int) -> CostLine:
    line = get_object_or_404(
        CostLine.objects.select_related("scenario", "funding_stream", "payer", "tariff"),
        pk=line_id,
        scenario__persona=persona,
    )
    line.scenario.persona = persona
    return line


def _region(request: OrganisationRequest, region_id: int) -> Region:
    return get_object_or_404(Region, pk=region_id, organisations=request.organisation)


def _tariff(request: OrganisationRequest, tariff_id: int) -> Tariff:
    return get_object_or_404(
        Tariff.objects.select_related("region", "funding_stream"),
        pk=tariff_id,
        region__organisations=request.organisation,
    )


def _require_tariff_editor(request: OrganisationRequest, region: Region) -> None:
    if not selectors.can_edit_region_tariffs(request.membership, region):
        raise PermissionDenied(TARIFFS_READ_ONLY)


# --- the cost page --------------------------------------------------------------------------


@dataclass
class ScenarioCard:
    view: selectors.ScenarioView
    form: CostLineForm | None
    open: bool = False
    status: str = ""


def _prefix(scenario: Scenario) -> str:
    # One add-form per scenario on the page: a prefix keeps field ids unique.
    return f"scenario-{scenario.pk}"


def _costs_url(persona: Persona, scenario: Scenario | None = None) -> str:
    url = reverse("costs:persona_costs", kwargs={"persona_id": persona.pk})
    return f"{url}#scenario-{scenario.pk}" if scenario is not None else url


def _card(
    view: selectors.ScenarioView,
    can_edit: bool,
    form: CostLineForm | None = None,
    status: str = "",
) -> ScenarioCard:
    if can_edit and form is None:
        form = CostLineForm(scenario=view.scenario, prefix=_prefix(view.scenario))
    return ScenarioCard(
        view=view,
        form=form if can_edit else None,
        open=form is not None and (form.is_bound or bool(status)),
        status=status,
    )


def _page_context(
    request: OrganisationRequest,
    persona: Persona,
    *,
    line_form: CostLineForm | None = None,
    scenario_form: ScenarioForm | None = None,
) -> dict[str, Any]:
    overview = selectors.persona_cost_overview(persona)
    can_edit = request.membership.can_edit and not persona.is_archived
    cards = [
        _card(
            view,
            can_edit,
            line_form
            if line_form is not None and line_form.scenario.pk == view.scenario.pk
            else None,
        )
        for view in overview.scenarios
    ]
    return {
        "persona": persona,
        "overview": overview,
        "cards": cards,
        "can_edit": can_edit,
        "scenario_form": scenario_form or ScenarioForm(prefix="nieuw"),
    }


def _card_response(
    request: OrganisationRequest,
    persona: Persona,
    scenario: Scenario,
    *,
    form: CostLineForm | None = None,
    status: str = "",
) -> HttpResponse:
    """The scenario's card for htmx, with the comparison (which the change may have altered)
    as an out-of-band swap."""
    overview = selectors.persona_cost_overview(persona)
    view = next(v for v in overview.scenarios if v.scenario.pk == scenario.pk)
    can_edit = request.membership.can_edit
    card = _card(view, can_edit, form, status)
    card.open = card.open or form is not None
    context = {"persona": persona, "card": card, "can_edit": can_edit}
    html = render_to_string(f"{PAGE}#scenario-card", context, request=request)
    html += render_to_string(
        f"{PAGE}#comparison",
        {
            "persona": persona,
            "overview": overview,
            "oob": True,
        },
        request=request,
    )
    return HttpResponse(html)


@membership_required()
@require_GET
def persona_costs(request: OrganisationRequest, persona_id: int) -> HttpResponse:
    persona = _persona(request, persona_id)
    if request.membership.can_edit and not persona.is_archived:
        # Idempotent set-up on the first visit of someone who fills in costs: the current
        # situation, desired situation A and the alternative, so there is a place to start.
        services.scenarios_ensure_defaults(persona=persona)
    return render(request, PAGE, _page_context(request, persona))


@membership_required(Role.OPSTELLER)
@require_POST
def line_create(request: OrganisationRequest, persona_id: int, scenario_id: int) -> HttpResponse:
    persona = _editable_persona(request, persona_id)
    scenario = _scenario(persona, scenario_id)
    form = CostLineForm(request.POST, scenario=scenario, prefix=_prefix(scenario))
    if form.is_valid():
        try:
            with transaction.atomic():
                line = services.cost_line_create(scenario=scenario, **form.service_fields())
                _record(
                    request, persona, LINE_ADDED, line=line.description, scenario=scenario.title
                )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            status = _("Regel toegevoegd aan %(scenario)s.") % {"scenario": scenario.title}
            if request.htmx:
                fresh = CostLineForm(scenario=scenario, prefix=_prefix(scenario))
                return _card_response(request, persona, scenario, form=fresh, status=status)
            messages.success(request, status)
            return redirect(_costs_url(persona, scenario))
    if request.htmx:
        # htmx only swaps 2xx responses; the errors are in the card.
        return _card_response(request, persona, scenario, form=form)
    return render(request, PAGE, _page_context(request, persona, line_form=form), status=400)


@membership_required(Role.OPSTELLER)
@require_http_methods(["GET", "POST"])
def line_edit(request: OrganisationRequest, persona_id: int, line_id: int) -> HttpResponse:
    persona = _editable_persona(request, persona_id)
    line = _line(persona, line_id)
    if request.method == "POST":
        form = CostLineForm(request.POST, scenario=line.scenario, line=line)
        if form.is_valid():
            try:
                with transaction.atomic():
                    line = services.cost_line_update(line=line, **form.service_fields())
                    _record(request, persona, LINE_CHANGED, line=line.description)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("De regel is opgeslagen."))
                return redirect(_costs_url(persona, line.scenario))
        status = 400
    else:
        form = CostLineForm(scenario=line.scenario, line=line)
        status = 200
    return render(
        request,
        "costs/line_edit.html",
        {"persona": persona, "line": line, "form": form},
        status=status,
    )


@membership_required(Role.OPSTELLER)
@require_http_methods(["GET", "POST"])
def line_delete(request: OrganisationRequest, persona_id: int, line_id: int) -> HttpResponse:
    persona = _editable_persona(request, persona_id)
    line = _line(persona, line_id)
    if request.method == "POST":
        with transaction.atomic():
            services.cost_line_delete(line=line)
            _record(request, persona, LINE_DELETED, line=line.description)
        messages.success(
            request, _("De regel „%(line)s” is verwijderd.") % {"line": line.description}
        )
        return redirect(_costs_url(persona, line.scenario))
    return render(request, "costs/line_delete.html", {"persona": persona, "line": line})


@membership_required(Role.OPSTELLER)
@require_POST
def line_move(request: OrganisationRequest, persona_id: int, line_id: int) -> HttpResponse:
    persona = _editable_persona(request, persona_id)
    line = _line(persona, line_id)
    error = ""
    try:
        services.cost_line_move(line=line, direction=request.POST.get("direction", ""))
    except ValidationError as exc:
        error = exc.messages[0]
    if request.htmx:
        return _card_response(request, persona, line.scenario, status=error)
    if error:
        messages.error(request, error)
    return redirect(_costs_url(persona, line.scenario))


@membership_required(Role.OPSTELLER)
@require_POST
def scenario_create(request: OrganisationRequest, persona_id: int) -> HttpResponse:
    persona = _editable_persona(request, persona_id)
    form = ScenarioForm(request.POST, prefix="nieuw")
    if not form.is_valid():
        return render(
            request, PAGE, _page_context(request, persona, scenario_form=form), status=400
        )
    try:
        with transaction.atomic():
            scenario = services.scenario_add_desired(
                persona=persona, name=form.cleaned_data["name"]
            )
            _record(request, persona, SCENARIO_ADDED, scenario=scenario.title)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect(_costs_url(persona))
    messages.success(request, _("%(scenario)s is toegevoegd.") % {"scenario": scenario.title})
    return redirect(_costs_url(persona, scenario))


@membership_required(Role.OPSTELLER)
@require_http_methods(["GET", "POST"])
def scenario_edit(request: OrganisationRequest, persona_id: int, scenario_id: int) -> HttpResponse:
    persona = _editable_persona(request, persona_id)
    scenario = _scenario(persona, scenario_id)
    if request.method == "POST":
        form = ScenarioForm(request.POST)
        if form.is_valid():
            try:
                with transaction.atomic():
                    services.scenario_update(scenario=scenario, name=form.cleaned_data["name"])
                    _record(request, persona, SCENARIO_RENAMED, scenario=scenario.title)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("De naam is opgeslagen."))
                return redirect(_costs_url(persona, scenario))
        status = 400
    else:
        form = ScenarioForm(initial={"name": scenario.name})
        status = 200
    return render(
        request,
        "costs/scenario_edit.html",
        {"persona": persona, "scenario": scenario, "form": form},
        status=status,
    )


@membership_required(Role.OPSTELLER)
@require_http_methods(["GET", "POST"])
def scenario_delete(
    request: OrganisationRequest, persona_id: int, scenario_id: int
) -> HttpResponse:
    persona = _editable_persona(request, persona_id)
    scenario = _scenario(persona, scenario_id)
    if request.method == "POST":
        try:
            with transaction.atomic():
                services.scenario_delete(scenario=scenario)
                _record(request, persona, SCENARIO_DELETED, scenario=scenario.title)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
            return redirect(_costs_url(persona, scenario))
        messages.success(request, _("%(scenario)s is verwijderd.") % {"scenario": scenario.title})
        return redirect(_costs_url(persona))
    return render(
        request,
        "costs/scenario_delete.html",
        {
            "persona": persona,
            "scenario": scenario,
            "line_count": scenario.lines.count(),
            "can_delete": scenario.kind == ScenarioKind.DESIRED
            and persona.scenarios.filter(kind=ScenarioKind.DESIRED).count() > 1,
        },
    )


# --- tariffs --------------------------------------------------------------------------------


@membership_required()
@require_GET
def tariffs(request: OrganisationRequest) -> HttpResponse:
    return render(
        request,
        "costs/tariffs.html",
        {
            "organisation": request.organisation,
            "tables": selectors.tariff_tables(request.membership),
        },
    )


def _tariffs_url(region: Region) -> str:
    return f"{reverse('costs:tariffs')}#regio-{region.pk}"


@membership_required(Role.BEHEERDER)
@require_http_methods(["GET", "POST"])
def tariff_create(request: OrganisationRequest, region_id: int) -> HttpResponse:
    region = _region(request, region_id)
    _require_tariff_editor(request, region)
    if request.method == "POST":
        form = TariffForm(request.POST)
        if form.is_valid():
            try:
                services.tariff_create(region=region, user=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Het tarief is toegevoegd."))
                return redirect(_tariffs_url(region))
        status = 400
    else:
        form = TariffForm(initial={"year": timezone.localdate().year})
        status = 200
    return render(
        request,
        "costs/tariff_form.html",
        {"region": region, "form": form, "tariff": None},
        status=status,
    )


@membership_required(Role.BEHEERDER)
@require_http_methods(["GET", "POST"])
def tariff_edit(request: OrganisationRequest, tariff_id: int) -> HttpResponse:
    tariff = _tariff(request, tariff_id)
    _require_tariff_editor(request, tariff.region)
    if request.method == "POST":
        form = TariffForm(request.POST)
        if form.is_valid():
            try:
                services.tariff_update(tariff=tariff, user=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Het tarief is opgeslagen."))
                return redirect(_tariffs_url(tariff.region))
        status = 400
    else:
        form = TariffForm(
            initial={
                "name": tariff.name,
                "year": tariff.year,
                "funding_stream": tariff.funding_stream_id,
                "unit": tariff.unit,
                "amount": tariff.amount,
                "source": tariff.source,
                "reference_date": tariff.reference_date,
                "is_indicative": tariff.is_indicative,
            }
        )
        status = 200
    return render(
        request,
        "costs/tariff_form.html",
        {"region": tariff.region, "form": form, "tariff": tariff},
        status=status,
    )


@membership_required(Role.BEHEERDER)
@require_http_methods(["GET", "POST"])
def tariff_delete(request: OrganisationRequest, tariff_id: int) -> HttpResponse:
    tariff = _tariff(request, tariff_id)
    _require_tariff_editor(request, tariff.region)
    if request.method == "POST":
        services.tariff_delete(tariff=tariff)
        messages.success(request, _("Het tarief „%(tariff)s” is verwijderd.") % {"tariff": tariff})
        return redirect(_tariffs_url(tariff.region))
    return render(
        request,
        "costs/tariff_delete.html",
        {"tariff": tariff, "line_count": tariff.cost_lines.count()},
    )


@membership_required(Role.BEHEERDER)
@require_http_methods(["GET", "POST"])
def tariffs_seed(request: OrganisationRequest, region_id: int) -> HttpResponse:
    region = _region(request, region_id)
    _require_tariff_editor(request, region)
    if request.method == "POST":
        form = SeedTariffsForm(request.POST)
        if form.is_valid():
            year = form.cleaned_data["year"]
            try:
                added = services.tariffs_seed_indicative(
                    region=region, year=year, user=request.user
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                if added:
                    messages.success(
                        request,
                        _("%(count)s indicatieve tarieven toegevoegd aan %(year)s.")
                        % {"count": added, "year": year},
                    )
                else:
                    messages.info(
                        request,
                        _("Alle indicatieve tarieven stonden al in %(year)s.") % {"year": year},
                    )
                return redirect(_tariffs_url(region))
        status = 400
    else:
        form = SeedTariffsForm(initial={"year": timezone.localdate().year})
        status = 200
    return render(
        request, "costs/tariffs_seed.html", {"region": region, "form": form}, status=status
    )
