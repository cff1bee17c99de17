"""Writes for screenings: start an import, run it (inline or by the worker), delete.

An import is all or nothing: the file is checked completely first, and only a valid file is
stored, in one transaction that also marks the school year's previous screening as replaced.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
from dataclasses import asdict, dataclass
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zio.common.files import write_private
from zio.organisations.constants import SchoolType
from zio.organisations.models import Organisation
from zio.personas.models import Signal

from . import storage
from .importers import read_and_validate
from .models import ImportStatus, Screening, ScreeningImport
from .selectors import screening_imports_expired, screenings_expired
from .spec import ImportRefused, Limits, ParsedScreening, Problem, ScreeningSpec, SignalColumn

if TYPE_CHECKING:
    from zio.accounts.models import User

logger = logging.getLogger(__name__)

SCHOOL_YEAR_INVALID = gettext_lazy(
    "Vul het schooljaar in als twee opeenvolgende jaren, bijvoorbeeld 2026-2027."
)
UNEXPECTED = gettext_lazy(
    "Er ging iets mis bij het verwerken van het bestand. Er is niets opgeslagen. Probeer het "
    "opnieuw; lukt het dan nog niet, neem contact op met de beheerder van ZiO Persona's."
)
FILE_GONE = gettext_lazy("Het geüploade bestand is niet meer beschikbaar. Upload het opnieuw.")
# Problems kept with a refused import, for the page and the downloadable list.
MAX_STORED_PROBLEMS = 10_000

_SCHOOL_YEAR = re.compile(r"^(\d{4})-(\d{4})$")


def clean_school_year(value: str) -> str:
    match = _SCHOOL_YEAR.match(value.strip())
    if not match or int(match.group(2)) != int(match.group(1)) + 1:
        raise ValidationError(SCHOOL_YEAR_INVALID)
    if not 2000 <= int(match.group(1)) <= 2100:
        raise ValidationError(SCHOOL_YEAR_INVALID)
    return value.strip()


def screening_spec(organisation: Organisation, *, scale: str = "janee") -> ScreeningSpec:
    """The columns of this organisation's screening: its signal catalogue."""
    signals = Signal.objects.for_organisation(organisation)
    default_type = ""
    if organisation.school_type:
        default_type = SchoolType(organisation.school_type).name
    return ScreeningSpec(
        signals=tuple(SignalColumn(s.pk, s.name, s.domain.name) for s in signals),
        default_school_type=default_type,
        scale=scale,
    )


def screening_limits() -> Limits:
    return Limits(
        max_bytes=settings.SCREENING_MAX_UPLOAD_MB * 1024 * 1024,
        max_rows=settings.SCREENING_MAX_ROWS,
    )


def pupil_code_key(organisation: Organisation) -> bytes:
    """The HMAC key for this organisation's pupil codes: derived from the server's key, so
    that the same code at two schools never gives the same hash."""
    server_key = settings.PUPIL_CODE_KEY.encode()
    return hmac.new(server_key, f"organisation:{organisation.pk}".encode(), hashlib.sha256).digest()


def _safe_filename(name: str) -> str:
    # Only the extension matters; a file name may contain a pupil's name, so keep it short.
    base = Path(name or "bestand").name
    return re.sub(r"[^\w.\- ]", "_", base)[-120:] or "bestand"


def _private_path(job: ScreeningImport) -> Path:
    return Path(settings.PRIVATE_UPLOAD_ROOT) / f"{job.pk}.upload"


def screening_import_start(
    *, organisation: Organisation, school_year: str, filename: str, data: bytes, user: User | None
) -> ScreeningImport:
    """Register an import and run it: now for small files, by the worker for large ones."""
    from .tasks import run_screening_import

    job = ScreeningImport.objects.create(
        organisation=organisation,
        school_year=clean_school_year(school_year),
        filename=_safe_filename(filename),
        size=len(data),
        created_by=user,
    )
    if len(data) <= settings.SCREENING_INLINE_MAX_BYTES:
        screening_import_run(import_id=str(job.pk), data=data)
    else:
        write_private(_private_path(job), data, exclusive=True)
        run_screening_import.enqueue(str(job.pk))
    job.refresh_from_db()
    return job


def _set_progress(job: ScreeningImport, percent: int, stage: str) -> None:
    # A plain UPDATE, outside any transaction, so the page that polls sees it at once.
    ScreeningImport.objects.filter(pk=job.pk).update(
        status=ImportStatus.RUNNING, progress=max(0, min(100, percent)), stage=stage[:120]
    )


def _problem_dicts(problems: list[Problem]) -> list[dict[str, object]]:
    return [asdict(p) for p in problems[:MAX_STORED_PROBLEMS]]


def screening_import_run(*, import_id: str, data: bytes | None = None) -> ScreeningImport:
    """Check the file and, if it is valid, store the screening. Never raises for bad files:
    the outcome is in the import's status and problems."""
    job = ScreeningImport.objects.select_related("organisation").get(pk=import_id)
    path = _private_path(job)
    try:
        if data is None:
            if not path.exists():
                raise ImportRefused([Problem(kind="file_gone", message=str(FILE_GONE))])
            data = path.read_bytes()
        _set_progress(job, 5, _("Bestand lezen"))
        spec = screening_spec(job.organisation)
        parsed = read_and_validate(
            data,
            job.filename,
            spec,
            pupil_code_key(job.organisation),
            screening_limits(),
            progress=lambda percent, stage: _set_progress(job, percent, stage),
        )
        _set_progress(job, 95, _("Opslaan"))
        with transaction.atomic():
            screening = _store(job, parsed, {s.signal_id: s.name for s in spec.signals})
            job.status = ImportStatus.DONE
            job.screening = screening
            job.problems, job.problem_total = [], 0
    except ImportRefused as refused:
        job.status = ImportStatus.FAILED
        job.problems = _problem_dicts(refused.problems)
        job.problem_total = refused.total
    except Exception:
        logger.exception("Screening import %s failed unexpectedly", job.pk)
        job.status = ImportStatus.FAILED
        job.problems = [asdict(Problem(kind="unexpected", message=str(UNEXPECTED)))]
        job.problem_total = 1
    finally:
        path.unlink(missing_ok=True)
    job.progress = 100
    job.stage = ""
    job.finished_at = timezone.now()
    job.save()
    return job


def _store(job: ScreeningImport, parsed: ParsedScreening, names: dict[int, str]) -> Screening:
    """Store a checked screening under the names its columns had when it was checked."""
    now = timezone.now()
    # Lock the year's current screening, so two imports at once cannot both become current.
    previous = list(
        Screening.objects.select_for_update()
        .filter(organisation=job.organisation, school_year=job.school_year)
        .current()
    )
    for old in previous:
        old.replaced_at = now
        old.save(update_fields=["replaced_at"])
    return Screening.objects.create(
        organisation=job.organisation,
        school_year=job.school_year,
        pupil_count=parsed.pupil_count,
        signal_ids=list(parsed.signal_ids),
        signal_names=[names[i] for i in parsed.signal_ids],
        support_names=list(parsed.support_names),
        data=storage.pack(parsed),
        created_by=job.created_by,
    )


def screening_set_pooling_consent(*, screening: Screening, user: User, consent: bool) -> Screening:
    """The school's choice to let its region group this screening together with others'."""
    screening.pooling_consent_at = timezone.now() if consent else None
    screening.pooling_consent_by = user if consent else None
    screening.save(update_fields=["pooling_consent_at", "pooling_consent_by"])
    return screening


def screening_delete(*, screening: Screening) -> None:
    """Delete a screening for good (e.g. when a school wants its data gone)."""
    screening.delete()


@dataclass(frozen=True)
class ExpiredYear:
    organisation: str
    school_year: str
    screenings: int


def screenings_expired_summary(*, today: date, years: int) -> list[ExpiredYear]:
    """What `screenings_delete_expired` would delete: per organisation and school year."""
    rows = (
        screenings_expired(today=today, years=years)
        .values("organisation__name", "school_year")
        .annotate(count=Count("pk"))
        .order_by("organisation__name", "school_year")
    )
    return [ExpiredYear(r["organisation__name"], r["school_year"], r["count"]) for r in rows]


def screenings_delete_expired(*, today: date, years: int) -> list[ExpiredYear]:
    """Delete the screenings older than the retention period (SCREENING_RETENTION_YEARS),
    all or nothing, with the finished imports of those years: an import keeps the uploaded
    file's name, which may name a pupil."""
    with transaction.atomic():
        summary = screenings_expired_summary(today=today, years=years)
        for screening in screenings_expired(today=today, years=years).defer("data"):
            screening_delete(screening=screening)
        for job in screening_imports_expired(today=today, years=years):
            # A finished import's upload is already gone; this catches one a crash left
            # behind. Only after the commit, so a rollback cannot lose a file it still needs.
            path = _private_path(job)
            transaction.on_commit(partial(path.unlink, missing_ok=True))
            job.delete()
    return summary
