from __future__ import annotations

import csv
import io
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zio.common.htmx import reload_page
from zio.common.spreadsheets import safe_cell
from zio.common.types import OrganisationRequest
from zio.organisations.constants import Role
from zio.organisations.permissions import membership_required

from . import selectors, services
from .forms import UploadForm
from .importers import problem_title
from .models import Screening, ScreeningImport
from .spec import SCALE_0_3, SCALE_YES_NO
from .statistics import PopulationStatistics
from .template import template_csv, template_xlsx

# Problems shown per kind on the page; the download has them all.
PROBLEMS_PER_KIND = 20


def _screening(request: OrganisationRequest, screening_id: int) -> Screening:
    try:
        return selectors.screening_for_organisation(request.organisation, screening_id)
    except Screening.DoesNotExist:
        raise Http404 from None


def _import(request: OrganisationRequest, import_id: Any) -> ScreeningImport:
    try:
        return selectors.import_for_organisation(request.organisation, str(import_id))
    except ScreeningImport.DoesNotExist:
        raise Http404 from None


def _overview_context(
    request: OrganisationRequest, screening: Screening | None, form: UploadForm | None = None
) -> dict[str, Any]:
    can_edit = request.membership.can_edit
    stats = selectors.population(screening) if screening else None
    return {
        "screening": screening,
        "stats": stats,
        "charts": _charts(stats) if stats and not stats.too_small else None,
        "screenings": selectors.screenings_for_organisation(request.organisation),
        "imports": selectors.recent_imports(request.organisation) if can_edit else [],
        "form": (form or UploadForm()) if can_edit else None,
        "can_edit": can_edit,
    }


def _charts(stats: PopulationStatistics) -> dict[str, Any]:
    signals = selectors.signal_bars(stats.signals_by_frequency)
    return {
        "ages": selectors.distribution_bars(stats.ages),
        "grades": selectors.distribution_bars(stats.grades),
        "school_types": selectors.distribution_bars(stats.school_types),
        # Rare signals are listed apart: a long column of "< 10" says little.
        "signals": [bar for bar in signals if not bar.count.is_suppressed],
        "rare_signals": [bar for bar in signals if bar.count.is_suppressed],
        "support": selectors.signal_bars(stats.support),
        "cooccurrence": list(zip(stats.cooccurrence.signals, stats.cooccurrence.rows, strict=True)),
    }


@membership_required()
@require_GET
def overview(request: OrganisationRequest) -> HttpResponse:
    screening = selectors.current_screening(request.organisation, request.GET.get("jaar", ""))
    return render(request, "screening/overview.html", _overview_context(request, screening))


@membership_required()
@require_GET
def screening_detail(request: OrganisationRequest, screening_id: int) -> HttpResponse:
    screening = _screening(request, screening_id)
    return render(request, "screening/overview.html", _overview_context(request, screening))


@membership_required()
@require_GET
def template_download(request: OrganisationRequest, file_format: str) -> HttpResponse:
    scale = SCALE_0_3 if request.GET.get("schaal") == SCALE_0_3 else SCALE_YES_NO
    spec = services.screening_spec(request.organisation, scale=scale)
    name = f"screening-{slugify(request.organisation.name)}"
    if file_format == "xlsx":
        response = HttpResponse(
            template_xlsx(spec, request.organisation.name, services.screening_limits()),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    elif file_format == "csv":
        response = HttpResponse(template_csv(spec), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    else:
        raise Http404
    return response


@membership_required(Role.OPSTELLER)
@require_POST
def upload(request: OrganisationRequest) -> HttpResponse:
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        screening = selectors.current_screening(request.organisation)
        return render(
            request,
            "screening/overview.html",
            _overview_context(request, screening, form=form),
            status=400,
        )
    upload_file = form.cleaned_data["file"]
    job = services.screening_import_start(
        organisation=request.organisation,
        school_year=form.cleaned_data["school_year"],
        filename=upload_file.name,
        data=upload_file.read(),
        user=request.user,
    )
    return redirect("screening:import_status", job.pk)


def _grouped_problems(job: ScreeningImport) -> list[dict[str, Any]]:
    groups: dict[str, dict[str, Any]] = {}
    for problem in job.problems:
        group = groups.setdefault(
            problem["kind"],
            {
                "kind": problem["kind"],
                "title": problem_title(problem["kind"], problem["message"]),
                "items": [],
                "count": 0,
            },
        )
        group["count"] += 1
        if len(group["items"]) < PROBLEMS_PER_KIND:
            group["items"].append(problem)
    return sorted(groups.values(), key=lambda g: -int(g["count"]))


@membership_required(Role.OPSTELLER)
@require_GET
def import_status(request: OrganisationRequest, import_id: Any) -> HttpResponse:
    job = _import(request, import_id)
    context = {"job": job, "groups": _grouped_problems(job) if job.problems else []}
    if request.htmx:
        if job.is_finished:
            # The progress fragment asks the browser to show the whole result page.
            return reload_page()
        return render(request, "screening/import_status.html#progress", context)
    return render(request, "screening/import_status.html", context)


@membership_required(Role.OPSTELLER)
@require_GET
def import_problems(request: OrganisationRequest, import_id: Any) -> HttpResponse:
    """The full list of problems as CSV (for Excel), safe against formula injection."""
    job = _import(request, import_id)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([_("Rij"), _("Kolom"), _("Kolomnaam"), _("Waarde"), _("Probleem")])
    for problem in job.problems:
        writer.writerow(
            [
                problem.get("row") or "",
                safe_cell(problem.get("column") or ""),
                safe_cell(problem.get("header") or ""),
                safe_cell(problem.get("value") or ""),
                safe_cell(problem["message"]),
            ]
        )
    if job.problem_total > len(job.problems):
        writer.writerow(
            [
                "",
                "",
                "",
                "",
                ngettext(
                    "Nog %(n)s probleem staat niet in deze lijst; los eerst de problemen hierboven "
                    "op.",
                    "Nog %(n)s problemen staan niet in deze lijst; los eerst de problemen "
                    "hierboven op.",
                    job.problem_total - len(job.problems),
                )
                % {"n": job.problem_total - len(job.problems)},
            ]
        )
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="problemen-screening.csv"'
    return response


@membership_required(Role.OPSTELLER)
@require_POST
def screening_share(request: OrganisationRequest, screening_id: int) -> HttpResponse:
    screening = _screening(request, screening_id)
    share = screening.pooling_consent_at is None
    services.screening_set_pooling_consent(screening=screening, user=request.user, consent=share)
    if share:
        messages.success(
            request,
            _(
                "Organisaties uit je regio kunnen deze screening nu meenemen "
                "als ze over meer scholen groeperen. Ze zien alleen groepen."
            ),
        )
    else:
        messages.success(
            request, _("De screening wordt niet meer gedeeld voor regionaal groeperen.")
        )
    return redirect("screening:detail", screening.pk)


@membership_required(Role.OPSTELLER)
@require_http_methods(["GET", "POST"])
def screening_delete(request: OrganisationRequest, screening_id: int) -> HttpResponse:
    screening = _screening(request, screening_id)
    if request.method == "POST":
        services.screening_delete(screening=screening)
        messages.success(
            request,
            _("De screening van %(year)s is verwijderd.") % {"year": screening.school_year},
        )
        return redirect("screening:overview")
    return render(request, "screening/screening_delete.html", {"screening": screening})
