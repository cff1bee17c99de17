"""Which pages and downloads are logged as "bekeken" or "geëxporteerd".

URL name -> (kind of subject, URL argument holding its id, detail). A detail written as
"{argument}" takes that URL argument's value (e.g. the file format).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_noop

from .services import Subject, current

VIEWED: dict[str, tuple[str, str, str]] = {
    "personas:detail": ("persona", "persona_id", ""),
    "personas:history": ("persona", "persona_id", gettext_noop("geschiedenis")),
    "personas:revision": ("persona", "persona_id", gettext_noop("geschiedenis")),
    "costs:persona_costs": ("persona", "persona_id", gettext_noop("kosten")),
    "screening:detail": ("screening", "screening_id", ""),
    "grouping:run": ("grouping", "run_id", ""),
    "workshops:detail": ("workshop", "workshop_id", ""),
    "workshops:report": ("workshop", "workshop_id", gettext_noop("verslag")),
    "regions:overview": ("region", "region_id", ""),
    "api:v1:persona_detail": ("persona", "persona_id", ""),
    "api:v1:screening_statistics": ("screening", "screening_id", ""),
    "api:v1:run_detail": ("grouping", "run_id", ""),
    "api:v1:workshop_detail": ("workshop", "workshop_id", ""),
}

EXPORTED: dict[str, tuple[str, str, str]] = {
    "exports:download": ("export", "job_id", ""),
    "regions:export": ("region", "region_id", "{file_format}"),
    "workshops:report_pdf": ("workshop", "workshop_id", "pdf"),
    "screening:import_problems": ("screening_import", "import_id", "csv"),
    "audit:export": ("audit_log", "", "{file_format}"),
}


def _active_organisation() -> Any:
    rec = current()
    request = rec.request if rec is not None else None
    return getattr(request, "organisation", None)


def subject_for_route(object_type: str, object_id: Any) -> Subject | None:
    """The subject a page or download is about, with its name for the log."""
    from .receivers import _persona_subject, _run_subject, _workshop_subject

    if object_type == "audit_log":
        organisation = _active_organisation()
        if organisation is None:
            return None
        return Subject(object_type, str(organisation.pk), "", organisation.pk, organisation.name)
    try:
        pk: Any = int(object_id) if object_type not in {"export", "screening_import"} else object_id
    except (TypeError, ValueError):
        return None
    if object_type == "persona":
        return _persona_subject(pk)
    if object_type == "grouping":
        return _run_subject(pk)
    if object_type == "workshop":
        return _workshop_subject(pk)
    if object_type == "screening":
        from zio.screening.models import Screening

        row = Screening.objects.filter(pk=pk).values_list("school_year", "organisation_id").first()
        return Subject(object_type, str(pk), row[0], row[1]) if row else None
    if object_type == "screening_import":
        from zio.screening.models import ScreeningImport

        row = (
            ScreeningImport.objects.filter(pk=pk)
            .values_list("school_year", "organisation_id")
            .first()
        )
        return Subject(object_type, str(pk), row[0], row[1]) if row else None
    if object_type == "export":
        from zio.exports.models import ExportJob

        row = ExportJob.objects.filter(pk=pk).values_list("format", "organisation_id").first()
        return Subject(object_type, str(pk), row[0], row[1]) if row else None
    if object_type == "region":
        from zio.organisations.models import Region

        name = Region.objects.filter(pk=pk).values_list("name", flat=True).first()
        # A region is shared; the event belongs to the organisation that looked.
        return Subject(object_type, str(pk), name) if name is not None else None
    return None
