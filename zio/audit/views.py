from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from zio.common.types import OrganisationRequest
from zio.organisations.constants import Role
from zio.organisations.permissions import membership_required

from . import exports, selectors
from .forms import LogFilterForm
from .labels import detail_label, object_type_label

PER_PAGE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _form(request: OrganisationRequest) -> LogFilterForm:
    actors = selectors.actors_in_log(request.organisation.pk)
    data = request.GET if any(key in request.GET for key in LogFilterForm.base_fields) else None
    return LogFilterForm(data, actors=actors)


@membership_required(Role.BEHEERDER)
@require_GET
def log(request: OrganisationRequest) -> HttpResponse:
    """The organisation's audit log: who looked at, changed or exported what, and when."""
    form = _form(request)
    events = selectors.events_for_organisation(request.organisation.pk, form.filters())
    page = Paginator(events, PER_PAGE).get_page(request.GET.get("pagina"))
    query = request.GET.copy()
    query.pop("pagina", None)
    return render(
        request,
        "audit/log.html",
        {
            "form": form,
            "page_obj": page,
            "rows": [
                (event, object_type_label(event.object_type), detail_label(event.detail))
                for event in page.object_list
            ],
            "page_query": f"{query.urlencode()}&" if query else "",
            "filter_query": query.urlencode(),
            "is_filtered": form.is_bound,
            "retention_days": settings.AUDIT_RETENTION_DAYS,
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@membership_required(Role.BEHEERDER)
@require_GET
def export(request: OrganisationRequest, file_format: str) -> HttpResponse:
    if file_format not in {"csv", "xlsx"}:
        raise Http404
    form = _form(request)
    events = selectors.events_for_organisation(request.organisation.pk, form.filters())
    stamp = timezone.localtime().strftime("%Y-%m-%d")
    filename = f"logboek-{request.organisation.slug}-{stamp}.{file_format}"
    response: HttpResponse | StreamingHttpResponse
    if file_format == "csv":
        response = StreamingHttpResponse(
            exports.csv_rows(events), content_type="text/csv; charset=utf-8"
        )
    else:
        title = _("Logboek van %(organisation)s, gemaakt op %(date)s") % {
            "organisation": request.organisation.name,
            "date": timezone.localtime().strftime("%d-%m-%Y %H:%M"),
        }
        content, _cut = exports.workbook(title, events.iterator(chunk_size=2000))
        response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response  # type: ignore[return-value]
