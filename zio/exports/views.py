"""Step 4, "Gesprek": take persona's into the conversation as files."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zio.common.htmx import reload_page
from zio.common.types import OrganisationRequest
from zio.organisations.constants import Role
from zio.organisations.permissions import membership_required

from . import selectors, services
from .document import Audience
from .formats import FORMATS_BY_KEY
from .forms import ExportForm, ImportForm
from .models import ExportJob


def _attachment(filename: str, content_type: str, content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    # Exports hold persona's: never let a shared cache keep them.
    response["Cache-Control"] = "private, no-store"
    return response


def _job(request: OrganisationRequest, job_id: Any) -> ExportJob:
    try:
        return selectors.export_for_organisation(request.organisation, job_id)
    except ExportJob.DoesNotExist:
        raise Http404 from None


def _overview(request: OrganisationRequest, form: ExportForm, status: int = 200) -> HttpResponse:
    return render(
        request,
        "exports/overview.html",
        {
            "form": form,
            "jobs": selectors.recent_exports(request.organisation),
            "can_edit": request.membership.can_edit,
            "keep_days": settings.EXPORT_KEEP_DAYS,
            "threshold": settings.SMALL_CELL_THRESHOLD,
        },
        status=status,
    )


@membership_required()
@require_GET
def overview(request: OrganisationRequest) -> HttpResponse:
    personas = selectors.exportable_personas(request.organisation)
    # From a persona's page (?persona=ID) only that persona is ticked; else all of them.
    chosen = [int(p) for p in request.GET.getlist("persona") if p.isdigit()]
    initial_ids = chosen or [p.pk for p in personas]
    form = ExportForm(personas=personas, initial={"personas": initial_ids})
    return _overview(request, form)


@membership_required()
@require_POST
def export(request: OrganisationRequest) -> HttpResponse:
    personas = selectors.exportable_personas(request.organisation)
    form = ExportForm(request.POST, personas=personas)
    if not form.is_valid():
        return _overview(request, form, status=400)
    data = form.cleaned_data
    export_format = FORMATS_BY_KEY[data["format"]]
    audience = Audience(data["audience"])
    chosen = list(data["personas"])
    if export_format.background_from is not None:
        # PDFs go through a recorded export: the page that follows shows progress, any notes
        # (a text that continues on an extra card) and the download.
        job = services.export_start(
            organisation=request.organisation,
            user=request.user,
            format_key=export_format.key,
            audience=audience,
            persona_ids=[p.pk for p in chosen],
        )
        return redirect("exports:job", job.pk)
    result = services.build_export(
        export_format=export_format,
        audience=audience,
        organisation=request.organisation,
        personas=selectors.personas_for_export(request.organisation, [p.pk for p in chosen]),
    )
    return _attachment(result.filename, result.content_type, result.content)


@membership_required()
@require_GET
def job(request: OrganisationRequest, job_id: Any) -> HttpResponse:
    export_job = _job(request, job_id)
    context = {"job": export_job, "description": services.describe(export_job)}
    if request.htmx:
        if export_job.is_finished:
            # The progress fragment asks the browser to show the whole result page.
            return reload_page()
        return render(request, "exports/job.html#progress", context)
    return render(request, "exports/job.html", context)


@membership_required()
@require_GET
def download(request: OrganisationRequest, job_id: Any) -> HttpResponse:
    export_job = _job(request, job_id)
    if not export_job.filename:
        raise Http404
    try:
        content = services.export_content(export_job)
    except FileNotFoundError:
        raise Http404 from None
    export_format = FORMATS_BY_KEY.get(export_job.format)
    content_type = (
        services.ZIP_TYPE
        if export_job.filename.endswith(".zip") or export_format is None
        else export_format.content_type
    )
    return _attachment(export_job.filename, content_type, content)


@membership_required(Role.OPSTELLER)
@require_http_methods(["GET", "POST"])
def import_persona(request: OrganisationRequest) -> HttpResponse:
    from .exchange import ExchangeError, persona_import

    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[Any] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            persona = persona_import(
                organisation=request.organisation, user=request.user, raw=upload.read()
            )
        except ExchangeError as error:
            problems = list(error.errors)
        else:
            messages.success(
                request,
                _("Persona %(name)s is geïmporteerd.") % {"name": persona.name},
            )
            return redirect("personas:detail", persona.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "exports/import.html",
        {"form": form, "problems": problems},
        status=status,
    )
