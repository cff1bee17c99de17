"""Making export files: one persona or many, in any format of the registry, at once or in the
background, and keeping the result for a while in private storage."""

from __future__ import annotations

import io
import logging
import re
import unicodedata
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from zio.accounts.models import User
from zio.common.files import write_private
from zio.organisations.models import Organisation
from zio.personas.models import Persona

from . import selectors
from .document import Audience, PersonaDocument, audience_label, persona_document
from .formats import FORMATS_BY_KEY, ExportContext, ExportFormat
from .models import ExportJob, ExportStatus

logger = logging.getLogger(__name__)

ZIP_TYPE = "application/zip"


@dataclass
class ExportFile:
    filename: str
    content_type: str
    content: bytes
    notes: list[str] = field(default_factory=list)


def _slug(text: str) -> str:
    """A file-name-safe version of a name: no accents, no spaces, nothing a file system or a
    Content-Disposition header could trip over."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")[:40] or "persona"


def export_title(organisation: Organisation, personas: Sequence[Persona]) -> str:
    if len(personas) == 1:
        return _("Persona %(name)s") % {"name": personas[0].name}
    return _("Persona's van %(organisation)s") % {"organisation": organisation.name}


def _filename(
    export_format: ExportFormat, stem: str, made_at: datetime, extension: str | None = None
) -> str:
    extension = extension or export_format.extension
    return f"{export_format.key}-{_slug(stem)}-{made_at:%Y-%m-%d}.{extension}"


def build_export(
    *,
    export_format: ExportFormat,
    audience: Audience,
    organisation: Organisation,
    personas: Sequence[Persona],
    made_at: datetime | None = None,
    on_progress: Callable[[int, str], None] | None = None,
) -> ExportFile:
    """Render the persona's in one format for one audience.

    Combined formats give one file; the others one file per persona, packed in a ZIP when there
    is more than one. `on_progress(done, stage)` is told after each persona is collected.
    """
    if not personas:
        raise ValueError("nothing to export")
    made_at = made_at or timezone.localtime()
    context = ExportContext(
        audience=audience,
        organisation=organisation.name,
        title=export_title(organisation, personas),
        made_at=made_at,
    )
    documents: list[PersonaDocument] = []
    for done, persona in enumerate(personas, start=1):
        documents.append(persona_document(persona, audience))
        if on_progress:
            on_progress(
                done,
                _("Persona's verzamelen (%(done)s van %(total)s)")
                % {
                    "done": done,
                    "total": len(personas),
                },
            )
    if on_progress:
        on_progress(len(personas), _("Bestand opmaken"))

    stem = personas[0].name if len(personas) == 1 else organisation.name
    if export_format.combined or len(documents) == 1:
        rendered = export_format.render(documents, context)
        return ExportFile(
            _filename(export_format, stem, made_at),
            export_format.content_type,
            rendered.content,
            rendered.notes,
        )

    buffer = io.BytesIO()
    notes: list[str] = []
    used: set[str] = set()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for document in documents:
            rendered = export_format.render([document], context)
            name = _filename(export_format, document.name, made_at)
            if name in used:  # two persona's with the same name
                name = _filename(export_format, f"{document.name}-{document.persona.pk}", made_at)
            used.add(name)
            archive.writestr(name, rendered.content)
            notes.extend(rendered.notes)
    return ExportFile(
        _filename(export_format, stem, made_at, "zip"), ZIP_TYPE, buffer.getvalue(), notes
    )


# --- exports in the background --------------------------------------------------------------


def export_path(job: ExportJob) -> Path:
    return Path(settings.PRIVATE_UPLOAD_ROOT) / "exports" / f"{job.pk}.bin"


def export_content(job: ExportJob) -> bytes:
    return export_path(job).read_bytes()


def exports_forget_expired(organisation: Organisation | None = None) -> int:
    """Delete exports older than `EXPORT_KEEP_DAYS` (of one organisation, or of all) with their
    files: they hold persona's as they were. Returns how many were deleted. Each file goes
    with its record (see `handlers.py`)."""
    expired = ExportJob.objects.filter(created_at__lt=selectors.export_cutoff())
    if organisation is not None:
        expired = expired.filter(organisation=organisation)
    count = 0
    for job in expired:
        job.delete()
        count += 1
    return count


def export_start(
    *,
    organisation: Organisation,
    user: User,
    format_key: str,
    audience: Audience,
    persona_ids: Sequence[int],
) -> ExportJob:
    """Record an export and make it: at once when it is small, else in the background."""
    export_format = FORMATS_BY_KEY[format_key]
    exports_forget_expired(organisation)
    job = ExportJob.objects.create(
        organisation=organisation,
        format=format_key,
        audience=audience,
        persona_ids=[int(i) for i in persona_ids],
        total=len(persona_ids),
        created_by=user,
    )
    threshold = export_format.background_from
    if threshold is not None and len(persona_ids) >= threshold:
        from .tasks import run_export

        job_id = str(job.pk)
        transaction.on_commit(lambda: run_export.enqueue(job_id))
    else:
        export_execute(job_id=str(job.pk))
        job.refresh_from_db()
    return job


def _update(job: ExportJob, **fields: object) -> None:
    for name, value in fields.items():
        setattr(job, name, value)
    job.save(update_fields=list(fields))


def export_execute(*, job_id: str) -> None:
    """Make the file of a recorded export. Never raises: a failure is recorded on the job."""
    job = ExportJob.objects.select_related("organisation").get(pk=job_id)
    if job.is_finished:
        return
    _update(job, status=ExportStatus.RUNNING, stage=_("Bezig"))
    try:
        personas = selectors.personas_for_export(job.organisation, job.persona_ids)
        if not personas:
            raise LookupError("no persona's left")
        result = build_export(
            export_format=FORMATS_BY_KEY[job.format],
            audience=Audience(job.audience),
            organisation=job.organisation,
            personas=personas,
            on_progress=lambda done, stage: _update(job, done=done, stage=stage),
        )
        write_private(export_path(job), result.content)
        notes = list(result.notes)
        skipped = len(job.persona_ids) - len(personas)
        if skipped:
            notes.append(
                ngettext(
                    "Niet alle gekozen persona's bestaan nog: %(n)s is overgeslagen.",
                    "Niet alle gekozen persona's bestaan nog: %(n)s zijn overgeslagen.",
                    skipped,
                )
                % {"n": skipped}
            )
        _update(
            job,
            status=ExportStatus.DONE,
            stage="",
            filename=result.filename,
            size=len(result.content),
            notes=notes,
            finished_at=timezone.now(),
        )
    except Exception:
        # The user sees a plain message; the details go to the log for the maintainers.
        logger.exception("export %s failed", job_id)
        _update(
            job,
            status=ExportStatus.FAILED,
            stage=_(
                "Het maken van het bestand is mislukt. Probeer het opnieuw of kies minder "
                "persona's."
            ),
            finished_at=timezone.now(),
        )


def describe(job: ExportJob) -> str:
    export_format = FORMATS_BY_KEY.get(job.format)
    name = str(export_format.label) if export_format else job.format
    return _("%(format)s, voor: %(audience)s") % {
        "format": name,
        "audience": audience_label(job.audience),
    }
