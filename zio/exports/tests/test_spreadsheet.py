"""The Excel export, read back with openpyxl (and converted by LibreOffice when present)."""

from __future__ import annotations

import re
import zipfile
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from zio.common.spreadsheets import FORMULA_STARTS, safe_cell
from zio.costs.constants import ScenarioKind, Unit
from zio.costs.tests.factories import ScenarioFactory
from zio.exports.document import Audience, audience_label, persona_document
from zio.exports.formats import FORMATS_BY_KEY, ExportContext, Rendered
from zio.exports.spreadsheet import persona_workbook
from zio.organisations.models import Organisation
from zio.personas.models import Persona
from zio.personas.tests.factories import PersonaFactory

from .factories import HOSTILE_TEXTS, filled_persona, line
from .libreoffice import convert_to_pdf, pdf_text

pytestmark = pytest.mark.django_db

MADE_AT = datetime(2026, 5, 3, 10, 30, tzinfo=UTC)
D = Decimal
HOSTILE_SCENARIO = "=cmd|' /C calc'!A0"
HOSTILE_LINE = "+SUM(1,2)"
PAYER_NAMES = ("Samenwerkingsverband", "Gemeente", "School / bevoegd gezag")
FORBIDDEN_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\]")


@pytest.fixture
def personas(organisation: Organisation) -> list[Persona]:
    """Esra (with hostile texts and a hostile desired scenario B that costs 100) and Ahmed."""
    esra = filled_persona(organisation, extra_texts=HOSTILE_TEXTS)
    scenario = ScenarioFactory.create(
        persona=esra, kind=ScenarioKind.DESIRED, label="B", name=HOSTILE_SCENARIO, position=3
    )
    line(scenario, HOSTILE_LINE, "eigen-middelen", unit=Unit.GROUP_YEAR, rate=D("100"))
    return [esra, filled_persona(organisation, name="Ahmed")]


def export(
    personas: list[Persona], audience: Audience, tmp_path: Path
) -> tuple[Workbook, Path, Rendered]:
    documents = [persona_document(persona, audience) for persona in personas]
    context = ExportContext(
        audience=audience,
        organisation="SBO Het Anker",
        title="Persona's van SBO Het Anker",
        made_at=MADE_AT,
    )
    rendered = persona_workbook(documents, context)
    path = tmp_path / f"{audience.value}.xlsx"
    path.write_bytes(rendered.content)
    return openpyxl.load_workbook(path), path, rendered


def sheet(workbook: Workbook, name: str) -> Worksheet:
    found = workbook[name]
    assert isinstance(found, Worksheet)
    return found


def rows(ws: Worksheet) -> list[list[object]]:
    return [list(row) for row in ws.iter_rows(values_only=True)]


def table(ws: Worksheet, header: str) -> list[dict[str, object]]:
    """The rows of the table whose first header cell is `header`, up to the next empty row."""
    all_rows = rows(ws)
    start = next(i for i, row in enumerate(all_rows) if row[0] == header)
    headers = [str(h) for h in all_rows[start] if h is not None]
    result = []
    for row in all_rows[start + 1 :]:
        if all(value is None for value in row):
            break
        result.append(dict(zip(headers, row, strict=False)))
    return result


def amount(value: object) -> Decimal:
    assert isinstance(value, int | float), value
    return D(str(value)).quantize(D("0.01"))


def test_sheets_overview_first_then_payers_then_one_per_persona(
    personas: list[Persona], tmp_path: Path
) -> None:
    workbook, _, rendered = export(personas, Audience.PARTNERS, tmp_path)
    assert workbook.sheetnames == [
        "Overzicht",
        "Totaal per betaler",
        "Per betaler",
        "Esra",
        "Ahmed",
    ]
    assert rendered.notes == []
    overview = sheet(workbook, "Overzicht")
    assert overview["A1"].value == "Persona's van SBO Het Anker"
    about = {row[0]: row[1] for row in rows(overview)[1:6]}
    assert about["Voor"] == audience_label(Audience.PARTNERS)
    assert about["Organisatie"] == "SBO Het Anker"
    # In Amsterdam time, without a time zone (Excel has none).
    local = datetime(2026, 5, 3, 12, 30, tzinfo=ZoneInfo("Europe/Amsterdam"))
    assert about["Gemaakt op"] == local.replace(tzinfo=None)
    listed = table(overview, "Persona")
    assert [row["Persona"] for row in listed] == ["Esra", "Ahmed"]
    assert listed[0]["Tabblad"] == "Esra"
    assert listed[0]["Groepsgrootte"] == "12 leerlingen"
    assert amount(listed[0]["Huidige situatie"]) == D("22000")
    assert amount(listed[0]["Gewenste situatie (eerste)"]) == D("25000")
    assert amount(listed[0]["Verschil"]) == D("3000")
    assert amount(listed[0]["Als er niets verandert"]) == D("42000")


def test_persona_sheet_has_every_cost_line_and_totals_as_numbers(
    personas: list[Persona], tmp_path: Path
) -> None:
    workbook, _, _ = export(personas, Audience.INTERNAL, tmp_path)
    esra = sheet(workbook, "Esra")
    assert esra["A1"].value == "Esra"
    assert "12 leerlingen" in str(esra["A2"].value)
    lines = table(esra, "Scenario")
    document = persona_document(personas[0], Audience.INTERNAL)
    assert document.costs is not None
    expected = [
        (view.title, lv.line.description, lv.cost.total)
        for view in document.costs.scenarios
        for lv in view.lines
    ]
    assert len(lines) == len(expected) == 7
    for row, (title, description, total) in zip(lines, expected, strict=True):
        assert row["Scenario"] == safe_cell(title)
        assert row["Omschrijving"] == safe_cell(description)
        assert amount(row["Bedrag per jaar"]) == total
    hourly = next(row for row in lines if row["Omschrijving"] == "Jeugdhulpverlener in de groep")
    assert hourly["Geldstroom"] == "Collectieve jeugdhulp op school"
    assert hourly["Betaler"] == "Gemeente"
    assert amount(hourly["Bedrag per eenheid"]) == D("50")
    assert (hourly["Uren per week"], hourly["Weken"], hourly["Leerlingen"]) == (8, 40, "hele groep")
    individual = next(row for row in lines if row["Omschrijving"] == "Individuele jeugdhulp")
    assert individual["Leerlingen"] == 4
    assert individual["Aantal (jaren of dagen)"] == 1

    totals = {row["Totalen per scenario"]: row for row in table(esra, "Totalen per scenario")}
    assert amount(totals["Huidige situatie"]["Totaal per jaar"]) == D("22000")
    desired = totals["Gewenste situatie A: Zorg op school"]
    assert amount(desired["Totaal per jaar"]) == D("25000")
    assert amount(desired["Gemeente"]) == D("16000")
    assert amount(desired["Verschil met huidige situatie"]) == D("3000")
    assert amount(totals["Als er niets verandert"]["Totaal per jaar"]) == D("42000")
    assert totals["Huidige situatie"]["Verschil met huidige situatie"] is None

    # The same cells as Excel sees them: numbers with a euro format.
    for cells in esra.iter_rows():
        for cell in cells:
            if isinstance(cell.value, int | float) and cell.column_letter in ("F", "K"):
                assert "€" in cell.number_format


def test_partners_see_no_streams_nor_how_a_line_is_counted(
    personas: list[Persona], tmp_path: Path
) -> None:
    workbook, _, _ = export(personas, Audience.PARTNERS, tmp_path)
    esra = sheet(workbook, "Esra")
    header = [cell.value for cell in esra[4] if cell.value is not None]
    assert header == ["Scenario", "Omschrijving", "Betaler", "Bedrag per jaar"]
    assert all(cell.font.b for cell in esra[4] if cell.value is not None)
    assert esra.freeze_panes == "A5"
    assert esra.auto_filter.ref == "A4:D11"
    texts = {str(value) for row in rows(esra) for value in row if value is not None}
    assert "Collectieve jeugdhulp op school" not in texts
    assert "Per leerling" not in texts
    first = table(esra, "Scenario")[0]
    assert first == {
        "Scenario": "Huidige situatie",
        "Omschrijving": "Ondersteuning in de klas",
        "Betaler": "Samenwerkingsverband",
        "Bedrag per jaar": 12000,
    }
    assert "€" in esra["D5"].number_format


def test_totals_per_payer_add_up_over_the_personas(personas: list[Persona], tmp_path: Path) -> None:
    workbook, _, _ = export(personas, Audience.PARTNERS, tmp_path)
    totals_sheet = sheet(workbook, "Totaal per betaler")
    assert totals_sheet.freeze_panes == "A2"
    assert all(cell.font.b for cell in totals_sheet[1])
    figures = {
        row["Betaler"]: [
            amount(row[key])
            for key in (
                "Huidige situatie",
                "Gewenste situatie (eerste)",
                "Verschil",
                "Als er niets verandert",
            )
        ]
        for row in table(totals_sheet, "Betaler")
    }
    # Two personas: desired B (school, 100) is not the first desired scenario.
    assert figures == {
        "School / bevoegd gezag": [D("0"), D("6000"), D("6000"), D("0")],
        "Samenwerkingsverband": [D("24000"), D("12000"), D("-12000"), D("0")],
        "Gemeente": [D("20000"), D("32000"), D("12000"), D("84000")],
        "Totaal": [D("44000"), D("50000"), D("6000"), D("84000")],
    }
    for cells in totals_sheet.iter_rows(min_row=2, max_row=5, min_col=2, max_col=5):
        for cell in cells:
            assert "€" in cell.number_format


def test_per_payer_is_a_long_table_to_filter_and_sum(
    personas: list[Persona], tmp_path: Path
) -> None:
    workbook, _, _ = export(personas, Audience.PARTNERS, tmp_path)
    per_payer = sheet(workbook, "Per betaler")
    assert per_payer.freeze_panes == "A2"
    assert per_payer.auto_filter.ref is not None
    long = table(per_payer, "Persona")
    # Esra: 3 payers × 4 scenarios; Ahmed: 3 payers × 3 scenarios.
    assert len(long) == 12 + 9
    sums: dict[tuple[object, object], Decimal] = {}
    for row in long:
        key = (row["Persona"], row["Scenario"])
        sums[key] = sums.get(key, D("0")) + amount(row["Bedrag per jaar"])
    assert sums[("Esra", "Huidige situatie")] == D("22000")
    assert sums[("Ahmed", "Gewenste situatie A: Zorg op school")] == D("25000")
    assert sums[("Esra", safe_cell("Gewenste situatie B: " + HOSTILE_SCENARIO))] == D("100")
    assert sums[("Ahmed", "Als er niets verandert")] == D("42000")
    gemeente_unmet = next(
        row
        for row in long
        if (row["Persona"], row["Betaler"], row["Soort scenario"])
        == ("Esra", "Gemeente", "Als er niets verandert")
    )
    assert amount(gemeente_unmet["Verschil met huidige situatie"]) == D("32000")
    current = [row for row in long if row["Soort scenario"] == "Huidige situatie"]
    assert all(row["Verschil met huidige situatie"] is None for row in current)


def test_no_text_can_become_a_formula(personas: list[Persona], tmp_path: Path) -> None:
    workbook, path, _ = export(personas, Audience.INTERNAL, tmp_path)
    for ws in workbook.worksheets:
        for cells in ws.iter_rows():
            for cell in cells:
                if isinstance(cell.value, str):
                    assert cell.data_type == "s", (ws.title, cell.coordinate, cell.value)
                    assert not cell.value.startswith(FORMULA_STARTS), cell.value
    texts = {str(value) for row in rows(sheet(workbook, "Esra")) for value in row}
    for hostile in (*HOSTILE_TEXTS, HOSTILE_LINE):
        assert safe_cell(hostile) in texts
    # Not a single formula in the file itself, read without openpyxl.
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name)


def test_parents_get_no_amounts_and_no_payers(personas: list[Persona], tmp_path: Path) -> None:
    workbook, _, _ = export(personas, Audience.PARENTS, tmp_path)
    assert workbook.sheetnames == ["Overzicht", "Esra", "Ahmed"]
    overview_texts = [str(v) for row in rows(sheet(workbook, "Overzicht")) for v in row]
    assert any("zonder kosten" in text for text in overview_texts)
    for ws in workbook.worksheets:
        for cells in ws.iter_rows():
            for cell in cells:
                assert "€" not in cell.number_format
                assert "€" not in str(cell.value or "")
                # The only number is the date the export was made.
                assert not isinstance(cell.value, int | float | Decimal)
                for name in (*PAYER_NAMES, "Dagbehandeling", "Kosten"):
                    assert name not in str(cell.value or "")
    esra = sheet(workbook, "Esra")
    sections = table(esra, "Onderdeel")
    assert {"Onderdeel": "Dit is Esra", "Tekst": "Woont bij moeder en oma."} in sections
    assert esra.freeze_panes == "A5"


def test_sheet_names_are_valid_and_unique(organisation: Organisation, tmp_path: Path) -> None:
    names = [
        "Groep [5/6]: wie? *ster*\\",
        "Een heel lange naam voor een persona die niet past",
        "Een heel lange naam voor een persona die niet past!",
        "overzicht",
        "'Quote'",
        HOSTILE_SCENARIO,
        "Emoji 😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀",
    ]
    personas = [filled_persona(organisation, name=name) for name in names]
    workbook, _, rendered = export(personas, Audience.PARTNERS, tmp_path)
    titles = workbook.sheetnames[3:]
    assert len(titles) == len(names)
    assert len({title.casefold() for title in workbook.sheetnames}) == len(workbook.sheetnames)
    for title in titles:
        assert len(title.encode("utf-16-le")) // 2 <= 31
        assert not FORBIDDEN_IN_SHEET_NAMES.search(title)
        assert not title.startswith("'") and not title.endswith("'")
    assert titles[0] == "Groep -5-6-- wie- -ster--"
    assert titles[1] == "Een heel lange naam voor een pe"
    assert titles[2] == "Een heel lange naam voor ee (2)"
    assert titles[3] == "overzicht (2)"
    assert titles[4] == "Quote"
    assert titles[5] == "=cmd|' -C calc'!A0"
    # The overview says which sheet is whose, and the user is told about changed names.
    listed = table(sheet(workbook, "Overzicht"), "Persona")
    assert [row["Tabblad"] for row in listed] == [safe_cell(title) for title in titles]
    (note,) = rendered.notes
    for name, title in zip(names, titles, strict=True):
        assert f"‘{name}’ heet ‘{title}’" in note


def test_a_persona_without_costs_or_texts(organisation: Organisation, tmp_path: Path) -> None:
    persona = PersonaFactory.create(organisation=organisation, name="Leeg")
    workbook, _, _ = export([persona], Audience.INTERNAL, tmp_path)
    empty = sheet(workbook, "Leeg")
    assert table(empty, "Scenario")[0]["Scenario"] == "Geen kostenregels."
    assert {row["Tekst"] for row in table(empty, "Onderdeel")} == {"(nog niet ingevuld)"}
    assert table(sheet(workbook, "Per betaler"), "Persona") == []
    listed = table(sheet(workbook, "Overzicht"), "Persona")
    assert listed[0]["Huidige situatie"] is None


def test_registry_renders_excel(personas: list[Persona]) -> None:
    fmt = FORMATS_BY_KEY["xlsx"]
    context = ExportContext(Audience.PARTNERS, "SBO Het Anker", "Persona's", MADE_AT)
    documents = [persona_document(p, Audience.PARTNERS) for p in personas]
    assert fmt.render(documents, context).content.startswith(b"PK")


def test_libreoffice_opens_the_file(personas: list[Persona], tmp_path: Path) -> None:
    _, path, _ = export(personas, Audience.INTERNAL, tmp_path)
    pdf = convert_to_pdf(path, tmp_path)
    text = pdf_text(pdf)
    if text is not None:
        assert "Persona's van SBO Het Anker" in text
