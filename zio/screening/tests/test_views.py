import io
from collections.abc import Callable

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse

from zio.organisations.models import Membership, Organisation
from zio.screening.models import Screening, ScreeningImport
from zio.screening.services import screening_spec
from zio.screening.tests.helpers import population_csv, rows_csv

pytestmark = pytest.mark.django_db


def _upload(client: Client, name: str, data: bytes, year: str = "2026-2027", **extra):
    return client.post(
        reverse("screening:upload"),
        {"school_year": year, "file": SimpleUploadedFile(name, data)},
        **extra,
    )


@pytest.fixture
def year() -> str:
    from zio.screening.forms import current_school_year

    return current_school_year()


def test_upload_a_semicolon_windows_1252_csv_and_see_the_population(
    opsteller: Membership, client_for: Callable, year: str
) -> None:
    client = client_for(opsteller.user)
    spec = screening_spec(opsteller.organisation)
    rows = [
        {"Leerlingcode": f"Café{n}".replace("é", "e"), "Leeftijd": "9", spec.signals[0].name: "ja"}
        for n in range(25)
    ]
    response = _upload(client, "screening.csv", rows_csv(spec, rows, encoding="cp1252"), year)
    job = ScreeningImport.objects.get()
    assert response["Location"] == reverse("screening:import_status", args=[job.pk])
    page = client.get(response["Location"]).content.decode()
    assert "De screening is opgeslagen" in page
    overview = client.get(reverse("screening:overview")).content.decode()
    assert "25" in overview
    assert spec.signals[0].name in overview


def test_a_rare_signal_shows_as_fewer_than_ten(
    opsteller: Membership, client_for: Callable, year: str
) -> None:
    client = client_for(opsteller.user)
    _upload(client, "s.csv", population_csv(opsteller.organisation, pupils=60, rare=4), year)
    screening = Screening.objects.get()
    page = client.get(reverse("screening:detail", args=[screening.pk])).content.decode()
    rare = screening_spec(opsteller.organisation).signals[1].name
    row = page[page.index(f'<th scope="row">{rare}</th>') :].split("</tr>")[0]
    assert '<td class="cost-num">&lt; 10</td>' in row
    assert ">4<" not in row


def test_errors_are_listed_by_row_and_column_and_nothing_is_stored(
    opsteller: Membership, client_for: Callable, year: str
) -> None:
    client = client_for(opsteller.user)
    spec = screening_spec(opsteller.organisation)
    data = rows_csv(
        spec,
        [
            {"Leerlingcode": "A1", "Leeftijd": "9", spec.signals[0].name: "misschien"},
            {"Leerlingcode": "A2", "Leeftijd": '=HYPERLINK("http://x")'},
        ],
    )
    response = _upload(client, "fout.csv", data, year, follow=True)
    page = response.content.decode()
    assert "Het bestand is niet opgeslagen" in page
    assert "misschien" in page
    assert "Rij" in page
    assert not Screening.objects.exists()
    job = ScreeningImport.objects.get()
    report = client.get(reverse("screening:import_problems", args=[job.pk])).content.decode()
    assert "misschien" in report
    # Nothing in the downloadable list can run as a formula in Excel.
    for line in report.splitlines()[1:]:
        for cell in line.split(";"):
            assert not cell.strip('"').startswith(("=", "+", "@")), cell


def test_xlsx_upload(opsteller: Membership, client_for: Callable, year: str) -> None:
    client = client_for(opsteller.user)
    template = client.get(reverse("screening:template", args=["xlsx"])).content
    workbook = openpyxl.load_workbook(io.BytesIO(template))
    sheet = workbook["Gegevens"]
    headers = [c.value for c in sheet[1]]
    for n in range(12):
        row: list[object] = ["" for _ in headers]
        row[0], row[1] = f"X{n}", 10
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = _upload(client, "screening.xlsx", buffer.getvalue(), year, follow=True)
    assert "De screening is opgeslagen" in response.content.decode()
    assert Screening.objects.get().pupil_count == 12


def test_templates_are_generated_from_the_catalogue(
    meelezer: Membership, client_for: Callable
) -> None:
    client = client_for(meelezer.user)
    spec = screening_spec(meelezer.organisation)
    csv_response = client.get(reverse("screening:template", args=["csv"]))
    assert csv_response["Content-Disposition"].startswith("attachment")
    header = csv_response.content.decode("utf-8-sig").splitlines()[0].split(";")
    assert header == spec.headers
    assert client.get(reverse("screening:template", args=["pdf"])).status_code == 404


@override_settings(SCREENING_MAX_UPLOAD_MB=1)
def test_a_file_over_the_limit_is_refused_before_reading(
    opsteller: Membership, client_for: Callable, year: str
) -> None:
    response = _upload(client_for(opsteller.user), "groot.csv", b"x" * (1024 * 1024 + 10), year)
    assert response.status_code == 400
    assert "het maximum is 1 MB" in response.content.decode()
    assert not ScreeningImport.objects.exists()


def test_meelezer_sees_the_population_but_cannot_upload(
    meelezer: Membership, opsteller: Membership, client_for: Callable, year: str
) -> None:
    _upload(client_for(opsteller.user), "s.csv", population_csv(opsteller.organisation), year)
    client = client_for(meelezer.user)
    page = client.get(reverse("screening:overview")).content.decode()
    assert "Screening uploaden" not in page
    response = _upload(client, "s.csv", population_csv(meelezer.organisation), year)
    assert response.status_code == 403
    assert Screening.objects.count() == 1


def test_another_organisation_sees_nothing(
    opsteller: Membership,
    other_organisation: Organisation,
    make_member: Callable,
    client_for: Callable,
    year: str,
) -> None:
    _upload(client_for(opsteller.user), "s.csv", population_csv(opsteller.organisation), year)
    screening, job = Screening.objects.get(), ScreeningImport.objects.get()
    stranger = client_for(make_member(other_organisation).user)
    assert stranger.get(reverse("screening:detail", args=[screening.pk])).status_code == 404
    assert stranger.get(reverse("screening:import_status", args=[job.pk])).status_code == 404
    assert "Nog geen screening" in stranger.get(reverse("screening:overview")).content.decode()


def test_progress_polling_asks_for_a_refresh_when_done(
    opsteller: Membership, client_for: Callable, year: str
) -> None:
    client = client_for(opsteller.user)
    _upload(client, "s.csv", population_csv(opsteller.organisation), year)
    job = ScreeningImport.objects.get()
    response = client.get(
        reverse("screening:import_status", args=[job.pk]), headers={"HX-Request": "true"}
    )
    assert response.status_code == 204
    assert response["HX-Refresh"] == "true"


def test_delete_screening(opsteller: Membership, client_for: Callable, year: str) -> None:
    client = client_for(opsteller.user)
    _upload(client, "s.csv", population_csv(opsteller.organisation), year)
    screening = Screening.objects.get()
    url = reverse("screening:delete", args=[screening.pk])
    assert "definitief verwijderen" in client.get(url).content.decode()
    client.post(url)
    assert not Screening.objects.exists()


def test_import_page_after_the_screening_was_deleted(
    opsteller: Membership, client_for: Callable, year: str
) -> None:
    client = client_for(opsteller.user)
    _upload(client, "s.csv", population_csv(opsteller.organisation), year)
    job = ScreeningImport.objects.get()
    client.post(reverse("screening:delete", args=[Screening.objects.get().pk]))
    page = client.get(reverse("screening:import_status", args=[job.pk]))
    assert page.status_code == 200
    assert "later weer verwijderd" in page.content.decode()
