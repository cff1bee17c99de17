"""The screening template: what a school downloads, fills in and uploads again."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from zio.screening.importers import read_and_validate
from zio.screening.spec import SCALE_0_3, SCHOOL_TYPES, ScreeningSpec, SignalColumn
from zio.screening.template import template_csv, template_xlsx
from zio.screening.tests.badfiles import KEY, SPEC

HOSTILE = (
    '=HYPERLINK("http://x","klik")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    "\tTab",
    "\rRegel",
)
HOSTILE_SPEC = ScreeningSpec(
    signals=tuple(SignalColumn(i, name, "=cmd|' /C calc'!A0") for i, name in enumerate(HOSTILE)),
    default_school_type="PO",
)


def load(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def sheet(workbook: openpyxl.Workbook, name: str) -> Worksheet:
    found = workbook[name]
    assert isinstance(found, Worksheet)
    return found


def test_workbook_has_the_three_sheets_with_data_first() -> None:
    workbook = load(template_xlsx(SPEC, "Basisschool De Linde"))
    assert workbook.sheetnames == ["Gegevens", "Uitleg", "Signalen"]
    assert workbook.active is not None and workbook.active.title == "Gegevens"


def test_data_sheet_header_is_bold_frozen_and_wide_enough() -> None:
    data = sheet(load(template_xlsx(SPEC, "School")), "Gegevens")
    header = [cell.value for cell in data[1]]
    assert header == SPEC.headers
    assert all(cell.font.b for cell in data[1])
    assert data.freeze_panes == "B2"
    assert data.max_row == 1
    widths = [data.column_dimensions[cell.column_letter].width for cell in data[1]]
    assert all(10 <= width <= 30 for width in widths)


def validations(data: Worksheet) -> dict[str, tuple[str | None, str | None, str | None]]:
    return {
        str(v.sqref): (v.type, v.formula1, v.formula2) for v in data.data_validations.dataValidation
    }


def test_data_sheet_offers_drop_downs_and_ranges() -> None:
    data = sheet(load(template_xlsx(SPEC, "School")), "Gegevens")
    assert validations(data) == {
        "A2:A200001": ("textLength", "1", "40"),
        "B2:B200001": ("whole", "3", "21"),
        "C2:C200001": ("whole", "1", "8"),
        "D2:D200001": ("list", '"PO,SBO,SO,VSO,VO"', None),
        "E2:G200001": ("list", '"ja,nee"', None),
        "H2:O200001": ("list", '"ja,nee"', None),
    }
    assert '"' + ",".join(SCHOOL_TYPES) + '"' == '"PO,SBO,SO,VSO,VO"'


def test_scale_0_to_3_offers_numbers_for_signals() -> None:
    spec = ScreeningSpec(signals=SPEC.signals, scale=SCALE_0_3)
    workbook = load(template_xlsx(spec, "School"))
    assert validations(sheet(workbook, "Gegevens"))["E2:G200001"] == ("list", '"0,1,2,3"', None)
    signals = sheet(workbook, "Signalen")
    assert signals["D2"].value == "0, 1, 2 of 3"


def test_instructions_say_what_matters_in_dutch() -> None:
    help_sheet = sheet(load(template_xlsx(SPEC, "Basisschool De Linde")), "Uitleg")
    text = "\n".join(str(cell.value) for cell in help_sheet["A"] if cell.value)
    for fragment in (
        "Basisschool De Linde",
        "één rij in",
        "verzonnen code",
        "nooit een naam, burgerservicenummer (BSN), geboortedatum",
        "ja (of j, x, 1)",
        "(.xlsm)",
        "20 MB",
        "200.000",
        "Laat je de cel leeg, dan geldt: SBO",
        "Gebruik geen formules",
    ):
        assert fragment in text, fragment


def test_signals_sheet_lists_columns_names_and_domains() -> None:
    signals = sheet(load(template_xlsx(SPEC, "School")), "Signalen")
    rows = [tuple(cell.value for cell in r) for r in signals.iter_rows()]
    assert rows[0] == ("Kolom", "Signaal", "Domein", "Waarden")
    assert rows[1] == ("E", "Agressie", "Gedrag & veiligheid", "ja of nee")
    assert rows[3] == ("G", "Taalbarrière", "Gezin & omgeving", "ja of nee")
    assert rows[4][:3] == ("H", "Ondersteuning: Individuele begeleiding", "Huidige ondersteuning")
    assert len(rows) == 1 + 3 + 8


def test_user_text_cannot_become_a_formula_in_the_workbook() -> None:
    data = template_xlsx(HOSTILE_SPEC, '=HYPERLINK("http://evil","organisatie")')
    archive = zipfile.ZipFile(io.BytesIO(data))
    for name in archive.namelist():
        if name.startswith("xl/worksheets/"):
            assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name)
    workbook = load(data)
    header = sheet(workbook, "Gegevens")[1]
    hostile_cells = [cell for cell in header if str(cell.value).startswith(("=", "+", "-", "@"))]
    assert len(hostile_cells) == 4
    for cell in hostile_cells:
        assert cell.data_type == "s" and cell.quotePrefix
    domain = sheet(workbook, "Signalen")["C2"]
    assert domain.value == "=cmd|' /C calc'!A0" and domain.data_type == "s" and domain.quotePrefix
    organisation = sheet(workbook, "Uitleg")["A2"]
    assert organisation.data_type == "s"


def test_user_text_cannot_become_a_formula_in_the_csv() -> None:
    header = template_csv(HOSTILE_SPEC).decode("utf-8-sig").rstrip("\r\n")
    assert "'=HYPERLINK" in header and ";'+1+1;" in header and ";'-2+3;" in header
    assert ";'@SUM(A1:A2);" in header and "'\tTab" in header


def test_control_characters_in_names_do_not_break_the_workbook() -> None:
    spec = ScreeningSpec(signals=(SignalColumn(1, "Agres\x00sie\x07", "D\x1b"),))
    data = sheet(load(template_xlsx(spec, "School\x01")), "Gegevens")
    assert data["E1"].value == "Agressie"


def test_csv_template_is_a_header_for_dutch_excel() -> None:
    data = template_csv(SPEC)
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert text.endswith("\r\n") and text.count("\r\n") == 1
    assert text.rstrip("\r\n").split(";") == SPEC.headers


def fill(data: bytes, rows: list[list[object]]) -> bytes:
    workbook = load(data)
    data_sheet = sheet(workbook, "Gegevens")
    for values in rows:
        data_sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_round_trip_filled_workbook_imports_cleanly() -> None:
    rows: list[list[object]] = [
        ["L001", 9, 5, "SBO", "ja", "nee", None, "ja", *["nee"] * 7],
        ["L002", None, 3, None, "nee", "ja", "ja", *[None] * 8],
        ["L003", 12, None, "PO", None, None, None, *["nee"] * 8],
    ]
    parsed = read_and_validate(fill(template_xlsx(SPEC, "School"), rows), "s.xlsx", SPEC, KEY)
    assert parsed.pupil_count == 3
    assert parsed.signals.tolist() == [[1, 0, 0], [0, 1, 1], [0, 0, 0]]
    assert parsed.support[:, 0].tolist() == [1, 0, 0]
    assert [SCHOOL_TYPES[i] for i in parsed.school_types] == ["SBO", "SBO", "PO"]


@pytest.mark.parametrize(
    "spec", [HOSTILE_SPEC, ScreeningSpec(signals=SPEC.signals, scale=SCALE_0_3)]
)
def test_round_trip_with_unusual_specs(spec: ScreeningSpec) -> None:
    values: list[object] = ["L1", 10, None, None, *[1] * len(spec.signals), *["nee"] * 8]
    parsed = read_and_validate(fill(template_xlsx(spec, "School"), [values]), "s.xlsx", spec, KEY)
    assert parsed.signals.tolist() == [[1] * len(spec.signals)]


def test_round_trip_filled_csv_imports_cleanly() -> None:
    for spec in (SPEC, HOSTILE_SPEC):
        cells = ["L1", "10", "", "", *["ja"] * len(spec.signals), *["nee"] * 8]
        data = template_csv(spec) + (";".join(cells) + "\r\n").encode()
        parsed = read_and_validate(data, "s.csv", spec, KEY)
        assert parsed.signals.tolist() == [[1] * len(spec.signals)]
