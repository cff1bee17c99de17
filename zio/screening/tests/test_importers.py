"""The screening importer: every bad file is refused with a Dutch explanation, good files come
back column-wise with pupil codes only as keyed hashes. No database needed."""

from __future__ import annotations

import ast
import datetime as dt
import hmac
import io
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pytest

from zio.screening import importers
from zio.screening.importers import identifier_reason, normalise_header, read_and_validate
from zio.screening.spec import (
    NO_SCHOOL_TYPE,
    SCALE_0_3,
    SCHOOL_TYPES,
    SUPPORT_TYPES,
    UNKNOWN,
    ImportRefused,
    Limits,
    ParsedScreening,
    Problem,
    ScreeningSpec,
    SignalColumn,
)
from zio.screening.tests.badfiles import (
    BAD_FILES,
    BSN_VALUE,
    HEADERS,
    KEY,
    LIMITED_BAD_FILES,
    SPEC,
    csv_bytes,
    eight_digit_bsn,
    row,
    xlsx_bytes,
)

# A Dutch fragment every problem of that kind says.
FRAGMENTS = {
    importers.EMPTY_FILE: "Het bestand is leeg",
    importers.NO_ROWS: "geen leerlingen",
    importers.DELIMITER: "Ik herken de kolommen niet: gebruik ; of , als scheidingsteken",
    importers.ENCODING: "UTF-16",
    importers.NOT_TEXT: "geen CSV-bestand",
    importers.CSV_SYNTAX: "aanhalingsteken",
    importers.NO_HEADER: "geen bekende kolomtitels",
    importers.FILE_TYPE: ".xlsx",
    importers.MACROS: "macro's",
    importers.ZIP_BOMB: "Excel-bestand",
    importers.CORRUPT_XLSX: "Excel-werkmap (*.xlsx)",
    importers.IDENTIFIER_COLUMN: (
        "ZiO Persona's slaat nooit namen, BSN's, geboortedata of adressen op"
    ),
    importers.UNKNOWN_COLUMN: "ken ik niet",
    importers.MISSING_COLUMNS: "Deze kolommen ontbreken:",
    importers.DUPLICATE_COLUMN: "staat twee keer in het bestand",
    importers.UNTITLED_COLUMN: "heeft geen titel",
    importers.BSN: "lijkt een burgerservicenummer (BSN)",
    importers.DATE: "lijkt een datum",
    importers.DUPLICATE_CODE: "staat ook in rij",
    importers.MISSING_CODE: "de leerlingcode ontbreekt",
    importers.INVALID_CODE: "is geen geldige leerlingcode",
    importers.FORMULA: "Formules zijn niet toegestaan",
    importers.INVALID_AGE: "is geen geldige leeftijd",
    importers.INVALID_GRADE: "is geen geldige groep of leerjaar",
    importers.MISSING_AGE_AND_GRADE: "allebei leeg",
    importers.INVALID_SCHOOL_TYPE: "Gebruik PO, SBO, SO, VSO of VO",
    importers.INVALID_SIGNAL: "Gebruik ja, nee, j, n, x, 1 of 0, of laat de cel leeg.",
    importers.INVALID_SUPPORT: "Gebruik ja, nee, j, n, x, 1 of 0, of laat de cel leeg.",
    importers.FILE_TOO_LARGE: "het maximum is",
    importers.TOO_MANY_ROWS: "Het bestand heeft meer dan",
}
PRIVATE_KINDS = {importers.BSN, importers.DATE, importers.IDENTIFIER_COLUMN}


def refused(
    data: bytes, filename: str = "screening.csv", spec: ScreeningSpec = SPEC, **kwargs: object
) -> ImportRefused:
    with pytest.raises(ImportRefused) as caught:
        read_and_validate(data, filename, spec, KEY, **kwargs)  # type: ignore[arg-type]
    return caught.value


def only(problems: list[Problem], kind: str) -> list[Problem]:
    found = [p for p in problems if p.kind == kind]
    assert found, [p.kind for p in problems]
    return found


def test_there_are_enough_kinds_of_bad_files() -> None:
    assert len(BAD_FILES) + len(LIMITED_BAD_FILES) >= 25
    assert len({kind for _, _, kind in BAD_FILES.values()}) >= 25


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_file_is_refused_with_a_dutch_explanation(name: str) -> None:
    filename, data, kind = BAD_FILES[name]
    refusal = refused(data, filename)
    problems = only(refusal.problems, kind)
    assert all(FRAGMENTS[kind] in p.message for p in problems), problems[0].message
    assert refusal.total >= len(refusal.problems) >= 1
    for problem in refusal.problems:
        assert problem.message.strip() and problem.kind in FRAGMENTS
        if problem.kind in PRIVATE_KINDS:
            assert problem.value is None


@pytest.mark.parametrize("name", sorted(LIMITED_BAD_FILES))
def test_bad_file_over_a_limit_is_refused(name: str) -> None:
    filename, data, kind, limits = LIMITED_BAD_FILES[name]
    problems = only(refused(data, filename, limits=limits).problems, kind)
    assert FRAGMENTS[kind] in problems[0].message


def test_the_real_default_size_limit() -> None:
    data = bytes(25 * 1024 * 1024 + 300_000)
    problem = only(refused(data).problems, importers.FILE_TOO_LARGE)[0]
    assert problem.message.startswith("Het bestand is 25,3 MB; het maximum is 20 MB.")


def test_too_many_rows_message_uses_dutch_thousands() -> None:
    data = csv_bytes([row(f"L{i}") for i in range(3)])
    problem = refused(data, limits=Limits(max_rows=2)).problems[0]
    assert "meer dan 2 rijen" in problem.message
    assert importers._format_count(200_000) == "200.000"


@pytest.mark.parametrize(
    ("filename", "fragment"),
    [
        ("a.xlsm", "met macro's (.xlsm)"),
        ("a.XLS", "oude formaat (.xls)"),
        ("a.xlsb", "binaire Excel-werkmap (.xlsb)"),
        ("a.ods", "OpenDocument-rekenblad (.ods)"),
        ("a.pdf", "Bestanden van het type .pdf"),
    ],
)
def test_file_types_are_refused_by_extension(filename: str, fragment: str) -> None:
    problem = only(refused(csv_bytes([row()]), filename).problems, importers.FILE_TYPE)[0]
    assert fragment in problem.message


# --- Privacy -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "title",
    [
        "Naam",
        "Voornaam",
        "Achternaam",
        "Roepnaam",
        "Tussenvoegsel",
        "Naam leerling",
        "Achter-naam",
        "BSN",
        "bsn-nummer",
        "Burgerservicenummer",
        "Sofinummer",
        "Geboortedatum",
        "Geboortedag",
        "geb.datum",
        "Geb. datum",
        "Gebdatum",
        "Adres",
        "Straat",
        "Huisnummer",
        "Postcode",
        "Woonplaats",
        "E-mail",
        "Email",
        "E mail adres",
        "Mail ouders",
        "Telefoon",
        "Tel.",
        "Mobiel nummer",
        "GSM",
        "Voor letters",
        "Tussen voegsel",
        "Post code",
        "Burger service nummer",
        "Leerlingnaam",
        "E-mailadres ouders",
    ],
)
def test_identifier_titles_are_recognised(title: str) -> None:
    assert identifier_reason(title) is not None


def test_catalogue_and_template_titles_are_not_identifiers() -> None:
    from zio.personas.catalogue import CATALOGUE

    names = [name for _, _, signals in CATALOGUE for name in signals]
    assert len(names) > 40
    extra = [
        "Onaangenaam gedrag",
        "Gedeeltelijk rooster",
        "Immobiliteit",
        "Straatcultuur",
        "Vragen na mentorgesprek",
        "Zorg na ambulante behandeling",
        "Thema il",
    ]
    for title in [*HEADERS, *names, *extra, *(f"Ondersteuning: {s}" for s in SUPPORT_TYPES)]:
        assert identifier_reason(title) is None, title


def test_identifier_column_values_are_never_read_or_shown() -> None:
    data = csv_bytes([[*row(), "Jan Jansen", BSN_VALUE]], headers=[*HEADERS, "Naam", "BSN"])
    refusal = refused(data)
    problems = only(refusal.problems, importers.IDENTIFIER_COLUMN)
    assert [(p.column, p.header) for p in problems] == [("P", "Naam"), ("Q", "BSN")]
    assert "Verwijder de kolom P (Naam) en upload opnieuw." in problems[0].message
    for problem in refusal.problems:
        assert problem.value is None
        assert "Jansen" not in problem.message and BSN_VALUE not in problem.message
    assert all(p.kind == importers.IDENTIFIER_COLUMN for p in refusal.problems)


@pytest.mark.parametrize(
    "value",
    [BSN_VALUE, "111.222.333", "111 222 333", eight_digit_bsn()],
)
def test_bsn_values_are_refused_without_repeating_them(value: str) -> None:
    refusal = refused(csv_bytes([row(), row(value), row("L003", s0=value)]))
    problems = only(refusal.problems, importers.BSN)
    assert [(p.row, p.column) for p in problems] == [(3, "A"), (4, "E")]
    for problem in refusal.problems:
        assert problem.value is None
        assert value not in problem.message


def test_numbers_that_fail_the_elfproef_are_ordinary_codes() -> None:
    parsed = read_and_validate(csv_bytes([row("123456789"), row("12345678")]), "a.csv", SPEC, KEY)
    assert parsed.pupil_count == 2


@pytest.mark.parametrize(
    "value",
    ["12-03-2015", "12/3/2015", "3/12/15", "2015-03-12", "2015-03-12 00:00", "12.03.2015",
     "12 maart 2015", "12-mrt-2015", "1 jan 16", "March 12, 2015"],
)  # fmt: skip
def test_dates_are_refused_without_repeating_them(value: str) -> None:
    refusal = refused(csv_bytes([row(), row("L002", s1=value)]))
    problem = only(refusal.problems, importers.DATE)[0]
    assert (problem.row, problem.column, problem.value) == (3, "F", None)
    assert value not in problem.message


@pytest.mark.parametrize("value", ["2015", "3-2015", "35-13-2015", "L-12-03", "12-03"])
def test_things_that_are_not_full_dates_are_not_called_dates(value: str) -> None:
    refusal = refused(csv_bytes([row(), row("L002", s1=value)]))
    assert importers.DATE not in {p.kind for p in refusal.problems}


def test_date_cells_in_a_workbook_are_refused() -> None:
    data = xlsx_bytes([row(), row("L002", age=dt.date(2015, 3, 12))])
    problem = only(refused(data, "a.xlsx").problems, importers.DATE)[0]
    assert (problem.row, problem.column, problem.value) == (3, "B", None)
    assert "2015" not in problem.message


def test_a_header_that_looks_like_a_bsn_is_not_shown() -> None:
    refusal = refused(csv_bytes([row()], headers=[*HEADERS, BSN_VALUE]))
    problem = only(refusal.problems, importers.BSN)[0]
    assert (problem.row, problem.column, problem.header, problem.value) == (1, "P", None, None)
    assert BSN_VALUE not in problem.message


def test_a_first_row_with_pupil_data_is_not_repeated() -> None:
    refusal = refused(csv_bytes([row("L2")], headers=row("Pietje")))
    assert [p.kind for p in refusal.problems] == [importers.NO_HEADER]
    assert "Pietje" not in refusal.problems[0].message


# --- Where and what -------------------------------------------------------------------------


def test_problem_names_row_column_title_value_and_what_is_allowed() -> None:
    refusal = refused(csv_bytes([row()] + [row(f"L{i}") for i in range(2, 13)] +
                                [row("L14", s1="misschien")]))  # fmt: skip
    (problem,) = refusal.problems
    assert problem == Problem(
        kind=importers.INVALID_SIGNAL,
        message=(
            "Rij 14, kolom F (Overprikkeling): 'misschien' is geen geldige waarde. Gebruik ja, "
            "nee, j, n, x, 1 of 0, of laat de cel leeg."
        ),
        row=14,
        column="F",
        header="Overprikkeling",
        value="misschien",
    )


def test_column_letters_go_past_z() -> None:
    assert [importers._column_letter(i) for i in (0, 25, 26, 27, 51, 52, 701, 702)] == [
        "A", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA",
    ]  # fmt: skip
    spec = ScreeningSpec(signals=tuple(SignalColumn(i, f"Signaal {i}", "D") for i in range(30)))
    values = ["L1", "10", "", ""] + ["nee"] * 30 + ["nee"] * 8
    values[4 + 25] = "soms"
    problem = refused(csv_bytes([values], headers=spec.headers), spec=spec).problems[0]
    assert (problem.column, problem.header) == ("AD", "Signaal 25")


def test_long_values_are_shortened() -> None:
    problem = refused(csv_bytes([row(), row("L2", s0="x" * 80)])).problems[0]
    assert problem.value == "x" * 49 + "…"
    assert "x" * 50 not in problem.message


def test_every_duplicate_names_both_rows() -> None:
    refusal = refused(csv_bytes([row("A1"), row("B2"), row("a1"), row("B2 "), row("A1")]))
    problems = only(refusal.problems, importers.DUPLICATE_CODE)
    assert [(p.row, p.value) for p in problems] == [(4, "a1"), (5, "B2"), (6, "A1")]
    assert "staat ook in rij 2" in problems[0].message
    assert "staat ook in rij 3" in problems[1].message


def test_unknown_column_suggests_the_closest_title() -> None:
    headers = [*HEADERS, "Overprikeling", "Lievelingskleur"]
    refusal = refused(csv_bytes([[*row(), "", ""]], headers=headers))
    suggested, unknown = only(refusal.problems, importers.UNKNOWN_COLUMN)
    assert suggested.column == "P" and suggested.header == "Overprikeling"
    assert "Bedoel je 'Overprikkeling'?" in suggested.message
    assert unknown.column == "Q" and "Bedoel je" not in unknown.message


def test_missing_columns_are_listed_together() -> None:
    keep = [h for h in HEADERS if h not in ("Agressie", "Leeftijd", "Groep of leerjaar")]
    values = dict(zip(HEADERS, row(), strict=True))
    refusal = refused(csv_bytes([[values[h] for h in keep]], headers=keep))
    (problem,) = only(refusal.problems, importers.MISSING_COLUMNS)
    assert problem.message.startswith(
        "Deze kolommen ontbreken: 'Leeftijd' of 'Groep of leerjaar', 'Agressie'."
    )


def test_file_problems_come_first_then_rows_in_order() -> None:
    data = csv_bytes(
        [[*row("L1", s0="?"), ""], [*row("L2", age="99", h0="?"), ""], [*row("bad code"), ""]],
        headers=[*HEADERS, "Onbekend"],
    )
    kinds = [(p.kind, p.row, p.column) for p in refused(data).problems]
    assert kinds == [
        (importers.UNKNOWN_COLUMN, None, "P"),
        (importers.INVALID_SIGNAL, 2, "E"),
        (importers.INVALID_AGE, 3, "B"),
        (importers.INVALID_SUPPORT, 3, "H"),
        (importers.INVALID_CODE, 4, "A"),
    ]


def test_problems_are_capped_but_all_counted() -> None:
    data = csv_bytes([row(f"L{i}", s0="?") for i in range(30)])
    refusal = refused(data, limits=Limits(max_problems=5))
    assert len(refusal.problems) == 5 and refusal.total == 30
    assert [p.row for p in refusal.problems] == [2, 3, 4, 5, 6]


def test_blank_lines_are_skipped_but_counted_in_row_numbers() -> None:
    header, first = csv_bytes([row()]).split(b"\r\n")[:2]
    bad = csv_bytes([row("L2", s0="?")]).split(b"\r\n")[1]
    data = b"\r\n".join([b"", header, first, b"", b";;;;", bad]) + b"\r\n"
    problem = refused(data).problems[0]
    assert problem.row == 6  # blank, header, L1, blank, ;;;;, L2


def test_ragged_rows_become_an_untitled_column() -> None:
    problem = refused(csv_bytes([row(), [*row("L2"), "extra"]])).problems[0]
    assert (problem.kind, problem.column) == (importers.UNTITLED_COLUMN, "P")


def test_a_broken_quote_names_its_row() -> None:
    data = csv_bytes([row(), row("L2")]) + b'L3;"10;5\r\n'
    problem = refused(data).problems[0]
    assert problem.kind == importers.CSV_SYNTAX


def test_progress_is_reported_in_dutch() -> None:
    calls: list[tuple[int, str]] = []
    read_and_validate(
        csv_bytes([row()]), "a.csv", SPEC, KEY, progress=lambda p, s: calls.append((p, s))
    )
    percentages = [p for p, _ in calls]
    assert percentages == sorted(percentages) and len(calls) >= 3
    stages = " ".join(s for _, s in calls)
    assert "Bestand lezen" in stages and "pseudonimiseren" in stages


# --- Good files -----------------------------------------------------------------------------


def check_good(parsed: ParsedScreening, n: int) -> None:
    assert parsed.pupil_count == n
    assert parsed.code_hashes.shape == (n, 32) and parsed.code_hashes.dtype == np.uint8
    assert parsed.ages.dtype == np.int16 and parsed.grades.dtype == np.int16
    assert parsed.school_types.dtype == np.uint8
    assert parsed.signals.shape == (n, 3) and parsed.signals.dtype == np.uint8
    assert parsed.support.shape == (n, 8) and parsed.support.dtype == np.uint8
    assert parsed.signal_ids == [11, 12, 13]
    assert parsed.support_names == list(SUPPORT_TYPES)


@pytest.mark.parametrize(
    ("encoding", "bom", "separator"),
    [("utf-8", False, ";"), ("utf-8", True, ";"), ("utf-8", False, ","), ("cp1252", False, ";")],
)
def test_good_csv(encoding: str, bom: bool, separator: str) -> None:
    data = csv_bytes(
        [row("L1", s0="Ja", s1=" X ", s2="j"), row("L2", age="", s0="1", s1="yes", h7="ja")],
        separator=separator,
        encoding=encoding,
        bom=bom,
    )
    if encoding == "cp1252":
        assert "Taalbarrière".encode("cp1252") in data
    parsed = read_and_validate(data, "a.csv", SPEC, KEY)
    check_good(parsed, 2)
    assert parsed.signals.tolist() == [[1, 1, 1], [1, 1, 0]]
    assert parsed.support[:, 7].tolist() == [0, 1]
    assert parsed.ages.tolist() == [10, UNKNOWN]


def test_cp1252_with_accents_in_signal_names() -> None:
    spec = ScreeningSpec(
        signals=(SignalColumn(1, "Taalbarrière", "G"), SignalColumn(2, "Financiële zorgen", "G")),
    )
    values = ["L1", "8", "", "PO", "ja", "nee"] + [""] * 8
    data = csv_bytes([values], headers=spec.headers, encoding="cp1252")
    assert b"\xeb" in data  # ë in Windows-1252
    parsed = read_and_validate(data, "a.csv", spec, KEY)
    assert parsed.signals.tolist() == [[1, 0]]


def test_quoted_fields_and_a_comma_in_a_title() -> None:
    spec = ScreeningSpec(signals=(SignalColumn(1, "Plannen, organiseren", "P"),))
    headers = spec.headers
    text = ",".join(f'"{h}"' for h in headers) + "\r\n"
    text += '"L1","10","5","SO","ja",' + ",".join(['"nee"'] * 8) + "\r\n"
    parsed = read_and_validate(text.encode(), "a.csv", spec, KEY)
    assert parsed.signals.tolist() == [[1]]
    assert parsed.school_types.tolist() == [SCHOOL_TYPES.index("SO")]


def test_blank_lines_and_empty_rows_are_ignored() -> None:
    data = b"\r\n" + csv_bytes([row("L1"), ["", "", ""] + [""] * 12, row("L2")]) + b"\r\n\r\n"
    parsed = read_and_validate(data.replace(b"\r\nL2", b"\r\n\r\nL2"), "a.csv", SPEC, KEY)
    assert parsed.pupil_count == 2


def test_excel_sep_line_is_understood() -> None:
    data = b"sep=;\r\n" + csv_bytes([row()])
    assert read_and_validate(data, "a.csv", SPEC, KEY).pupil_count == 1


def test_headers_match_ignoring_case_accents_and_spaces() -> None:
    headers = ["  leerlingCODE ", "LEEFTIJD", "Groep   of leerjaar", "schoolsoort", "agressie",
               "Overprikkeling", "Taalbarriere", *(h.upper() for h in HEADERS[7:])]  # fmt: skip
    parsed = read_and_validate(csv_bytes([row()], headers=headers), "a.csv", SPEC, KEY)
    assert parsed.pupil_count == 1
    assert normalise_header("'=Agressie ") == normalise_header("=agressie")


def test_columns_may_come_in_any_order_and_optional_ones_may_be_missing() -> None:
    keep = [h for h in HEADERS if h not in ("Schoolsoort", "Groep of leerjaar")][::-1]
    values = dict(zip(HEADERS, row("L1", s2="ja"), strict=True))
    parsed = read_and_validate(
        csv_bytes([[values[h] for h in keep]], headers=keep), "a.csv", SPEC, KEY
    )
    assert parsed.signals.tolist() == [[1, 0, 1]]
    assert parsed.grades.tolist() == [UNKNOWN]
    assert parsed.school_types.tolist() == [SCHOOL_TYPES.index("SBO")]  # the default


def test_scale_0_to_3() -> None:
    spec = ScreeningSpec(signals=SPEC.signals, scale=SCALE_0_3)
    data = csv_bytes([row("L1", s0="0", s1="2", s2="3"), row("L2", s0="ja", s1="", s2=" 1 ")])
    parsed = read_and_validate(data, "a.csv", spec, KEY)
    assert parsed.signals.tolist() == [[0, 2, 3], [1, 0, 1]]
    problem = refused(csv_bytes([row("L1", s0="4")]), spec=spec).problems[0]
    assert "Gebruik 0, 1, 2 of 3 (of ja, nee, j, n, x), of laat de cel leeg." in problem.message


def test_support_accepts_yes_no_only() -> None:
    parsed = read_and_validate(csv_bytes([row(h0="x", h1="N", h2="0", h3="")]), "a.csv", SPEC, KEY)
    assert parsed.support[0, :4].tolist() == [1, 0, 0, 0]
    problem = only(refused(csv_bytes([row(h0="3")])).problems, importers.INVALID_SUPPORT)[0]
    assert problem.column == "H"


def test_ages_grades_and_school_types() -> None:
    rows = [
        row("L1", age="10,0", grade="", school_type="speciaal basisonderwijs"),
        row("L2", age="10.0", grade="6", school_type="vo"),
        row("L3", age="", grade="6", school_type=" Voortgezet  speciaal onderwijs "),
        row("L4", age="3", grade="", school_type=""),
        row("L5", age="21", grade="1", school_type="PO"),
    ]
    parsed = read_and_validate(csv_bytes(rows), "a.csv", SPEC, KEY)
    assert parsed.ages.tolist() == [10, 10, UNKNOWN, 3, 21]
    assert parsed.grades.tolist() == [UNKNOWN, 6, 6, UNKNOWN, 1]
    assert [SCHOOL_TYPES[i] for i in parsed.school_types] == ["SBO", "VO", "VSO", "SBO", "PO"]
    problem = refused(csv_bytes([row(age="2")])).problems[0]
    assert problem.kind == importers.INVALID_AGE and problem.value == "2"
    vso = refused(csv_bytes([row(grade="7", school_type="VSO")])).problems[0]
    assert vso.kind == importers.INVALID_GRADE
    assert read_and_validate(csv_bytes([row(grade="8", school_type="SO")]), "a.csv", SPEC, KEY)


def test_no_default_school_type_gives_no_school_type() -> None:
    spec = ScreeningSpec(signals=SPEC.signals)
    parsed = read_and_validate(csv_bytes([row(school_type="")]), "a.csv", spec, KEY)
    assert parsed.school_types.tolist() == [NO_SCHOOL_TYPE]


def test_good_workbook_with_numbers_booleans_and_the_data_sheet_second() -> None:
    rows = [row("L1", age=10.0, grade=5, s0=1, s1=0, s2=True), row("L2", age=12, s0="nee")]
    data = xlsx_bytes(rows, before="Uitleg")
    parsed = read_and_validate(data, "a.xlsx", SPEC, KEY)
    check_good(parsed, 2)
    assert parsed.signals.tolist() == [[1, 0, 1], [0, 0, 0]]
    assert parsed.ages.tolist() == [10, 12]


def test_workbook_without_data_sheet_uses_the_first_sheet() -> None:
    data = xlsx_bytes([row()], sheet="Blad1")
    assert read_and_validate(data, "a.xlsx", SPEC, KEY).pupil_count == 1


def test_workbook_formula_cell_is_refused_even_when_it_has_a_value() -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Gegevens"
    sheet.append(HEADERS)
    sheet.append(row("L1", age="=5+5"))
    buffer = io.BytesIO()
    workbook.save(buffer)
    problem = only(refused(buffer.getvalue(), "a.xlsx").problems, importers.FORMULA)[0]
    assert (problem.row, problem.column, problem.value) == (2, "B", "=5+5")


def test_workbook_array_formula_is_refused() -> None:
    from openpyxl.worksheet.formula import ArrayFormula

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(HEADERS)
    sheet.append(row("L1"))
    sheet["E2"] = ArrayFormula("E2:E2", "=SUM(B2:C2)")
    buffer = io.BytesIO()
    workbook.save(buffer)
    problem = only(refused(buffer.getvalue(), "a.xlsx").problems, importers.FORMULA)[0]
    assert (problem.row, problem.column, problem.value) == (2, "E", "=SUM(B2:C2)")


# --- Pupil codes ----------------------------------------------------------------------------


def test_codes_are_stored_only_as_keyed_hashes() -> None:
    codes = ["ZIOCODE001", "ZIOCODE002"]
    parsed = read_and_validate(csv_bytes([row(c) for c in codes]), "a.csv", SPEC, KEY)
    for i, code in enumerate(codes):
        assert parsed.code_hashes[i].tobytes() == hmac.digest(KEY, code.encode(), "sha256")
    arrays: list[np.ndarray] = [
        parsed.code_hashes,
        parsed.ages,
        parsed.grades,
        parsed.school_types,
        parsed.signals,
        parsed.support,
    ]
    everything = b"".join(a.tobytes() for a in arrays)
    for code in codes:
        assert code.encode() not in everything
        assert code.encode("utf-16-le") not in everything
    assert all(isinstance(i, int) for i in parsed.signal_ids)


def test_same_code_and_key_give_the_same_hash_another_key_does_not() -> None:
    data = csv_bytes([row("L001"), row("L002")])
    first = read_and_validate(data, "a.csv", SPEC, KEY).code_hashes
    again = read_and_validate(csv_bytes([row(" l001 "), row("L002")]), "b.csv", SPEC, KEY)
    other = read_and_validate(data, "a.csv", SPEC, KEY + b"-other").code_hashes
    assert np.array_equal(first, again.code_hashes)  # trimmed and case-insensitive
    assert not np.array_equal(first[0], first[1])
    assert not np.array_equal(first, other)


def test_hashing_matches_hmac_for_long_and_short_keys() -> None:
    for key in (b"k" * 16, b"k" * 64, b"k" * 100):
        hashes = importers._hash_codes([b"A", b"B" * 40], key)
        assert hashes[0].tobytes() == hmac.digest(key, b"A", "sha256")
        assert hashes[1].tobytes() == hmac.digest(key, b"B" * 40, "sha256")


def test_a_short_key_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="key"):
        read_and_validate(csv_bytes([row()]), "a.csv", SPEC, b"short")


# --- Safety of the machinery ----------------------------------------------------------------


def test_openpyxl_parses_with_defusedxml() -> None:
    from openpyxl.xml import functions

    assert openpyxl.DEFUSEDXML is True
    assert functions.iterparse.__module__.startswith("defusedxml")


def test_a_workbook_with_an_xml_bomb_is_refused() -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row>'
        b"</sheetData></worksheet>"
    )
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes([row()])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = bomb if info.filename == "xl/worksheets/sheet1.xml" else source.read(info)
            target.writestr(info.filename, content)
    problem = refused(buffer.getvalue(), "a.xlsx").problems[0]
    assert problem.kind == importers.CORRUPT_XLSX


@pytest.mark.parametrize("module", ["importers", "template"])
def test_pure_modules_import_no_orm_and_no_models(module: str) -> None:
    source = Path(importers.__file__).with_name(f"{module}.py").read_text()
    for node in ast.walk(ast.parse(source)):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [("." * node.level) + (node.module or "")]
        for name in names:
            assert "models" not in name and not name.startswith("django.db"), name
            if name.startswith(("zio.", ".")):
                assert name in {".spec", "zio.common.spreadsheets"}, name


def test_problem_titles_exist_for_every_kind() -> None:
    for kind in FRAGMENTS:
        assert importers.problem_title(kind, "x") != "x"
    assert importers.problem_title("unexpected", "Er ging iets mis.") == "Er ging iets mis."


def test_a_spec_with_two_columns_of_one_name_is_a_programming_error() -> None:
    spec = ScreeningSpec(
        signals=(SignalColumn(1, "Agressie", "G"), SignalColumn(2, "agressie", "G"))
    )
    with pytest.raises(ValueError, match="both called"):
        read_and_validate(csv_bytes([row()]), "a.csv", spec, KEY)


def test_many_rows_are_checked_column_wise() -> None:
    rows = [row(f"L{i:05d}", s0="ja" if i % 3 else "") for i in range(5000)]
    rows[4321][5] = "soms"
    refusal = refused(csv_bytes(rows))
    assert [(p.row, p.column) for p in refusal.problems] == [(4323, "F")]
    del rows[4321]
    parsed = read_and_validate(csv_bytes(rows), "a.csv", SPEC, KEY)
    assert parsed.pupil_count == 4999 and int(parsed.signals[:, 0].sum()) > 3000


def test_xlsx_rows_that_stop_before_the_last_column() -> None:
    # openpyxl leaves out trailing empty cells: a row may be shorter than the header.
    from zio.screening.importers import read_and_validate as read
    from zio.screening.tests.badfiles import KEY, SPEC, xlsx_bytes

    short_rows = [["K1", 9], ["K2", 10, None, None, "ja"]]
    parsed = read(xlsx_bytes(short_rows), "screening.xlsx", SPEC, KEY)
    assert parsed.pupil_count == 2
    assert int(parsed.signals[0].sum()) == 0


def test_an_invalid_code_is_not_repeated_because_it_may_be_a_name() -> None:
    import pytest as _pytest

    from zio.screening.importers import INVALID_CODE
    from zio.screening.importers import read_and_validate as read
    from zio.screening.spec import ImportRefused
    from zio.screening.tests.badfiles import KEY, SPEC, csv_bytes, row

    with _pytest.raises(ImportRefused) as refused:
        read(csv_bytes([row(code="Jan de Vries")]), "s.csv", SPEC, KEY)
    problem = next(p for p in refused.value.problems if p.kind == INVALID_CODE)
    assert problem.value is None
    assert "Jan" not in problem.message
