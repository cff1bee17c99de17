"""The report of a doen-sessie (page and PDF) and the route page of a school.

The report is open to everyone who may open the workshop (`access.workshop_view`): members of
the organising organisation, and participants from elsewhere or guests with the code, for
their own session. The route page is the active organisation's own.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from zio.common.types import OrganisationRequest
from zio.organisations.permissions import membership_required

from .access import WorkshopAccess, workshop_view
from .report import report_pdf as render_report_pdf
from .report import workshop_report
from .route import route_for_organisation


def report_filename(title: str) -> str:
    return f"verslag-{slugify(title)[:60].strip('-') or 'doen-sessie'}.pdf"


@workshop_view
@require_GET
def report(request: HttpRequest, access: WorkshopAccess) -> HttpResponse:
    return render(
        request,
        "workshops/report.html",
        {"report": workshop_report(access.workshop), "access": access},
    )


@workshop_view
@require_GET
def report_pdf(request: HttpRequest, access: WorkshopAccess) -> HttpResponse:
    the_report = workshop_report(access.workshop)
    response = HttpResponse(render_report_pdf(the_report), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        True, report_filename(the_report.title)
    )
    # The report holds what participants wrote: never let a shared cache keep it.
    response["Cache-Control"] = "private, no-store"
    return response


@membership_required()
@require_GET
def route(request: OrganisationRequest) -> HttpResponse:
    return render(
        request,
        "workshops/route.html",
        {"route": route_for_organisation(request.organisation)},
    )
