import json
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from zio.organisations.models import Organisation
from zio.screening.models import Screening
from zio.screening.services import screening_spec
from zio.screening.tests.helpers import population_csv, rows_csv

pytestmark = pytest.mark.django_db


def test_template_command_writes_xlsx_and_csv(organisation: Organisation, tmp_path: Path) -> None:
    xlsx, csv_file = tmp_path / "s.xlsx", tmp_path / "s.csv"
    call_command("screening_template", organisation=organisation.slug, format="xlsx", output=xlsx)
    call_command(
        "screening_template", organisation=organisation.slug, format="csv", output=csv_file
    )
    headers = [c.value for c in openpyxl.load_workbook(xlsx)["Gegevens"][1]]
    assert headers == screening_spec(organisation).headers
    assert csv_file.read_bytes().startswith(b"\xef\xbb\xbf")


def test_import_command_stores_a_valid_file(
    organisation: Organisation, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "s.csv"
    path.write_bytes(population_csv(organisation, pupils=30))
    call_command(
        "screening_import", str(path), organisation=organisation.slug, school_year="2026-2027"
    )
    assert Screening.objects.get().pupil_count == 30
    assert "30 leerlingen" in capsys.readouterr().out


def test_import_command_fails_with_the_report(
    organisation: Organisation, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = screening_spec(organisation)
    path = tmp_path / "s.csv"
    path.write_bytes(rows_csv(spec, [{"Leerlingcode": "A1", "Leeftijd": "99"}]))
    with pytest.raises(CommandError) as error:
        call_command(
            "screening_import", str(path), organisation=organisation.slug, school_year="2026-2027"
        )
    assert error.value.returncode == 1
    assert "rij 2" in capsys.readouterr().err
    assert not Screening.objects.exists()


def test_import_command_unknown_organisation(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="bestaat niet"):
        call_command(
            "screening_import", str(tmp_path), organisation="nergens", school_year="2026-2027"
        )


def test_export_stats_is_suppressed_json(
    organisation: Organisation, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "s.csv"
    path.write_bytes(population_csv(organisation, pupils=40, rare=3))
    call_command(
        "screening_import", str(path), organisation=organisation.slug, school_year="2026-2027"
    )
    capsys.readouterr()
    call_command("screening_export_stats", organisation=organisation.slug)
    data = json.loads(capsys.readouterr().out)
    assert data["pupils"] == 40
    rare = screening_spec(organisation).signals[1].name
    assert next(s for s in data["signals"] if s["signal"] == rare)["pupils"] == "< 10"
    assert "3" not in json.dumps([s["pupils"] for s in data["signals"]])
