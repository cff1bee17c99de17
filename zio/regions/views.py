"""Pages of the region view: the regions of the organisation, a region's shared persona's
with their costs summed over the region (and as Excel or PDF), and sharing a persona."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from zio.common.types import OrganisationRequest
from zio.organisations.constants import Role
from zio.organisations.models import Region
from zio.organisations.permissions import membership_required
from zio.personas.models import Persona
from zio.personas.selectors import persona_for_organisation

from . import exports, selectors, services
from .forms import RegionFilterForm, ShareForm
from .models import RegionShare

ROWS_PER_PAGE = 50
FILE_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def _region(request: OrganisationRequest, region_id: int) -> Region:
    try:
        return selectors.region_for_organisation(request.organisation, region_id)
    except Region.DoesNotExist:
        raise Http404 from None


@membership_required()
@require_GET
def region_list(request: OrganisationRequest) -> HttpResponse:
    return render(
        request,
        "regions/list.html",
        {"regions": selectors.regions_for_organisation(request.organisation)},
    )


def _filters(
    request: OrganisationRequest, region: Region
) -> tuple[RegionFilterForm, selectors.Filters]:
    schools, signals = selectors.filter_options(region)
    form = RegionFilterForm(request.GET or None, schools=schools, signals=signals)
    if not form.is_bound or not form.is_valid():
        return form, selectors.Filters()
    data = form.cleaned_data
    return form, selectors.Filters(
        school_type=data["school_type"],
        signal_id=data["signal"].pk if data["signal"] else None,
        status=data["status"],
        organisation_id=data["school"].pk if data["school"] else None,
    )


@membership_required()
@require_GET
def region_overview(request: OrganisationRequest, region_id: int) -> HttpResponse:
    region = _region(request, region_id)
    form, filters = _filters(request, region)
    overview = selectors.region_overview(region, filters)
    # The sums cover every shared persona; the table shows them a page at a time.
    page = Paginator(overview.rows, ROWS_PER_PAGE).get_page(request.GET.get("pagina"))
    query = request.GET.copy()
    query.pop("pagina", None)
    return render(
        request,
        "regions/overview.html",
        {
            "region": region,
            "form": form,
            "overview": overview,
            "page_obj": page,
            "query": query.urlencode(),
            "page_query": f"{query.urlencode()}&" if query else "",
            "is_filtered": filters != selectors.Filters(),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@membership_required()
@require_GET
def region_export(request: OrganisationRequest, region_id: int, file_format: str) -> HttpResponse:
    if file_format not in FILE_TYPES:
        raise Http404
    region = _region(request, region_id)
    _form, filters = _filters(request, region)
    overview = selectors.region_overview(region, filters)
    data = (
        exports.region_workbook(overview) if file_format == "xlsx" else exports.region_pdf(overview)
    )
    response = HttpResponse(data, content_type=FILE_TYPES[file_format])
    name = f"regio-{slugify(region.name)[:60].strip('-') or 'overzicht'}.{file_format}"
    response["Content-Disposition"] = content_disposition_header(True, name)
    response["Cache-Control"] = "private, no-store"
    return response


@membership_required(Role.OPSTELLER)
@require_http_methods(["GET", "POST"])
def persona_share(request: OrganisationRequest, persona_id: int) -> HttpResponse:
    try:
        persona = persona_for_organisation(request.organisation, persona_id)
    except Persona.DoesNotExist:
        raise Http404 from None
    regions = selectors.regions_for_organisation(request.organisation)
    shared = list(RegionShare.objects.filter(persona=persona).values_list("region_id", flat=True))
    if request.method == "POST":
        form = ShareForm(request.POST, regions=regions)
        if form.is_valid():
            try:
                services.persona_shares_set(
                    persona=persona, regions=list(form.cleaned_data["regions"]), user=request.user
                )
            except ValidationError as exc:
                form.add_error("regions", exc.messages[0])
            else:
                messages.success(request, _("Delen met de regio is bijgewerkt."))
                return redirect("regions:persona_share", persona.pk)
        status = 400
    else:
        form = ShareForm(regions=regions, initial={"regions": shared})
        status = 200
    return render(
        request,
        "regions/share.html",
        {"persona": persona, "form": form, "has_regions": regions.exists()},
        status=status,
    )
