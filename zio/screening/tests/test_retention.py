"""Retention: screenings older than the kept school years go, with their imports."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from zio.organisations.models import Organisation
from zio.screening.models import ImportStatus, Screening, ScreeningImport
from zio.screening.selectors import screenings_expired
from zio.screening.services import screening_import_start
from zio.screening.tests.helpers import population_csv

Import = Callable[[Organisation, str], ScreeningImport]


@pytest.fixture
def import_year(db: None) -> Import:
    def make(organisation: Organisation, school_year: str) -> ScreeningImport:
        job = screening_import_start(
            organisation=organisation,
            school_year=school_year,
            filename="leerlingen.csv",
            data=population_csv(organisation, pupils=12),
            user=None,
        )
        assert job.status == ImportStatus.DONE
        return job

    return make


def years_left(organisation: Organisation) -> list[str]:
    return sorted(
        Screening.objects.filter(organisation=organisation).values_list("school_year", flat=True)
    )


@pytest.mark.parametrize(
    ("today", "expired"),
    [
        # Still school year 2025-2026: with 2 years kept, 2023-2024 is still in.
        (date(2026, 7, 31), ["2022-2023"]),
        # 1 August starts 2026-2027: now 2023-2024 is more than 2 years back.
        (date(2026, 8, 1), ["2022-2023", "2023-2024"]),
    ],
)
def test_expired_turns_on_1_august(
    organisation: Organisation, import_year: Import, today: date, expired: list[str]
) -> None:
    for year in ["2022-2023", "2023-2024", "2024-2025", "2025-2026"]:
        import_year(organisation, year)
    found = screenings_expired(today=today, years=2).values_list("school_year", flat=True)
    assert sorted(found) == expired


def test_dry_run_lists_and_deletes_nothing(
    organisation: Organisation, other_organisation: Organisation, import_year: Import
) -> None:
    import_year(organisation, "2022-2023")
    import_year(organisation, "2022-2023")  # replaces the first; both are old
    import_year(other_organisation, "2023-2024")
    import_year(organisation, "2026-2027")
    out = io.StringIO()
    call_command("screening_retention", "--dry-run", "--years=2", "--today=2026-09-01", stdout=out)
    assert Screening.objects.count() == 4
    assert ScreeningImport.objects.count() == 4
    lines = out.getvalue().splitlines()
    assert "Zou verwijderen: SBO Het Anker, schooljaar 2022-2023: 2 screening(s)" in lines
    assert "Zou verwijderen: VSO Buiten Bereik, schooljaar 2023-2024: 1 screening(s)" in lines
    assert "3 screening(s) zou(den) worden verwijderd" in out.getvalue()


def test_run_deletes_only_the_old_screenings_and_their_imports(
    organisation: Organisation,
    other_organisation: Organisation,
    import_year: Import,
    settings: Any,
    tmp_path: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.PRIVATE_UPLOAD_ROOT = tmp_path
    old = import_year(organisation, "2023-2024")
    kept = import_year(organisation, "2024-2025")
    other_kept = import_year(other_organisation, "2026-2027")
    # A refused import of an old year has no screening, but still names the file.
    refused = ScreeningImport.objects.create(
        organisation=other_organisation,
        school_year="2020-2021",
        filename="namen.csv",
        size=1,
        status=ImportStatus.FAILED,
    )
    # An upload a crash left behind, for an old and for a kept import.
    (tmp_path / f"{old.pk}.upload").write_bytes(b"pupils")
    (tmp_path / f"{kept.pk}.upload").write_bytes(b"pupils")

    with django_capture_on_commit_callbacks(execute=True):
        call_command("screening_retention", "--years=2", "--today=2026-08-01", stdout=io.StringIO())

    assert years_left(organisation) == ["2024-2025"]
    assert years_left(other_organisation) == ["2026-2027"]
    assert set(ScreeningImport.objects.values_list("pk", flat=True)) == {kept.pk, other_kept.pk}
    assert not ScreeningImport.objects.filter(pk=refused.pk).exists()
    assert not (tmp_path / f"{old.pk}.upload").exists()
    assert (tmp_path / f"{kept.pk}.upload").exists()


def test_default_comes_from_the_setting(
    organisation: Organisation, import_year: Import, settings: Any
) -> None:
    import_year(organisation, "2025-2026")
    import_year(organisation, "2026-2027")
    settings.SCREENING_RETENTION_YEARS = 0
    call_command("screening_retention", "--today=2026-08-01", stdout=io.StringIO())
    assert years_left(organisation) == ["2026-2027"]


def test_negative_years_are_refused(organisation: Organisation, import_year: Import) -> None:
    import_year(organisation, "2020-2021")
    with pytest.raises(CommandError):
        call_command("screening_retention", "--years=-1")
    assert years_left(organisation) == ["2020-2021"]
