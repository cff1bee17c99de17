"""Screening files for tests, built in code: good ones to start from and bad ones that must be
refused. Reusable in view tests:

    for name, (filename, data, kind) in BAD_FILES.items(): ...

BAD_FILES are refused with the default Limits; LIMITED_BAD_FILES need the Limits they carry.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import zipfile
from collections.abc import Sequence

from openpyxl import Workbook

from zio.screening import importers as kinds
from zio.screening.spec import Limits, ScreeningSpec, SignalColumn

SPEC = ScreeningSpec(
    signals=(
        SignalColumn(11, "Agressie", "Gedrag & veiligheid"),
        SignalColumn(12, "Overprikkeling", "Prikkelverwerking & zelfregulatie"),
        SignalColumn(13, "Taalbarrière", "Gezin & omgeving"),
    ),
    default_school_type="SBO",
)
KEY = b"test-pupil-code-key-0123456789"
HEADERS = SPEC.headers  # A code, B age, C grade, D school type, E-G signals, H-O support
# A real-looking BSN (passes the elfproef); never a real person's number.
BSN_VALUE = "111222333"


def eight_digit_bsn() -> str:
    """The first 8-digit number that passes the elfproef with a leading zero."""
    weights = (9, 8, 7, 6, 5, 4, 3, 2, -1)
    for number in range(10_000_000, 100_000_000):
        digits = f"{number:09d}"
        if sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11 == 0:
            return f"{number:08d}"
    raise AssertionError("unreachable")


def row(code: object = "L001", **cells: object) -> list[object]:
    """A valid pupil row in SPEC's column order; override cells by header-ish keyword:
    age, grade, school_type, s0..s2 (signals), h0..h7 (support)."""
    values: list[object] = [code, "10", "5", "SBO", "ja", "nee", "", *["nee"] * 8]
    names = ["code", "age", "grade", "school_type", "s0", "s1", "s2"] + [f"h{i}" for i in range(8)]
    for name, value in cells.items():
        values[names.index(name)] = value
    return values


def csv_bytes(
    rows: Sequence[Sequence[object]],
    headers: Sequence[object] | None = None,
    separator: str = ";",
    encoding: str = "utf-8",
    bom: bool = False,
    newline: str = "\r\n",
) -> bytes:
    """A CSV file as Excel writes it (values are not quoted unless needed)."""

    def field(value: object) -> str:
        text = "" if value is None else str(value)
        if any(c in text for c in (separator, '"', "\n", "\r")):
            text = '"' + text.replace('"', '""') + '"'
        return text

    lines = [separator.join(field(h) for h in (HEADERS if headers is None else headers))]
    lines += [separator.join(field(v) for v in r) for r in rows]
    text = newline.join(lines) + newline
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode(encoding)


def xlsx_bytes(
    rows: Sequence[Sequence[object]],
    headers: Sequence[object] | None = None,
    sheet: str = "Gegevens",
    before: str | None = None,
) -> bytes:
    """A real workbook written by openpyxl; `before` adds an earlier sheet of that name."""
    workbook = Workbook()
    first = workbook.active
    assert first is not None
    if before:
        first.title = before
        first.append(["niet dit blad"])
        data = workbook.create_sheet(sheet)
    else:
        first.title = sheet
        data = first
    data.append(list(HEADERS if headers is None else headers))
    for values in rows:
        data.append(list(values))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rezip(
    data: bytes,
    add: dict[str, bytes] | None = None,
    replace: dict[str, bytes] | None = None,
    compression: int = zipfile.ZIP_DEFLATED,
) -> bytes:
    """Copy a workbook's zip, adding or replacing members."""
    add, replace = add or {}, replace or {}
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as target:
        for info in source.infolist():
            target.writestr(info.filename, replace.get(info.filename, source.read(info)))
        for name, content in add.items():
            target.writestr(name, content)
    return buffer.getvalue()


def zip_bomb() -> bytes:
    """A workbook with a 4 MB part of zeros that deflates to a few kB (ratio ~1000:1)."""
    return rezip(xlsx_bytes([row()]), add={"xl/media/image1.bin": bytes(4 * 1024 * 1024)})


def many_members() -> bytes:
    return rezip(xlsx_bytes([row()]), add={f"xl/media/p{i}.bin": b"x" for i in range(1001)})


def with_macros() -> bytes:
    return rezip(xlsx_bytes([row()]), add={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0macro"})


def macro_content_type() -> bytes:
    data = xlsx_bytes([row()])
    types = zipfile.ZipFile(io.BytesIO(data)).read("[Content_Types].xml")
    enabled = types.replace(
        b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    )
    assert enabled != types
    return rezip(data, replace={"[Content_Types].xml": enabled})


def xlsx_formula() -> bytes:
    # openpyxl stores a string that starts with "=" as a formula cell.
    return xlsx_bytes([row(), row("L002", s0='=HYPERLINK("http://x","klik")')])


def _header_without(name: str) -> list[str]:
    return [h for h in HEADERS if h != name]


def _row_without(name: str, values: list[object]) -> list[object]:
    return [v for h, v in zip(HEADERS, values, strict=True) if h != name]


def _identifier_file(title: str, value: str) -> bytes:
    return csv_bytes([[*row(), value]], headers=[*HEADERS, title])


_EXCEL_TIME = dt.datetime(2015, 3, 12, 8, 30)  # noqa: DTZ001 - Excel has no time zones
_GARBAGE = random.Random(20261123).randbytes(3000)  # noqa: S311 - test data, not secrets

BAD_FILES: dict[str, tuple[str, bytes, str]] = {
    # The file as a whole
    "empty": ("screening.csv", b"", kinds.EMPTY_FILE),
    "empty_xlsx": ("screening.xlsx", b"", kinds.EMPTY_FILE),
    "blank_lines_only": ("screening.csv", b"\r\n  \r\n\r\n", kinds.EMPTY_FILE),
    "header_only": ("screening.csv", csv_bytes([]), kinds.NO_ROWS),
    "header_only_xlsx": ("screening.xlsx", xlsx_bytes([]), kinds.NO_ROWS),
    "tab_separated": ("screening.csv", csv_bytes([row()], separator="\t"), kinds.DELIMITER),
    "single_column": ("screening.csv", b"Leerlingcode\r\nL001\r\n", kinds.DELIMITER),
    "utf16": ("screening.csv", csv_bytes([row()]).decode().encode("utf-16"), kinds.ENCODING),
    "utf16_without_bom": (
        "screening.csv",
        csv_bytes([row()]).decode().encode("utf-16-le"),
        kinds.ENCODING,
    ),
    "binary_garbage": ("screening.csv", _GARBAGE, kinds.NOT_TEXT),
    "xlsx_named_csv": ("screening.csv", xlsx_bytes([row()]), kinds.NOT_TEXT),
    "broken_quotes": (
        "screening.csv",
        csv_bytes([row()]) + b'L002;"10;5;SBO;ja;nee;;nee\r\n',
        kinds.CSV_SYNTAX,
    ),
    "first_row_is_a_pupil": (
        "screening.csv",
        csv_bytes([row("L002")], headers=row()),
        kinds.NO_HEADER,
    ),
    # File types and workbook safety
    "xlsm_extension": ("screening.xlsm", xlsx_bytes([row()]), kinds.FILE_TYPE),
    "xls_extension": (
        "screening.xls",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500),
        kinds.FILE_TYPE,
    ),
    "xlsb_extension": ("screening.xlsb", b"PK\x03\x04", kinds.FILE_TYPE),
    "ods_extension": ("screening.ods", b"PK\x03\x04", kinds.FILE_TYPE),
    "txt_extension": ("screening.txt", csv_bytes([row()]), kinds.FILE_TYPE),
    "no_extension": ("screening", csv_bytes([row()]), kinds.FILE_TYPE),
    "xlsx_with_vba_project": ("screening.xlsx", with_macros(), kinds.MACROS),
    "xlsx_macro_content_type": ("screening.xlsx", macro_content_type(), kinds.MACROS),
    "zip_bomb": ("screening.xlsx", zip_bomb(), kinds.ZIP_BOMB),
    "zip_many_members": ("screening.xlsx", many_members(), kinds.ZIP_BOMB),
    "corrupt_xlsx_not_a_zip": (
        "screening.xlsx",
        b"Dit is geen Excel-bestand.\n" * 20,
        kinds.CORRUPT_XLSX,
    ),
    "truncated_xlsx": ("screening.xlsx", xlsx_bytes([row()])[:1500], kinds.CORRUPT_XLSX),
    "password_protected_xlsx": (
        "screening.xlsx",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2000),
        kinds.CORRUPT_XLSX,
    ),
    "zip_that_is_no_workbook": (
        "screening.xlsx",
        rezip(xlsx_bytes([row()]), replace={"xl/workbook.xml": b"<broken"}),
        kinds.CORRUPT_XLSX,
    ),
    # Columns
    "column_naam": (
        "screening.csv",
        _identifier_file("Naam", "Jan Jansen"),
        kinds.IDENTIFIER_COLUMN,
    ),
    "column_bsn": ("screening.csv", _identifier_file("BSN", BSN_VALUE), kinds.IDENTIFIER_COLUMN),
    "column_geboortedatum": (
        "screening.csv",
        _identifier_file("Geboortedatum", "12-03-2015"),
        kinds.IDENTIFIER_COLUMN,
    ),
    "column_adres": (
        "screening.csv",
        _identifier_file("Adres", "Dorpsstraat 1"),
        kinds.IDENTIFIER_COLUMN,
    ),
    "column_postcode": (
        "screening.csv",
        _identifier_file("Postcode", "1234 AB"),
        kinds.IDENTIFIER_COLUMN,
    ),
    "column_email": (
        "screening.csv",
        _identifier_file("E-mail", "ouder@example.org"),
        kinds.IDENTIFIER_COLUMN,
    ),
    "column_telefoon": (
        "screening.csv",
        _identifier_file("Telefoon", "0612345678"),
        kinds.IDENTIFIER_COLUMN,
    ),
    "column_naam_leerling": (
        "screening.csv",
        _identifier_file("Naam leerling", "Piet"),
        kinds.IDENTIFIER_COLUMN,
    ),
    "column_achter_naam": (
        "screening.csv",
        _identifier_file("Achter-naam", "Jansen"),
        kinds.IDENTIFIER_COLUMN,
    ),
    "column_geb_datum": (
        "screening.csv",
        _identifier_file("geb.datum", "1-2-2016"),
        kinds.IDENTIFIER_COLUMN,
    ),
    "column_e_mail_adres": (
        "screening.csv",
        _identifier_file("E mail adres", "a@b.nl"),
        kinds.IDENTIFIER_COLUMN,
    ),
    "unknown_column": (
        "screening.csv",
        csv_bytes([row()], headers=[*HEADERS[:4], "Agresie", *HEADERS[5:]]),
        kinds.UNKNOWN_COLUMN,
    ),
    "missing_signal_column": (
        "screening.csv",
        csv_bytes(
            [_row_without("Overprikkeling", row())], headers=_header_without("Overprikkeling")
        ),
        kinds.MISSING_COLUMNS,
    ),
    "missing_code_column": (
        "screening.csv",
        csv_bytes([_row_without("Leerlingcode", row())], headers=_header_without("Leerlingcode")),
        kinds.MISSING_COLUMNS,
    ),
    "duplicate_header": (
        "screening.csv",
        csv_bytes([[*row(), "ja"]], headers=[*HEADERS, "agressie "]),
        kinds.DUPLICATE_COLUMN,
    ),
    "untitled_column_with_data": (
        "screening.csv",
        csv_bytes([row(), [*row("L002"), "iets"]], headers=[*HEADERS, ""]),
        kinds.UNTITLED_COLUMN,
    ),
    "ragged_row": (
        "screening.csv",
        csv_bytes([row(), [*row("L002"), "extra"]]),
        kinds.UNTITLED_COLUMN,
    ),
    # Privacy in values
    "bsn_as_code": ("screening.csv", csv_bytes([row(), row(BSN_VALUE)]), kinds.BSN),
    "bsn_with_dots_as_code": ("screening.csv", csv_bytes([row(), row("111.222.333")]), kinds.BSN),
    "bsn_eight_digits": ("screening.csv", csv_bytes([row(), row(eight_digit_bsn())]), kinds.BSN),
    "bsn_in_signal_column": (
        "screening.csv",
        csv_bytes([row(), row("L002", s1=BSN_VALUE)]),
        kinds.BSN,
    ),
    "bsn_number_cell_xlsx": ("screening.xlsx", xlsx_bytes([row(), row(111222333)]), kinds.BSN),
    "date_text_in_age": (
        "screening.csv",
        csv_bytes([row(), row("L002", age="12-03-2015")]),
        kinds.DATE,
    ),
    "date_slashes": ("screening.csv", csv_bytes([row(), row("L002", s0="12/3/2015")]), kinds.DATE),
    "date_iso_as_code": ("screening.csv", csv_bytes([row(), row("2015-03-12")]), kinds.DATE),
    "date_words": (
        "screening.csv",
        csv_bytes([row(), row("L002", grade="12 maart 2015")]),
        kinds.DATE,
    ),
    "date_cell_xlsx": (
        "screening.xlsx",
        xlsx_bytes([row(), row("L002", age=dt.date(2015, 3, 12))]),
        kinds.DATE,
    ),
    "datetime_cell_xlsx": (
        "screening.xlsx",
        xlsx_bytes([row(), row("L002", s2=_EXCEL_TIME)]),
        kinds.DATE,
    ),
    # Codes
    "duplicate_codes": (
        "screening.csv",
        csv_bytes([row("L001"), row("L002"), row("l001")]),
        kinds.DUPLICATE_CODE,
    ),
    "missing_code": ("screening.csv", csv_bytes([row(), row("", s0="ja")]), kinds.MISSING_CODE),
    "name_as_code": ("screening.csv", csv_bytes([row(), row("Jan Jansen")]), kinds.INVALID_CODE),
    "html_in_code": ("screening.csv", csv_bytes([row(), row("<b>L2</b>")]), kinds.INVALID_CODE),
    "hyperlink_in_csv": (
        "screening.csv",
        csv_bytes([row(), row("L002", s2='=HYPERLINK("http://x","klik")')]),
        kinds.FORMULA,
    ),
    "hyperlink_as_code": (
        "screening.csv",
        csv_bytes([row(), row('=HYPERLINK("http://x","klik")')]),
        kinds.FORMULA,
    ),
    "formula_cell_xlsx": ("screening.xlsx", xlsx_formula(), kinds.FORMULA),
    # Values
    "age_out_of_range": (
        "screening.csv",
        csv_bytes([row(), row("L002", age="25")]),
        kinds.INVALID_AGE,
    ),
    "age_not_a_number": (
        "screening.csv",
        csv_bytes([row(), row("L002", age="tien")]),
        kinds.INVALID_AGE,
    ),
    "age_with_decimals": (
        "screening.csv",
        csv_bytes([row(), row("L002", age="10,5")]),
        kinds.INVALID_AGE,
    ),
    "grade_too_high_for_vo": (
        "screening.csv",
        csv_bytes([row(), row("L002", age="", grade="7", school_type="VO")]),
        kinds.INVALID_GRADE,
    ),
    "no_age_and_no_grade": (
        "screening.csv",
        csv_bytes([row(), row("L002", age="", grade="")]),
        kinds.MISSING_AGE_AND_GRADE,
    ),
    "invalid_school_type": (
        "screening.csv",
        csv_bytes([row(), row("L002", school_type="HAVO")]),
        kinds.INVALID_SCHOOL_TYPE,
    ),
    "invalid_signal_value": (
        "screening.csv",
        csv_bytes([row(), row("L002", s1="misschien")]),
        kinds.INVALID_SIGNAL,
    ),
    "invalid_support_value": (
        "screening.csv",
        csv_bytes([row(), row("L002", h3="2")]),
        kinds.INVALID_SUPPORT,
    ),
}

# These need small limits, so the tests stay fast: name -> (filename, bytes, kind, limits).
LIMITED_BAD_FILES: dict[str, tuple[str, bytes, str, Limits]] = {
    "too_large": (
        "screening.csv",
        csv_bytes([row()] * 50),
        kinds.FILE_TOO_LARGE,
        Limits(max_bytes=1000),
    ),
    "too_many_rows_csv": (
        "screening.csv",
        csv_bytes([row(f"L{i:03d}") for i in range(5)]),
        kinds.TOO_MANY_ROWS,
        Limits(max_rows=4),
    ),
    "too_many_rows_xlsx": (
        "screening.xlsx",
        xlsx_bytes([row(f"L{i:03d}") for i in range(5)]),
        kinds.TOO_MANY_ROWS,
        Limits(max_rows=4),
    ),
    "unzipped_too_large": (
        "screening.xlsx",
        xlsx_bytes([row()]),
        kinds.ZIP_BOMB,
        Limits(max_unzipped_bytes=5000),
    ),
}
