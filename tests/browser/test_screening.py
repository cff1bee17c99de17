"""Step 1 in a real browser: upload a screening as XLSX (written by openpyxl) and as a Dutch
Excel CSV (Windows-1252, ';'), see the population with its charts, and "< 10" for a rare
signal; a refused file shows its problems. Every page passes axe and the HTML checker."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
from django.urls import reverse
from playwright.sync_api import Page, expect

from zio.demo.content import DEMO_PASSWORD
from zio.organisations.models import Organisation
from zio.screening.models import Screening
from zio.screening.services import screening_spec
from zio.screening.tests.helpers import rows_csv

from .checks import log_in
from .test_pages import PageAudit


def _school() -> Organisation:
    return Organisation.objects.get(name="SBO De Regenboog")


def _xlsx(organisation: Organisation) -> bytes:
    spec = screening_spec(organisation)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Gegevens"
    sheet.append(spec.headers)
    first, rare = spec.headers.index(spec.signals[0].name), spec.headers.index(spec.signals[1].name)
    for number in range(48):
        row: list[object] = [None] * len(spec.headers)
        row[0], row[1] = f"XL{number:03d}", 7 + number % 5
        row[first] = "ja"
        row[rare] = "ja" if number < 4 else "nee"
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _upload(page: Page, path: Path, year: str) -> None:
    page.get_by_label("Schooljaar").select_option(year)
    page.get_by_label("Bestand met de screening").set_input_files(str(path))
    page.get_by_role("button", name="Uploaden en controleren").click()


def test_upload_xlsx_and_windows_csv_and_see_the_population(
    demo: None, page: Page, live_server, tmp_path: Path
) -> None:
    base = live_server.url
    audit = PageAudit(page, base)
    school = _school()
    log_in(page, base, "ib@regenboog.example", DEMO_PASSWORD)

    xlsx = tmp_path / "screening.xlsx"
    xlsx.write_bytes(_xlsx(school))
    page.goto(base + reverse("screening:overview"))
    year = page.get_by_label("Schooljaar").input_value()
    _upload(page, xlsx, year)
    expect(page.get_by_text("De screening is opgeslagen.")).to_be_visible()
    audit.check_current("import finished")
    page.get_by_role("link", name="Bekijk de populatie").click()
    expect(page.get_by_role("heading", name="Hoe vaak komt elk signaal voor?")).to_be_visible()
    rare = screening_spec(school).signals[1].name
    page.locator(".rare-signals summary").click()
    table = page.get_by_role("table", name="Signalen met een klein of verborgen aantal")
    expect(table.get_by_role("row", name=rare)).to_contain_text("< 10")
    expect(page.locator(".stat-bar").first).to_be_visible()
    audit.check_current("population from xlsx")

    spec = screening_spec(school)
    rows = [
        {"Leerlingcode": f"CSV{n}", "Leeftijd": str(8 + n % 3), spec.signals[2].name: "ja"}
        for n in range(30)
    ]
    csv_file = tmp_path / "screening.csv"
    csv_file.write_bytes(rows_csv(spec, rows, delimiter=";", encoding="cp1252"))
    page.goto(base + reverse("screening:overview"))
    _upload(page, csv_file, year)
    expect(page.get_by_text("De screening is opgeslagen.")).to_be_visible()
    page.get_by_role("link", name="Bekijk de populatie").click()
    expect(page.locator(".stat-card__number").first).to_have_text("30")
    assert Screening.objects.filter(organisation=school).current().get(school_year=year)
    audit.visit(page.url)
    audit.assert_clean(tmp_path)


def test_a_refused_file_lists_its_problems(
    demo: None, page: Page, live_server, tmp_path: Path
) -> None:
    base = live_server.url
    audit = PageAudit(page, base)
    school = _school()
    spec = screening_spec(school)
    bad = tmp_path / "fout.csv"
    bad.write_bytes(
        rows_csv(
            spec,
            [
                {"Leerlingcode": "A1", "Leeftijd": "99"},
                {"Leerlingcode": "A2", "Leeftijd": "9", spec.signals[1].name: "<b>vet</b>"},
                {"Leerlingcode": "A3", "Leeftijd": "9", spec.signals[0].name: "misschien"},
            ],
        )
    )
    before = Screening.objects.count()
    log_in(page, base, "ib@regenboog.example", DEMO_PASSWORD)
    page.goto(base + reverse("screening:overview"))
    _upload(page, bad, page.get_by_label("Schooljaar").input_value())
    expect(page.get_by_role("alert")).to_contain_text("Het bestand is niet opgeslagen")
    expect(page.get_by_text("misschien").first).to_be_visible()
    # The HTML in the file is shown as text, never run.
    expect(page.get_by_text("<b>vet</b>").first).to_be_visible()
    audit.check_current("refused import")
    audit.visit(page.url)  # the page as the server sends it, for the HTML checker
    assert Screening.objects.count() == before
    with page.expect_download() as download:
        page.get_by_role("link", name="Download de volledige lijst").click()
    assert "misschien" in Path(download.value.path()).read_text(encoding="utf-8-sig")
    audit.assert_clean(tmp_path)
