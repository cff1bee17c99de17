"""Read an uploaded screening file (CSV or XLSX) and check all of it: uploaded bytes in, a
`ParsedScreening` out, or `ImportRefused` with every problem found. All or nothing.

Pure: no ORM, no models. Dutch messages go through gettext. The checks are column-wise with
polars and numpy, so a valid file of 100,000 pupils is not handled cell by cell in Python.

Privacy comes first: columns whose title looks like a name, BSN, birth date, address or contact
detail are refused without reading them, values that look like a BSN or a date are refused
without repeating them, and pupil codes leave this module only as keyed hashes.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import hashlib
import io
import re
import unicodedata
import warnings
import zipfile
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import NoReturn

import numpy as np
import numpy.typing as npt
import openpyxl
import polars as pl
from django.utils.translation import gettext_lazy as _
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

from .spec import (
    AGE_HEADER,
    CODE_HEADER,
    GRADE_HEADER,
    NO_SCHOOL_TYPE,
    SCALE_0_3,
    SCHOOL_TYPE_HEADER,
    SCHOOL_TYPES,
    SUPPORT_PREFIX,
    UNKNOWN,
    ImportRefused,
    Limits,
    ParsedScreening,
    Problem,
    Progress,
    ScreeningSpec,
)

# --- Problem kinds (stable codes; views and tests use them) --------------------------------
FILE_TYPE = "file_type"
FILE_TOO_LARGE = "file_too_large"
EMPTY_FILE = "empty_file"
ENCODING = "encoding"
NOT_TEXT = "not_text"
DELIMITER = "delimiter"
CSV_SYNTAX = "csv_syntax"
CORRUPT_XLSX = "corrupt_xlsx"
MACROS = "macros"
ZIP_BOMB = "zip_bomb"
TOO_MANY_ROWS = "too_many_rows"
NO_HEADER = "no_header"
NO_ROWS = "no_rows"
MISSING_COLUMNS = "missing_columns"
UNKNOWN_COLUMN = "unknown_column"
DUPLICATE_COLUMN = "duplicate_column"
UNTITLED_COLUMN = "untitled_column"
IDENTIFIER_COLUMN = "identifier_column"
FORMULA = "formula"
BSN = "bsn"
DATE = "date"
INVALID_CODE = "invalid_code"
MISSING_CODE = "missing_code"
DUPLICATE_CODE = "duplicate_code"
INVALID_AGE = "invalid_age"
INVALID_GRADE = "invalid_grade"
MISSING_AGE_AND_GRADE = "missing_age_and_grade"
INVALID_SCHOOL_TYPE = "invalid_school_type"
INVALID_SIGNAL = "invalid_signal"
INVALID_SUPPORT = "invalid_support"

# --- Messages --------------------------------------------------------------------------------
WHERE = _("Rij %(row)s, kolom %(column)s (%(header)s): ")
FILE_TYPE_XLSM = _(
    "Dit is een Excel-werkmap met macro's (%(ext)s). Macro's kunnen schadelijke code bevatten, "
    "daarom nemen we zulke bestanden niet aan. Sla het bestand in Excel op als "
    "'Excel-werkmap (*.xlsx)' en upload het opnieuw."
)
FILE_TYPE_XLS = _(
    "Dit is een Excel-bestand in het oude formaat (.xls). Sla het bestand in Excel op als "
    "'Excel-werkmap (*.xlsx)' en upload het opnieuw."
)
FILE_TYPE_XLSB = _(
    "Dit is een binaire Excel-werkmap (.xlsb). Sla het bestand in Excel op als "
    "'Excel-werkmap (*.xlsx)' en upload het opnieuw."
)
FILE_TYPE_ODS = _(
    "Dit is een OpenDocument-rekenblad (%(ext)s). Sla het bestand op als Excel-werkmap (.xlsx) "
    "of als CSV-bestand en upload het opnieuw."
)
FILE_TYPE_OTHER = _(
    "Bestanden van het type %(ext)s kan ik niet inlezen. Upload een Excel-werkmap (.xlsx) of "
    "een CSV-bestand (.csv), bijvoorbeeld het ingevulde sjabloon."
)
FILE_TYPE_NONE = _(
    "Het bestand heeft geen extensie. Upload een Excel-werkmap (.xlsx) of een CSV-bestand "
    "(.csv), bijvoorbeeld het ingevulde sjabloon."
)
FILE_TOO_LARGE_MESSAGE = _(
    "Het bestand is %(size)s; het maximum is %(max)s. Verwijder lege rijen, kolommen en "
    "werkbladen, of verdeel de leerlingen over meer bestanden."
)
EMPTY_FILE_MESSAGE = _(
    "Het bestand is leeg. Download het sjabloon, vul per leerling één rij in en upload het opnieuw."
)
NO_ROWS_MESSAGE = _(
    "Het bestand heeft wel kolomtitels, maar geen leerlingen. Vul onder de kolomtitels per "
    "leerling één rij in."
)
UTF16_MESSAGE = _(
    "Het bestand is opgeslagen als Unicode-tekst (UTF-16). Sla het in Excel op als "
    "'CSV UTF-8 (door komma's gescheiden)' of als 'Excel-werkmap (*.xlsx)' en upload het "
    "opnieuw."
)
NOT_TEXT_MESSAGE = _(
    "Dit is geen tekstbestand en dus geen CSV-bestand. Upload een CSV-bestand of een "
    "Excel-werkmap (.xlsx)."
)
NOT_TEXT_SPREADSHEET = _(
    "Dit bestand heeft de extensie .csv, maar is geen CSV-bestand: het is een Excel-werkmap of "
    "een ander binair bestand. Sla het in Excel op als 'CSV UTF-8 (door komma's gescheiden)', of "
    "geef een Excel-werkmap de extensie .xlsx."
)
DELIMITER_MESSAGE = _(
    "Ik herken de kolommen niet: gebruik ; of , als scheidingsteken tussen de kolommen. Sla "
    "het bestand in Excel op als 'CSV (gescheiden door lijstscheidingsteken)' of gebruik het "
    "sjabloon."
)
CSV_SYNTAX_ROW = _(
    "Rij %(row)s: de opbouw van het CSV-bestand klopt hier niet, bijvoorbeeld door een "
    'aanhalingsteken (") dat niet wordt afgesloten. Controleer die rij, of open het bestand '
    "in Excel en sla het opnieuw op."
)
CSV_SYNTAX_MESSAGE = _(
    'De opbouw van het CSV-bestand klopt niet, bijvoorbeeld door een aanhalingsteken (") dat '
    "niet wordt afgesloten. Open het bestand in Excel en sla het opnieuw op."
)
CORRUPT_XLSX_MESSAGE = _(
    "Het bestand kan niet worden gelezen als Excel-werkmap (.xlsx): het is beschadigd of "
    "eigenlijk een ander soort bestand. Open het in Excel, sla het op als "
    "'Excel-werkmap (*.xlsx)' en upload het opnieuw."
)
CORRUPT_XLSX_OLE = _(
    "Het bestand is beveiligd met een wachtwoord, of het is een oud Excel-bestand (.xls) met "
    "de extensie .xlsx. Haal de beveiliging eraf, sla het op als 'Excel-werkmap (*.xlsx)' en "
    "upload het opnieuw."
)
MACROS_MESSAGE = _(
    "De Excel-werkmap bevat macro's of ActiveX-onderdelen. Die kunnen schadelijke code "
    "bevatten, daarom nemen we het bestand niet aan. Sla het bestand in Excel op als "
    "'Excel-werkmap (*.xlsx)' (zonder macro's) en upload het opnieuw."
)
ZIP_TOO_BIG = _(
    "Het Excel-bestand is uitgepakt groter dan %(max)s. Zo groot wordt een screening niet: "
    "verwijder overbodige werkbladen, afbeeldingen en opmaak, of gebruik het sjabloon."
)
ZIP_RATIO = _(
    "Een onderdeel van het Excel-bestand is ongewoon sterk ingepakt. Zo'n bestand kan de "
    "server overbelasten (een 'zipbom'), daarom nemen we het niet aan. Zet de gegevens in een "
    "nieuw bestand, bijvoorbeeld het sjabloon."
)
ZIP_MEMBERS = _(
    "Het Excel-bestand bestaat uit ongewoon veel onderdelen (%(count)s). Zet de gegevens in "
    "een nieuw bestand, bijvoorbeeld het sjabloon."
)
TOO_MANY_ROWS_MESSAGE = _(
    "Het bestand heeft meer dan %(max)s rijen met leerlingen. Verdeel de leerlingen over "
    "meer bestanden van hoogstens %(max)s rijen."
)
NO_HEADER_MESSAGE = _(
    "Ik vind geen bekende kolomtitels in de eerste rij. De eerste rij moet de kolomtitels uit "
    "het sjabloon bevatten, zoals %(example)s; daaronder staat per leerling één rij."
)
MISSING_COLUMNS_MESSAGE = _(
    "Deze kolommen ontbreken: %(columns)s. Gebruik het actuele sjabloon van je organisatie: "
    "daarin staan alle kolommen. Heeft een leerling een signaal niet, laat de cel dan leeg."
)
AGE_OR_GRADE = _("'%(age)s' of '%(grade)s'")
UNKNOWN_COLUMN_SUGGEST = _(
    "Kolom %(column)s (%(header)s) ken ik niet. Bedoel je '%(suggestion)s'? Gebruik de "
    "kolomtitels uit het sjabloon."
)
UNKNOWN_COLUMN_MESSAGE = _(
    "Kolom %(column)s (%(header)s) ken ik niet. Gebruik alleen de kolommen uit het sjabloon "
    "van je organisatie, of verwijder deze kolom."
)
DUPLICATE_COLUMN_MESSAGE = _(
    "Kolom %(column)s (%(header)s) staat twee keer in het bestand: ook in kolom %(first)s. "
    "Verwijder een van beide."
)
UNTITLED_COLUMN_MESSAGE = _(
    "Kolom %(column)s heeft geen titel, maar er staan wel gegevens in. Verwijder de kolom of "
    "geef hem een titel uit het sjabloon."
)
IDENTIFIER_COLUMN_MESSAGE = _(
    "Kolom %(column)s (%(header)s) lijkt %(what)s te bevatten. ZiO Persona's slaat nooit "
    "namen, BSN's, geboortedata of adressen op. Verwijder de kolom %(column)s (%(header)s) en "
    "upload opnieuw. De inhoud van de kolom is niet gelezen."
)
WHAT_NAMES = _("namen")
WHAT_BSN = _("burgerservicenummers (BSN)")
WHAT_BIRTH = _("geboortedata")
WHAT_ADDRESS = _("adresgegevens")
WHAT_CONTACT = _("contactgegevens (e-mail of telefoon)")
HEADER_BSN = _(
    "Rij %(row)s, kolom %(column)s: deze kolomtitel lijkt een burgerservicenummer (BSN) en "
    "wordt daarom niet getoond. Zet in de eerste rij de kolomtitels uit het sjabloon."
)
HEADER_DATE = _(
    "Rij %(row)s, kolom %(column)s: deze kolomtitel lijkt een datum en wordt daarom niet "
    "getoond. Zet in de eerste rij de kolomtitels uit het sjabloon."
)
FORMULA_MESSAGE = _(
    "'%(value)s' is een formule. Formules zijn niet toegestaan: vul alleen waarden in. "
    "Kopieer zo nodig de cellen en plak ze als waarden."
)
BSN_MESSAGE = _(
    "deze waarde lijkt een burgerservicenummer (BSN) en wordt daarom niet getoond. ZiO "
    "Persona's slaat nooit BSN's op. Gebruik een verzonnen leerlingcode; bestaat je code "
    "toevallig uit 8 of 9 cijfers, zet er dan een letter voor."
)
DATE_MESSAGE = _(
    "deze waarde lijkt een datum, zoals een geboortedatum, en wordt daarom niet getoond. ZiO "
    "Persona's slaat nooit geboortedata op. Vul de leeftijd in hele jaren in en verwijder de "
    "datum."
)
# The value is not repeated: a wrong code is often a name typed into the code column.
INVALID_CODE_MESSAGE = _(
    "dit is geen geldige leerlingcode (de waarde wordt niet getoond, want het kan een naam "
    "zijn). Een leerlingcode is een verzonnen code van hoogstens 40 tekens: letters, cijfers, "
    "punt, streepje of liggend streepje, zonder spaties, en begint met een letter of cijfer. "
    "Gebruik nooit een naam."
)
MISSING_CODE_MESSAGE = _("de leerlingcode ontbreekt. Geef elke leerling een eigen, verzonnen code.")
DUPLICATE_CODE_MESSAGE = _(
    "de leerlingcode '%(value)s' staat ook in rij %(first)s (hoofdletters en kleine letters "
    "tellen als gelijk). Elke leerling staat één keer in het bestand, met een eigen code."
)
INVALID_AGE_MESSAGE = _(
    "'%(value)s' is geen geldige leeftijd. Vul een heel getal van 3 tot en met 21 in, of laat "
    "de cel leeg als de groep of het leerjaar is ingevuld."
)
INVALID_GRADE_MESSAGE = _(
    "'%(value)s' is geen geldige groep of leerjaar. Vul een heel getal in: groep 1 tot en met "
    "8 (PO, SBO, SO) of leerjaar 1 tot en met 6 (VO, VSO)."
)
MISSING_AGE_AND_GRADE_MESSAGE = _(
    "de leeftijd en de groep of het leerjaar zijn allebei leeg. Vul minstens een van beide in."
)
INVALID_SCHOOL_TYPE_MESSAGE = _(
    "'%(value)s' is geen geldige schoolsoort. Gebruik PO, SBO, SO, VSO of VO, of laat de cel leeg."
)
INVALID_YES_NO_MESSAGE = _(
    "'%(value)s' is geen geldige waarde. Gebruik ja, nee, j, n, x, 1 of 0, of laat de cel leeg."
)
INVALID_SCALE_MESSAGE = _(
    "'%(value)s' is geen geldige waarde. Gebruik 0, 1, 2 of 3 (of ja, nee, j, n, x), of laat "
    "de cel leeg."
)
STAGE_READING = _("Bestand lezen")
STAGE_CHECKING = _("Gegevens controleren")
STAGE_HASHING = _("Leerlingcodes pseudonimiseren")
STAGE_CHECKED = _("Bestand gecontroleerd")

# Short headings for the result page, which groups problems by kind.
TITLES = {
    FILE_TYPE: _("Dit soort bestand kan ik niet inlezen"),
    FILE_TOO_LARGE: _("Het bestand is te groot"),
    EMPTY_FILE: _("Het bestand is leeg"),
    ENCODING: _("De tekstcodering wordt niet herkend"),
    NOT_TEXT: _("Het bestand is geen CSV-bestand"),
    DELIMITER: _("De kolommen worden niet herkend"),
    CSV_SYNTAX: _("De opbouw van het CSV-bestand klopt niet"),
    CORRUPT_XLSX: _("De Excel-werkmap kan niet worden gelezen"),
    MACROS: _("De Excel-werkmap bevat macro's"),
    ZIP_BOMB: _("De Excel-werkmap is verdacht groot"),
    TOO_MANY_ROWS: _("Het bestand heeft te veel rijen"),
    NO_HEADER: _("De kolomtitels ontbreken"),
    NO_ROWS: _("Er staan geen leerlingen in het bestand"),
    MISSING_COLUMNS: _("Kolommen ontbreken"),
    UNKNOWN_COLUMN: _("Onbekende kolommen"),
    DUPLICATE_COLUMN: _("Dubbele kolommen"),
    UNTITLED_COLUMN: _("Kolommen zonder titel"),
    IDENTIFIER_COLUMN: _("Kolommen met persoonsgegevens"),
    FORMULA: _("Formules"),
    BSN: _("Waarden die op een BSN lijken"),
    DATE: _("Waarden die op een datum lijken"),
    INVALID_CODE: _("Ongeldige leerlingcodes"),
    MISSING_CODE: _("Ontbrekende leerlingcodes"),
    DUPLICATE_CODE: _("Dubbele leerlingcodes"),
    INVALID_AGE: _("Ongeldige leeftijden"),
    INVALID_GRADE: _("Ongeldige groepen of leerjaren"),
    MISSING_AGE_AND_GRADE: _("Leeftijd en groep of leerjaar ontbreken"),
    INVALID_SCHOOL_TYPE: _("Ongeldige schoolsoorten"),
    INVALID_SIGNAL: _("Ongeldige waarden bij signalen"),
    INVALID_SUPPORT: _("Ongeldige waarden bij ondersteuning"),
}


def problem_title(kind: str, message: str) -> str:
    """A short heading for a kind of problem; unknown kinds show their own message."""
    title = TITLES.get(kind)
    return str(title) if title is not None else message


# --- Limits and accepted values -------------------------------------------------------------
MAX_ZIP_MEMBERS = 1000  # a workbook has a few dozen parts; thousands means something is off
MAX_ZIP_RATIO = 100  # deflated sheet XML is 10-30x smaller; far beyond that is a zip bomb
ZIP_RATIO_MIN_SIZE = 1024 * 1024  # small parts may compress well without harm
MAX_SHOWN = 50  # characters of a value or title repeated in a message

CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$"
_YES = ("ja", "j", "x", "1", "yes")
_NO = ("nee", "n", "0", "no", "")
_AGE_RANGE = (3, 21)
_GRADE_MAX = {"PO": 8, "SBO": 8, "SO": 8, "VSO": 6, "VO": 6}
_SCHOOL_TYPE_NAMES = {
    "po": "PO",
    "bao": "PO",
    "basisonderwijs": "PO",
    "basisschool": "PO",
    "primair onderwijs": "PO",
    "regulier basisonderwijs": "PO",
    "sbo": "SBO",
    "sbao": "SBO",
    "speciaal basisonderwijs": "SBO",
    "so": "SO",
    "speciaal onderwijs": "SO",
    "vso": "VSO",
    "voortgezet speciaal onderwijs": "VSO",
    "vo": "VO",
    "voortgezet onderwijs": "VO",
}

_UTF8_BOM = b"\xef\xbb\xbf"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and password-protected .xlsx
_ZIP_MAGIC = b"PK\x03\x04"
# Bytes that never occur in a text file: C0 controls other than tab, LF and CR, and DEL.
_CONTROL_BYTES = bytes([*range(0, 9), 11, 12, *range(14, 32), 127])
_TEXT_BYTES = bytes(b for b in range(256) if b not in _CONTROL_BYTES)


# --- Entry point -----------------------------------------------------------------------------
def read_and_validate(
    data: bytes,
    filename: str,
    spec: ScreeningSpec,
    key: bytes,
    limits: Limits = Limits(),  # noqa: B008 - frozen dataclass, safe as a default
    progress: Progress | None = None,
) -> ParsedScreening:
    """Check an uploaded screening completely; return it only when nothing is wrong."""
    if len(key) < 16:
        raise ValueError("The pupil code key must be at least 16 bytes.")

    def report(percent: int, stage: object) -> None:
        if progress is not None:
            progress(percent, str(stage))

    report(5, STAGE_READING)
    extension = PurePath((filename or "").strip()).suffix.lower()
    refused = [p for p in (_check_extension(extension), _check_size(len(data), limits)) if p]
    if refused:
        raise ImportRefused(refused)
    if not data:
        raise ImportRefused([Problem(EMPTY_FILE, str(EMPTY_FILE_MESSAGE))])
    table = _read_csv(data, limits) if extension == ".csv" else _read_xlsx(data, limits)
    report(35, STAGE_CHECKING)
    return _Validation(table, spec, key, limits, report).run()


def _check_extension(extension: str) -> Problem | None:
    if extension in (".csv", ".xlsx"):
        return None
    shown = _shorten(extension, 12)
    if extension in (".xlsm", ".xltm", ".xlam"):
        message = FILE_TYPE_XLSM % {"ext": shown}
    elif extension in (".xls", ".xlt"):
        message = str(FILE_TYPE_XLS)
    elif extension == ".xlsb":
        message = str(FILE_TYPE_XLSB)
    elif extension in (".ods", ".fods"):
        message = FILE_TYPE_ODS % {"ext": shown}
    elif extension:
        message = FILE_TYPE_OTHER % {"ext": shown}
    else:
        message = str(FILE_TYPE_NONE)
    return Problem(FILE_TYPE, message)


def _check_size(size: int, limits: Limits) -> Problem | None:
    if size <= limits.max_bytes:
        return None
    values = {"size": _format_bytes(size), "max": _format_bytes(limits.max_bytes)}
    return Problem(FILE_TOO_LARGE, FILE_TOO_LARGE_MESSAGE % values)


def _format_bytes(size: int) -> str:
    """Dutch notation: 25,3 MB; a round maximum without decimals (20 MB)."""
    unit, divisor = ("MB", 1024 * 1024) if size >= 1024 * 1024 else ("kB", 1024)
    amount = size / divisor
    text = f"{amount:.0f}" if amount == int(amount) else f"{amount:.1f}"
    return f"{text.replace('.', ',')} {unit}"


def _format_count(count: int) -> str:
    return f"{count:,}".replace(",", ".")


def _refuse(kind: str, message: object, **values: object) -> ImportRefused:
    text = str(message) % values if values else str(message)
    return ImportRefused([Problem(kind, text)])


# --- Reading: both formats end up as a table of strings ----------------------------------------
@dataclass
class _Table:
    titles: list[str | None]
    frame: pl.DataFrame  # one String column per file column, data rows only
    rows: npt.NDArray[np.int64]  # spreadsheet row number of each frame row (header = row 1)
    header_row: int


def _table(
    titles: Sequence[str | None], frame: pl.DataFrame, rows: npt.NDArray[np.int64], header_row: int
) -> _Table:
    frame = frame.rename({old: f"c{i}" for i, old in enumerate(frame.columns)})
    return _Table(list(titles), frame, rows, header_row)


def _read_csv(data: bytes, limits: Limits) -> _Table:
    """UTF-8 (with or without BOM), else Windows-1252. polars checks the UTF-8 while it
    parses, so a valid file is not decoded twice."""
    _refuse_binary(data)
    try:
        return _parse_csv(data, limits)
    except UnicodeDecodeError:
        if data.startswith(_UTF8_BOM):
            raise _refuse(NOT_TEXT, NOT_TEXT_MESSAGE) from None
    try:
        transcoded = data.decode("cp1252").encode("utf-8")
    except UnicodeDecodeError:
        raise _refuse(NOT_TEXT, NOT_TEXT_MESSAGE) from None
    return _parse_csv(transcoded, limits)


def _refuse_binary(data: bytes) -> None:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise _refuse(ENCODING, UTF16_MESSAGE)
    if data.startswith((_ZIP_MAGIC, _OLE_MAGIC)):
        raise _refuse(NOT_TEXT, NOT_TEXT_SPREADSHEET)
    if b"\x00" in data:
        # UTF-16 without a BOM has a NUL next to every ASCII letter; anything else is binary.
        start = data[:200]
        utf16 = start[1::2].count(0) > len(start) // 3 or start[0::2].count(0) > len(start) // 3
        raise _refuse(ENCODING, UTF16_MESSAGE) if utf16 else _refuse(NOT_TEXT, NOT_TEXT_MESSAGE)
    if data[:65536].translate(None, _TEXT_BYTES):  # control bytes early on: not text
        raise _refuse(NOT_TEXT, NOT_TEXT_MESSAGE)


def _parse_csv(data: bytes, limits: Limits) -> _Table:
    """Raises UnicodeDecodeError when the file is not UTF-8."""
    if b"\n" not in data and b"\r" in data:
        data = data.replace(b"\r", b"\n")  # classic Mac line ends
    # Leading blank lines are skipped, but counted, so row numbers match the spreadsheet's.
    start = len(_UTF8_BOM) if data.startswith(_UTF8_BOM) else 0
    skipped = 0
    while True:
        end = data.find(b"\n", start)
        line = data[start : len(data) if end == -1 else end]
        if line.strip():
            break
        if end == -1:
            raise _refuse(EMPTY_FILE, EMPTY_FILE_MESSAGE)
        start, skipped = end + 1, skipped + 1
    first_line = line.decode("utf-8")
    hint = re.fullmatch(r'"?sep=(.)"?\s*', first_line)  # Excel's "sep=;" first line
    if hint:
        start, skipped = start + len(line) + 1, skipped + 1
        separator: str | None = hint.group(1)
    else:
        separator = _detect_separator(first_line)
    if separator not in (";", ","):
        raise _refuse(DELIMITER, DELIMITER_MESSAGE)
    assert separator is not None
    # polars skips a BOM itself; copying 20 MB only to drop it would cost time.
    body = data if start == len(_UTF8_BOM) and data.startswith(_UTF8_BOM) else data[start:]

    n_rows = limits.max_rows + 2  # the header and one row too many
    try:
        frame = _polars_csv(body, separator, n_rows, width=None)
    except pl.exceptions.PolarsError:
        text = body.decode("utf-8-sig")  # not UTF-8: the caller tries Windows-1252
        # Ragged rows or broken quoting: the csv module says which, and how wide the file is.
        width = _csv_width(text, separator, skipped)
        try:
            frame = _polars_csv(body, separator, n_rows, width=width)
        except pl.exceptions.PolarsError:
            raise _refuse(CSV_SYNTAX, CSV_SYNTAX_MESSAGE) from None
    if frame.height - 1 > limits.max_rows:
        raise _refuse(TOO_MANY_ROWS, TOO_MANY_ROWS_MESSAGE, max=_format_count(limits.max_rows))
    titles = [None if t is None else str(t) for t in frame.row(0)] if frame.height else []
    rows = np.arange(frame.height - 1, dtype=np.int64) + 2 + skipped
    return _table(titles, frame.slice(1), rows, 1 + skipped)


def _polars_csv(body: bytes, separator: str, n_rows: int, width: int | None) -> pl.DataFrame:
    # With a width (after ragged rows), short rows get empty cells in the columns they lack.
    if width:
        return pl.read_csv(
            body,
            has_header=False,
            separator=separator,
            quote_char='"',
            schema={f"c{i}": pl.String for i in range(width)},
            missing_columns="insert",
            n_rows=n_rows,
            raise_if_empty=False,
        )
    return pl.read_csv(
        body,
        has_header=False,
        separator=separator,
        quote_char='"',
        infer_schema=False,  # every cell stays text; the checks decide what is valid
        n_rows=n_rows,
        raise_if_empty=False,
    )


def _csv_width(text: str, separator: str, skipped: int) -> int:
    """The widest row, read with the csv module (only after polars gave up)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator, strict=True)
    width = 0
    record = 0
    try:
        for record, row in enumerate(reader, start=1):  # noqa: B007 - record is used below
            width = max(width, len(row))
    except csv.Error:
        raise _refuse(CSV_SYNTAX, CSV_SYNTAX_ROW, row=record + 1 + skipped) from None
    return width


def _detect_separator(line: str) -> str | None:
    """The more frequent of ; and , outside quotes in the header line."""
    counts = {";": 0, ",": 0}
    quoted = False
    for char in line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    if not any(counts.values()):
        return None
    return ";" if counts[";"] >= counts[","] else ","


def _read_xlsx(data: bytes, limits: Limits) -> _Table:
    if data.startswith(_OLE_MAGIC):
        raise _refuse(CORRUPT_XLSX, CORRUPT_XLSX_OLE)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise _refuse(CORRUPT_XLSX, CORRUPT_XLSX_MESSAGE) from None
    with archive:
        _inspect_zip(archive, limits)
    # openpyxl parses XML with defusedxml when it is installed: no entity expansion, no DTDs.
    if not openpyxl.DEFUSEDXML:
        raise RuntimeError("defusedxml must be installed before reading uploaded workbooks.")
    with warnings.catch_warnings():
        # openpyxl warns about features it drops (extensions, validation); they do not matter.
        warnings.simplefilter("ignore")
        try:
            workbook = openpyxl.load_workbook(
                io.BytesIO(data), read_only=True, data_only=False, keep_links=False
            )
        except Exception:  # openpyxl raises many kinds for a broken file
            raise _refuse(CORRUPT_XLSX, CORRUPT_XLSX_MESSAGE) from None
        try:
            return _read_sheet(workbook, limits)
        except ImportRefused:
            raise
        except Exception:
            raise _refuse(CORRUPT_XLSX, CORRUPT_XLSX_MESSAGE) from None
        finally:
            workbook.close()


def _inspect_zip(archive: zipfile.ZipFile, limits: Limits) -> None:
    """Refuse zip bombs and macros before openpyxl unpacks anything."""
    members = archive.infolist()
    if len(members) > MAX_ZIP_MEMBERS:
        raise _refuse(ZIP_BOMB, ZIP_MEMBERS, count=_format_count(len(members)))
    # zipfile never inflates a member beyond its declared size, so these sizes are a bound.
    if sum(m.file_size for m in members) > limits.max_unzipped_bytes:
        raise _refuse(ZIP_BOMB, ZIP_TOO_BIG, max=_format_bytes(limits.max_unzipped_bytes))
    for member in members:
        if member.file_size > ZIP_RATIO_MIN_SIZE and member.file_size > MAX_ZIP_RATIO * max(
            member.compress_size, 1
        ):
            raise _refuse(ZIP_BOMB, ZIP_RATIO)
    names = {m.filename.lower(): m for m in members}
    if any("vbaproject" in name or name.startswith("xl/activex/") for name in names):
        raise _refuse(MACROS, MACROS_MESSAGE)
    types = names.get("[content_types].xml")
    if types is None or "xl/workbook.xml" not in names or types.file_size > 1024 * 1024:
        raise _refuse(CORRUPT_XLSX, CORRUPT_XLSX_MESSAGE)
    content_types = archive.read(types).lower()
    if b"macroenabled" in content_types or b"vbaproject" in content_types:
        raise _refuse(MACROS, MACROS_MESSAGE)


def _read_sheet(workbook: openpyxl.Workbook, limits: Limits) -> _Table:
    sheets = workbook.worksheets
    if not sheets:
        raise _refuse(EMPTY_FILE, EMPTY_FILE_MESSAGE)
    sheet = next((s for s in sheets if s.title.strip().lower() == "gegevens"), sheets[0])
    if hasattr(sheet, "reset_dimensions"):
        sheet.reset_dimensions()  # trust the cells, not the (often wrong) dimension record
    header: tuple[object, ...] | None = None
    header_row = 0
    rows: list[tuple[object, ...]] = []
    numbers: list[int] = []
    for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        if row.count(None) == len(row):
            continue  # empty rows are skipped, as in a CSV file
        if header is None:
            header, header_row = row, number
            continue
        rows.append(row)
        numbers.append(number)
        if len(rows) > limits.max_rows:
            raise _refuse(TOO_MANY_ROWS, TOO_MANY_ROWS_MESSAGE, max=_format_count(limits.max_rows))
    if header is None:
        raise _refuse(EMPTY_FILE, EMPTY_FILE_MESSAGE)
    width = max(len(header), *(len(r) for r in rows)) if rows else len(header)
    titles = [_cell_text(v) for v in header] + [None] * (width - len(header))
    # Rows may stop before the last column (openpyxl leaves out trailing empty cells).
    padded = [row + (None,) * (width - len(row)) for row in rows]
    columns = list(zip(*padded, strict=True)) if rows else [() for _ in range(width)]
    frame = pl.DataFrame(
        {f"c{i}": [_cell_text(v) for v in column] for i, column in enumerate(columns)},
        schema={f"c{i}": pl.String for i in range(width)},
    )
    return _table(titles, frame, np.asarray(numbers, dtype=np.int64), header_row)


def _cell_text(value: object) -> str | None:
    """A cell as the text a CSV export would show; dates become ISO text, which the date
    check then refuses, and formulas keep their leading '='."""
    if value is None or type(value) is str:
        return value  # the fast path for most cells
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, ArrayFormula):
        return "=" + str(value.text or "").lstrip("=")
    if isinstance(value, DataTableFormula):
        return "="
    return str(value)


# --- Normalising titles --------------------------------------------------------------------------
def _fold(text: str) -> str:
    """Lower case without accents: 'Taalbarrière' -> 'taalbarriere'."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def normalise_header(title: str) -> str:
    """How column titles are compared: case, accents, surrounding and repeated spaces do not
    count, nor the apostrophe the template puts before a title that starts like a formula."""
    text = title.strip()
    if text.startswith("'"):
        text = text[1:].strip()
    text = re.sub(r"\s+", " ", _fold(text))
    return re.sub(r"\s*:\s*", ": ", text)


# Titles that reveal direct identifiers (see identifier_reason). Contact details come before
# addresses, so that "e-mailadres" is called what it is.
_NAMES = ("naam", "namen", "tussenvoegsel", "voorletter", "voorletters", "initialen")
_NAMES_EN = ("firstname", "lastname", "surname", "fullname")
_BIRTH = ("geboortedatum", "geboortedag", "geboortejaar", "geboortemaand", "gebdatum")
_BIRTH_EN = ("dateofbirth", "birthdate", "birthday")
_ADDRESS = ("adres", "huisnummer", "huisnr", "postcode", "woonplaats", "address", "zipcode")
_IDENTIFIER_JOINED = (
    (WHAT_NAMES, _NAMES + _NAMES_EN),
    (WHAT_BSN, ("burgerservicenummer", "sofinummer", "bsnnummer", "bsnnr")),
    (WHAT_BIRTH, _BIRTH + _BIRTH_EN),
    (WHAT_CONTACT, ("email", "mail", "telefoon", "phone")),
    (WHAT_ADDRESS, _ADDRESS),
)
_IDENTIFIER_WORDS = (
    (WHAT_NAMES, ("name", "names")),
    (WHAT_BSN, ("bsn", "sofi")),
    (WHAT_BIRTH, ("dob", "gebdat")),
    (WHAT_CONTACT, ("tel", "telnr", "telnummer", "gsm", "mobiel", "mobielnummer", "mob")),
    (WHAT_ADDRESS, ("straat", "zip", "pc")),
)
_IDENTIFIER_PREFIXES = (
    (WHAT_BSN, ("bsn",)),
    (WHAT_CONTACT, ("mobiel", "gsm", "telnr")),
)
# Ordinary words that happen to contain "naam".
_NOT_IDENTIFIERS = frozenset({"aangenaam", "onaangenaam", "aangename", "onaangename"})


def identifier_reason(title: str) -> str | None:
    """What kind of direct identifier a column title suggests ('namen', …), or None.

    A part matches inside one word ("Leerlingnaam", "E-mailadres") or as a run of whole words
    ("Geb. datum", "Post code"), never across a word boundary ("Vragen na mentorgesprek" is
    not about names). Also useful to refuse such names for signals in the catalogue."""
    words = [w for w in re.findall(r"[a-z0-9]+", _fold(title)) if w not in _NOT_IDENTIFIERS]
    runs = {
        "".join(words[start:end])
        for start in range(len(words))
        for end in range(start + 2, min(start + 4, len(words)) + 1)
    }
    for what, parts in _IDENTIFIER_JOINED:
        if any(part in word for part in parts for word in words) or runs.intersection(parts):
            return str(what)
    for what, exact in _IDENTIFIER_WORDS:
        if any(word in exact for word in words):
            return str(what)
    for what, prefixes in _IDENTIFIER_PREFIXES:
        if any(word.startswith(prefixes) for word in words):
            return str(what)
    return None


# --- Values that must never be stored ------------------------------------------------------------
_NO_PRIVATE, _IS_FORMULA, _IS_BSN, _IS_DATE = 0, 1, 2, 3
_MONTH_NAMES = r"(?:jan|feb|mrt|maa|mar|apr|mei|may|jun|jul|aug|sep|okt|oct|nov|dec)"
_MONTHS = _MONTH_NAMES + r"[a-z]*\.?"
_TIME = r"(?:[ t]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_DATE_DMY = rf"^(\d{{1,2}})[-/.](\d{{1,2}})[-/.](\d{{4}}|\d{{2}}){_TIME}$"
_DATE_YMD = rf"^(\d{{4}})[-/.](\d{{1,2}})[-/.](\d{{1,2}}){_TIME}$"
_DATE_WORDS = rf"^(\d{{1,2}})[ .-]*{_MONTHS}[ .-]*(\d{{4}}|\d{{2}})$"
_DATE_WORDS_FIRST = rf"^{_MONTHS}\s*(\d{{1,2}}),?\s+(\d{{4}})$"
_DATE_START = rf"(?i)^(?:\d{{1,4}}[-/. ]|{_MONTH_NAMES})"  # cheap filter before the real tests
_BSN_SHAPE = r"^\d[\d .-]{6,12}\d$"
_BSN_WEIGHTS = np.array([9, 8, 7, 6, 5, 4, 3, 2, -1], dtype=np.int64)


def _private_kinds(values: pl.Series) -> npt.NDArray[np.int8]:
    """For stripped, non-null text cells: formula, BSN-like, date-like, or none (0)."""
    kinds = np.zeros(values.len(), dtype=np.int8)
    if values.len() == 0:
        return kinds
    lower = values.str.to_lowercase()
    kinds[_mask(lower.str.starts_with("="))] = _IS_FORMULA
    kinds[(kinds == 0) & _looks_like_bsn(values)] = _IS_BSN
    kinds[(kinds == 0) & _looks_like_date(lower)] = _IS_DATE
    return kinds


def _mask(series: pl.Series) -> npt.NDArray[np.bool_]:
    return np.asarray(series.fill_null(value=False).to_numpy(), dtype=np.bool_)


def _looks_like_bsn(values: pl.Series) -> npt.NDArray[np.bool_]:
    """8 or 9 digits (separators allowed) that pass the elfproef; 8 digits get a leading 0."""
    result = np.zeros(values.len(), dtype=np.bool_)
    shaped = _mask(values.str.contains(_BSN_SHAPE))
    if not shaped.any():
        return result
    digits = values.filter(pl.Series(shaped)).str.replace_all(r"[ .-]", "")
    right_length = _mask(digits.str.len_chars().is_between(8, 9))
    candidates = np.flatnonzero(shaped)[right_length]
    if candidates.size == 0:
        return result
    padded = "".join(digits.filter(pl.Series(right_length)).str.zfill(9).to_list())
    matrix = np.frombuffer(padded.encode("ascii"), dtype=np.uint8).reshape(-1, 9) - 48
    total = matrix.astype(np.int64) @ _BSN_WEIGHTS
    result[candidates] = (total % 11 == 0) & (matrix.sum(axis=1) > 0)
    return result


def _looks_like_date(lower: pl.Series) -> npt.NDArray[np.bool_]:
    """Full dates: 12-03-2015, 12/3/15, 2015-03-12, 12 maart 2015, March 12, 2015."""
    found = np.zeros(lower.len(), dtype=np.bool_)
    candidates = np.flatnonzero(_mask(lower.str.contains(_DATE_START)))
    if candidates.size == 0:
        return found
    frame = pl.DataFrame({"v": lower.gather(candidates)})
    day, month, year = pl.col("d"), pl.col("m"), pl.col("y")
    year_ok = (year < 100) | year.is_between(1900, 2099)
    day_month = day.is_between(1, 31) & month.is_between(1, 12)
    month_day = day.is_between(1, 12) & month.is_between(1, 31)  # American order
    tests = (
        (_DATE_DMY, ("d", "m", "y"), (day_month | month_day) & year_ok),
        (_DATE_YMD, ("y", "m", "d"), day_month & year.is_between(1900, 2099)),
        (_DATE_WORDS, ("d", "y"), day.is_between(1, 31) & year_ok),
        (_DATE_WORDS_FIRST, ("d", "y"), day.is_between(1, 31) & year_ok),
    )
    hits = np.zeros(candidates.size, dtype=np.bool_)
    for pattern, names, condition in tests:
        groups = pl.col("v").str.extract_groups(pattern)
        parts = [
            groups.struct.field(str(i + 1)).cast(pl.Int32).alias(n) for i, n in enumerate(names)
        ]
        hits |= _mask(frame.select(parts).select(condition).to_series())
    found[candidates] = hits
    return found


# --- Checking -----------------------------------------------------------------------------
def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _shorten(text: str, limit: int = MAX_SHOWN) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _fast_map(mapping: dict[str, int]) -> dict[str, int]:
    """The mapping with the spellings that occur most, so most cells need no normalising."""
    variants: dict[str, int] = {}
    for value, code in mapping.items():
        for spelling in (value, value.upper(), value.capitalize()):
            variants[spelling] = code
    return variants


_BAD = 255  # uint8 marker for "not a valid value"
_EMPTY = 254  # uint8 marker for an empty school type cell, until the default is filled in
_NULL = 254  # Enum code given to empty answer cells, before the lookup table


@dataclass(frozen=True)
class _Answers:
    """An accepted set of answers: the full mapping (for trimmed, lower-case text), and a
    polars Enum of the usual spellings with a lookup table from its codes to the values.
    Casting to an Enum is about twice as fast as replace_strict on 100,000 x 40 cells (and
    ten times as fast as computing the values from the codes in polars)."""

    full: dict[str, int]
    enum: pl.Enum
    table: bytes  # 256 entries: Enum code -> value, _NULL -> 0, anything else -> _BAD

    @classmethod
    def of(cls, full: dict[str, int]) -> _Answers:
        fast = _fast_map(full)
        table = bytearray([_BAD] * 256)
        table[: len(fast)] = bytes(fast.values())
        table[_NULL] = full[""]
        return cls(full, pl.Enum(list(fast)), bytes(table))

    def expression(self, name: str) -> pl.Expr:
        column = pl.col(name)
        code = column.cast(self.enum, strict=False).to_physical().cast(pl.UInt8)
        return (
            pl.when(column.is_null())
            .then(pl.lit(_NULL, dtype=pl.UInt8))
            .otherwise(code.fill_null(_BAD))
            .alias(name)
        )

    def values(self, codes: npt.NDArray[np.uint8]) -> tuple[npt.NDArray[np.uint8], bool]:
        """Enum codes to values, and whether any cell is _BAD. bytes.translate is a lookup
        table in C, several times faster than numpy's fancy indexing for this, and looking
        for a byte is faster than any numpy reduction."""
        columns = np.ascontiguousarray(codes.T)
        translated = columns.tobytes().translate(self.table)
        values = np.frombuffer(translated, dtype=np.uint8).reshape(columns.shape).T.copy()
        return values, bytes([_BAD]) in translated


_YES_NO = _Answers.of({**dict.fromkeys(_YES, 1), **dict.fromkeys(_NO, 0)})
_SCALE = _Answers.of({**_YES_NO.full, "2": 2, "3": 3})
_SCHOOL_TYPE_CODES = {name: SCHOOL_TYPES.index(code) for name, code in _SCHOOL_TYPE_NAMES.items()}


@dataclass
class _Batch:
    """Problems of one kind in one column, found for many rows at once."""

    kind: str
    column: int
    template: str  # the translated message, with %(row)s, %(value)s, %(first)s …
    index: npt.NDArray[np.int64]  # frame rows
    values: list[str] | None  # the offending values, or None when they must not be shown
    first: npt.NDArray[np.int64] | None = None  # for duplicates: the row of the first one


@dataclass
class _Columns:
    code: int | None = None
    age: int | None = None
    grade: int | None = None
    school_type: int | None = None
    signals: list[int | None] = field(default_factory=list)
    support: list[int | None] = field(default_factory=list)
    scan_only: list[int] = field(default_factory=list)  # refused anyway: searched for privacy


class _Validation:
    def __init__(
        self,
        table: _Table,
        spec: ScreeningSpec,
        key: bytes,
        limits: Limits,
        report: Callable[[int, object], None],
    ) -> None:
        self.table = table
        self.spec = spec
        self.key = key
        self.limits = limits
        self.report = report
        self.file_problems: list[Problem] = []
        self.batches: list[_Batch] = []
        self._texts: dict[int, pl.Series] = {}
        self._empty: dict[str, npt.NDArray[np.bool_]] = {}  # empty age and grade cells

    # The steps, in order ----------------------------------------------------------------------
    def run(self) -> ParsedScreening:
        default_type = _school_type_index(self.spec.default_school_type)
        columns = self._columns()
        if any(p.kind == NO_HEADER for p in self.file_problems):
            self._refuse()  # without titles the rows cannot be read
        self._drop_blank_rows(columns.code)
        if self.table.frame.height == 0:
            self.file_problems.append(Problem(NO_ROWS, str(NO_ROWS_MESSAGE)))

        # The bulk of the checks is one polars query; it runs in a thread (polars releases
        # the GIL) while this thread computes the HMACs, which need the GIL. Hashing codes
        # of a file that is refused later costs time, not privacy: they never leave here.
        bulk = self._bulk(columns)
        keys = self._code_keys(columns.code)
        self.report(50, STAGE_HASHING)
        with ThreadPoolExecutor(max_workers=1) as pool:
            running = pool.submit(bulk.collect)
            hashes = _hash_codes(keys, self.key)
            found = running.result()

        self.report(80, STAGE_CHECKING)
        self._codes(columns.code, found)
        school_types = self._school_types(columns.school_type, default_type, found)
        ages = self._numbers(columns.age, "age", _AGE_RANGE, found)
        grade_max = _GRADE_MAX_BY_INDEX[school_types]
        grades = self._numbers(columns.grade, "grade", (1, grade_max), found)
        self._age_or_grade(columns)
        signals, support = self._answers(columns, found)
        for index in columns.scan_only:
            self._scan_private(index)
        if self.file_problems or self.batches:
            self._refuse()
        self.report(90, STAGE_CHECKED)
        return ParsedScreening(
            code_hashes=hashes,
            ages=ages,
            grades=grades,
            school_types=school_types,
            signals=signals,
            support=support,
            signal_ids=[s.signal_id for s in self.spec.signals],
            support_names=list(self.spec.support),
        )

    def _refuse(self) -> NoReturn:
        problems = self.file_problems[: self.limits.max_problems]
        problems += self._row_problems(self.limits.max_problems - len(problems))
        total = len(self.file_problems) + sum(b.index.size for b in self.batches)
        raise ImportRefused(problems, total)

    # Columns ----------------------------------------------------------------------------------
    def _columns(self) -> _Columns:
        spec = self.spec
        known: dict[str, str] = {}
        for header in spec.headers:
            normal = normalise_header(header)
            if normal in known:
                raise ValueError(f"Two columns of the screening are both called {header!r}.")
            known[normal] = header
        role = {
            normalise_header(CODE_HEADER): "code",
            normalise_header(AGE_HEADER): "age",
            normalise_header(GRADE_HEADER): "grade",
            normalise_header(SCHOOL_TYPE_HEADER): "school_type",
        }
        signal_of = {normalise_header(s.name): j for j, s in enumerate(spec.signals)}
        support_of = {normalise_header(SUPPORT_PREFIX + s): j for j, s in enumerate(spec.support)}
        columns = _Columns(signals=[None] * len(spec.signals), support=[None] * len(spec.support))
        titles = [(title or "").strip() for title in self.table.titles]
        private = np.zeros(len(titles), dtype=np.int8)
        digits = [i for i, title in enumerate(titles) if re.search(r"\d", title)]
        if digits:  # only a title with digits can look like a BSN or a date
            private[digits] = _private_kinds(pl.Series([titles[i] for i in digits]))
        seen: dict[str, int] = {}
        for index, text in enumerate(titles):
            shown = _shorten(text)
            reason = identifier_reason(text) if text else None
            if not text:
                if self._has_data(index):
                    self._file(UNTITLED_COLUMN, UNTITLED_COLUMN_MESSAGE, index, None)
                    columns.scan_only.append(index)
            elif reason is not None:
                # The column is never read, and its values are never shown.
                self._file(IDENTIFIER_COLUMN, IDENTIFIER_COLUMN_MESSAGE, index, shown, what=reason)
            elif private[index] in (_IS_BSN, _IS_DATE):
                bsn = private[index] == _IS_BSN
                row = self.table.header_row
                message = HEADER_BSN if bsn else HEADER_DATE
                self._file(BSN if bsn else DATE, message, index, None, row)
                columns.scan_only.append(index)
            elif (normal := normalise_header(text)) not in known:
                suggestion = difflib.get_close_matches(normal, list(known), n=1, cutoff=0.6)
                message = UNKNOWN_COLUMN_SUGGEST if suggestion else UNKNOWN_COLUMN_MESSAGE
                better = known[suggestion[0]] if suggestion else ""
                self._file(UNKNOWN_COLUMN, message, index, shown, suggestion=better)
                columns.scan_only.append(index)
            elif normal in seen:
                first = _column_letter(seen[normal])
                self._file(DUPLICATE_COLUMN, DUPLICATE_COLUMN_MESSAGE, index, shown, first=first)
                columns.scan_only.append(index)
            else:
                seen[normal] = index
                if normal in role:
                    setattr(columns, role[normal], index)
                elif normal in signal_of:
                    columns.signals[signal_of[normal]] = index
                else:
                    columns.support[support_of[normal]] = index

        if not seen and titles:
            # Perhaps the first row holds a pupil rather than titles: repeat none of its cells.
            example = ", ".join(f"'{h}'" for h in (CODE_HEADER, AGE_HEADER, GRADE_HEADER))
            self.file_problems = [p for p in self.file_problems if p.kind == IDENTIFIER_COLUMN]
            self.file_problems.append(Problem(NO_HEADER, NO_HEADER_MESSAGE % {"example": example}))
            return columns
        missing = [] if columns.code is not None else [f"'{CODE_HEADER}'"]
        if columns.age is None and columns.grade is None:
            missing.append(AGE_OR_GRADE % {"age": AGE_HEADER, "grade": GRADE_HEADER})
        for signal, found in zip(spec.signals, columns.signals, strict=True):
            if found is None:
                missing.append(f"'{signal.name}'")
        for support, found in zip(spec.support, columns.support, strict=True):
            if found is None:
                missing.append(f"'{SUPPORT_PREFIX}{support}'")
        if missing:
            text = MISSING_COLUMNS_MESSAGE % {"columns": ", ".join(missing)}
            self.file_problems.append(Problem(MISSING_COLUMNS, text))
        return columns

    def _file(
        self,
        kind: str,
        message: object,
        index: int,
        header: str | None,
        row: int | None = None,
        **values: object,
    ) -> None:
        column = _column_letter(index)
        text = str(message) % {"row": row, "column": column, "header": header, **values}
        self.file_problems.append(Problem(kind, text, row=row, column=column, header=header))

    def _raw(self, index: int) -> pl.Series:
        return self.table.frame.get_column(f"c{index}")

    def _text(self, index: int) -> pl.Series:
        """The column's cells trimmed, empty cells as ""."""
        if index not in self._texts:
            self._texts[index] = self._raw(index).fill_null("").str.strip_chars()
        return self._texts[index]

    def _has_data(self, index: int) -> bool:
        return bool((self._text(index).str.len_bytes() > 0).any())

    def _drop_blank_rows(self, code: int | None) -> None:
        """Rows without any filled cell are blank lines, not pupils. A blank row has no code,
        so only rows without a code need the look at every cell."""
        frame = self.table.frame
        if frame.width == 0 or frame.height == 0:
            return
        if code is None:
            suspects = np.arange(frame.height)
        else:
            raw = self._raw(code)
            suspects = np.flatnonzero(_mask(raw.is_null() | (raw.str.len_bytes() == 0)))
            if suspects.size == 0:
                return
        filled = frame[suspects].select(
            pl.any_horizontal(pl.all().str.strip_chars().str.len_bytes().fill_null(0) > 0)
        )
        blank = suspects[~_mask(filled.to_series())]
        if blank.size:
            keep = np.ones(frame.height, dtype=np.bool_)
            keep[blank] = False
            self.table.frame = frame.filter(pl.Series(keep))
            self.table.rows = self.table.rows[keep]
            self._texts.clear()

    # Cells ------------------------------------------------------------------------------------
    def _add(
        self,
        kind: str,
        column: int,
        message: object,
        index: npt.NDArray[np.int64],
        values: pl.Series | None,
        first: npt.NDArray[np.int64] | None = None,
    ) -> None:
        if index.size == 0:
            return
        shown = None if values is None else [_shorten(v) for v in values.to_list()]
        self.batches.append(_Batch(kind, column, str(WHERE) + str(message), index, shown, first))

    def _add_private(
        self, column: int, index: npt.NDArray[np.int64], values: pl.Series
    ) -> npt.NDArray[np.bool_]:
        """Report formulas, BSNs and dates among these cells; returns which cells were none."""
        private = _private_kinds(values)
        formula = private == _IS_FORMULA
        self._add(FORMULA, column, FORMULA_MESSAGE, index[formula], values.filter(formula))
        self._add(BSN, column, BSN_MESSAGE, index[private == _IS_BSN], None)
        self._add(DATE, column, DATE_MESSAGE, index[private == _IS_DATE], None)
        return np.asarray(private == _NO_PRIVATE)

    def _invalid(
        self,
        column: int,
        index: npt.NDArray[np.int64],
        kind: str,
        message: object,
        show_values: bool = True,
    ) -> None:
        """Cells that are not a valid value: private data first, then the column's own rule."""
        if index.size == 0:
            return
        values = self._text(column).gather(index)
        rest = self._add_private(column, index, values)
        self._add(kind, column, message, index[rest], values.filter(rest) if show_values else None)

    def _bulk(self, columns: _Columns) -> pl.LazyFrame:
        """One query for the cell checks every file needs, column by column; what it flags
        is looked at more closely afterwards."""
        expressions: list[pl.Expr] = []
        if columns.code is not None:
            code = pl.col(f"c{columns.code}").fill_null("").str.strip_chars()
            expressions += [
                code.str.contains(CODE_PATTERN).alias("code_valid"),
                (code.str.contains(_BSN_SHAPE) | code.str.contains(_DATE_START)).alias(
                    "code_suspect"
                ),
                code.str.to_uppercase().is_duplicated().alias("code_repeated"),
            ]
        for name, index in (("age", columns.age), ("grade", columns.grade)):
            if index is not None:
                raw = pl.col(f"c{index}")
                expressions.append(raw.cast(pl.Int16, strict=False).alias(name))
        if columns.school_type is not None:
            fast = {**_fast_map(_SCHOOL_TYPE_CODES), "": _EMPTY}
            raw = pl.col(f"c{columns.school_type}").fill_null("")
            expressions.append(
                raw.replace_strict(fast, default=_BAD, return_dtype=pl.UInt8).alias("school")
            )
        for prefix, indexes, answers in (
            ("signal", columns.signals, _SCALE),
            ("support", columns.support, _YES_NO),
        ):
            expressions += [
                answers.expression(f"c{i}").alias(f"{prefix}{j}")
                for j, i in enumerate(indexes)
                if i is not None
            ]
        if not expressions:
            expressions = [pl.lit(value=True).alias("_")]
        return self.table.frame.lazy().select(expressions)

    def _code_keys(self, column: int | None) -> list[bytes]:
        """What is hashed: the trimmed code in capitals, so 'ab12' and 'AB12' are one pupil."""
        if column is None:
            return []
        return self._text(column).str.to_uppercase().cast(pl.Binary).to_list()

    def _codes(self, column: int | None, found: pl.DataFrame) -> None:
        if column is None:
            return
        text = self._text(column)
        empty = _mask(text == "")
        valid = _mask(found.get_column("code_valid"))
        self._add(MISSING_CODE, column, MISSING_CODE_MESSAGE, np.flatnonzero(empty), None)
        self._invalid(
            column,
            np.flatnonzero(~valid & ~empty),
            INVALID_CODE,
            INVALID_CODE_MESSAGE,
            show_values=False,
        )
        # A valid code can still be a BSN or a date: digits, dots and dashes are allowed.
        suspect = np.flatnonzero(valid & _mask(found.get_column("code_suspect")))
        private = suspect[~self._add_private(column, suspect, text.gather(suspect))]
        # Duplicates, ignoring case: every later occurrence names the row of the first.
        repeated = valid & _mask(found.get_column("code_repeated"))
        repeated[private] = False
        if not repeated.any():
            return
        candidates = np.flatnonzero(repeated)
        keys = pl.DataFrame({"code": text.gather(candidates).str.to_uppercase(), "i": candidates})
        keys = keys.with_columns(first=pl.col("i").min().over("code"))
        repeats = keys.filter(pl.col("i") != pl.col("first"))
        later = repeats.get_column("i").to_numpy().astype(np.int64)
        first_rows = self.table.rows[repeats.get_column("first").to_numpy()]
        self._add(
            DUPLICATE_CODE, column, DUPLICATE_CODE_MESSAGE, later, text.gather(later), first_rows
        )

    def _school_types(
        self, column: int | None, default: int, found: pl.DataFrame
    ) -> npt.NDArray[np.uint8]:
        n = self.table.frame.height
        if column is None:
            return np.full(n, default, dtype=np.uint8)
        result = np.array(found.get_column("school").to_numpy(), dtype=np.uint8)
        unknown = np.flatnonzero(result == _BAD)
        if unknown.size:
            normal = self._text(column).gather(unknown).str.to_lowercase()
            normal = normal.str.replace_all(r"\s+", " ")
            full = {**_SCHOOL_TYPE_CODES, "": _EMPTY}
            second = normal.replace_strict(full, default=_BAD, return_dtype=pl.UInt8).to_numpy()
            result[unknown] = second
            bad = unknown[second == _BAD]
            self._invalid(column, bad, INVALID_SCHOOL_TYPE, INVALID_SCHOOL_TYPE_MESSAGE)
            result[bad] = NO_SCHOOL_TYPE
        result[result == _EMPTY] = default  # (NO_SCHOOL_TYPE is 255, like _BAD: map it last)
        return result

    def _numbers(
        self,
        column: int | None,
        name: str,
        bounds: tuple[int, int | npt.NDArray[np.int16]],
        found: pl.DataFrame,
    ) -> npt.NDArray[np.int16]:
        """Whole numbers (Excel's '10,0' too) within bounds; empty cells are UNKNOWN."""
        n = self.table.frame.height
        if column is None:
            return np.full(n, UNKNOWN, dtype=np.int16)
        kind, message = (
            (INVALID_AGE, INVALID_AGE_MESSAGE)
            if name == "age"
            else (INVALID_GRADE, INVALID_GRADE_MESSAGE)
        )
        raw = self._raw(column)
        parsed = found.get_column(name)
        values = np.array(parsed.fill_null(UNKNOWN).to_numpy(), dtype=np.int16)
        empty = _mask(raw.is_null())
        # Cells the plain cast did not take: spaces, '10,0', '', or not a number at all.
        other = np.flatnonzero(_mask(parsed.is_null() & raw.is_not_null()))
        if other.size:
            text = self._text(column).gather(other)
            number = text.str.extract(r"^0*(\d{1,3})(?:[.,]0+)?$", 1).cast(pl.Int16)
            values[other] = number.fill_null(UNKNOWN).to_numpy()
            empty[other] = _mask(text == "")
            values[other[_mask(number.is_null() & (text != ""))]] = -999  # out of every range
        low, high = bounds
        valid = empty | ((values >= low) & (values <= high))
        self._invalid(column, np.flatnonzero(~valid), kind, message)
        self._empty[name] = empty
        return np.where(valid & ~empty, values, UNKNOWN).astype(np.int16)

    def _age_or_grade(self, columns: _Columns) -> None:
        where = columns.age if columns.age is not None else columns.grade
        if where is None:
            return  # reported as a missing column already
        empty = np.ones(self.table.frame.height, dtype=np.bool_)
        for name in ("age", "grade"):
            if name in self._empty:
                empty &= self._empty[name]
        rows = np.flatnonzero(empty)
        values = pl.Series([""] * rows.size, dtype=pl.String)
        self._add(MISSING_AGE_AND_GRADE, where, MISSING_AGE_AND_GRADE_MESSAGE, rows, values)

    def _answers(
        self, columns: _Columns, found: pl.DataFrame
    ) -> tuple[npt.NDArray[np.uint8], npt.NDArray[np.uint8]]:
        """Signal and support cells: the bulk query mapped the usual spellings to Enum codes;
        a lookup table turns those into values. Only cells it did not know are trimmed and
        lower-cased, and what still fails is a problem."""
        n = self.table.frame.height
        signal_message = (
            INVALID_SCALE_MESSAGE if self.spec.scale == SCALE_0_3 else INVALID_YES_NO_MESSAGE
        )
        results = []
        for prefix, indexes, answers, kind, message in (
            ("signal", columns.signals, _SCALE, INVALID_SIGNAL, signal_message),
            ("support", columns.support, _YES_NO, INVALID_SUPPORT, INVALID_YES_NO_MESSAGE),
        ):
            result = np.zeros((n, len(indexes)), dtype=np.uint8)
            present = [j for j, i in enumerate(indexes) if i is not None]
            if present and n:
                codes = found.select([f"{prefix}{j}" for j in present]).to_numpy()
                block, any_bad = answers.values(codes)
                for position in np.flatnonzero((block == _BAD).any(axis=0) if any_bad else []):
                    index = indexes[present[position]]
                    assert index is not None
                    unknown = np.flatnonzero(block[:, position] == _BAD)
                    text = self._text(index).gather(unknown).str.to_lowercase()
                    second = text.replace_strict(answers.full, default=_BAD, return_dtype=pl.UInt8)
                    values = second.to_numpy()
                    bad = unknown[values == _BAD]
                    self._invalid(index, bad, kind, message)
                    block[unknown, position] = np.where(values == _BAD, 0, values)
                if len(present) == len(indexes):
                    result = block  # every column is there, in order
                else:
                    result[:, present] = block
            results.append(result)
        return results[0], results[1]

    def _scan_private(self, index: int) -> None:
        """Columns that are refused anyway are still searched for BSNs, dates and formulas,
        so that the school can clean the whole file in one go."""
        text = self._text(index)
        filled = np.flatnonzero(_mask(text != ""))
        self._add_private(index, filled, text.gather(filled))

    # Reporting --------------------------------------------------------------------------------
    def _row_problems(self, room: int) -> list[Problem]:
        """The first `room` cell problems, by row and then column; only their messages are
        written."""
        if room <= 0 or not self.batches:
            return []
        rows = np.concatenate([self.table.rows[b.index] for b in self.batches])
        columns = np.concatenate([np.full(b.index.size, b.column) for b in self.batches])
        batch = np.concatenate([np.full(b.index.size, k) for k, b in enumerate(self.batches)])
        position = np.concatenate([np.arange(b.index.size) for b in self.batches])
        order = np.lexsort((position, batch, columns, rows))[:room]
        problems = []
        for k, p in zip(batch[order].tolist(), position[order].tolist(), strict=True):
            found = self.batches[k]
            row = int(self.table.rows[found.index[p]])
            value = None if found.values is None else found.values[p]
            header = _shorten((self.table.titles[found.column] or "").strip())
            letter = _column_letter(found.column)
            first = None if found.first is None else int(found.first[p])
            values = {"row": row, "column": letter, "header": header, "value": value}
            message = found.template % {**values, "first": first}
            problems.append(
                Problem(found.kind, message, row, letter, header=header or None, value=value)
            )
        return problems


_GRADE_MAX_BY_INDEX = np.array(
    [_GRADE_MAX[t] for t in SCHOOL_TYPES] + [8] * (256 - len(SCHOOL_TYPES)), dtype=np.int16
)


def _school_type_index(name: str) -> int:
    if not name.strip():
        return NO_SCHOOL_TYPE
    code = _SCHOOL_TYPE_NAMES.get(re.sub(r"\s+", " ", name.strip().lower()))
    if code is None:
        raise ValueError(f"Unknown default school type {name!r}.")
    return SCHOOL_TYPES.index(code)


def _hash_codes(codes: list[bytes], key: bytes) -> npt.NDArray[np.uint8]:
    """HMAC-SHA256(key, code) for every code, as an (n, 32) array.

    This is RFC 2104 with the two padded-key states computed once (the precomputation its
    section 4 describes): the same bytes as hmac.digest, at half the cost per code."""
    block = 64
    if len(key) > block:
        key = hashlib.sha256(key).digest()
    key = key.ljust(block, b"\x00")
    inner = hashlib.sha256(bytes(b ^ 0x36 for b in key))
    outer = hashlib.sha256(bytes(b ^ 0x5C for b in key))
    inner_copy, outer_copy = inner.copy, outer.copy
    digests: list[bytes] = []
    append = digests.append
    for code in codes:
        first = inner_copy()
        first.update(code)
        second = outer_copy()
        second.update(first.digest())
        append(second.digest())
    joined = b"".join(digests)
    return np.frombuffer(joined, dtype=np.uint8).reshape(len(codes), 32).copy()
