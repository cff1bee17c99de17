"""The screening template a school fills in: an Excel workbook or a CSV header, built from the
organisation's ScreeningSpec. Pure: no ORM.

Signal names and the organisation's name come from users, so every text written into a cell
is neutralised against formula injection: a cell that starts like a formula is stored as
text (with Excel's quote prefix) in the workbook and gets a leading apostrophe in the CSV.
"""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from zio.common.spreadsheets import FORMULA_STARTS, safe_cell

from .spec import (
    AGE_HEADER,
    CODE_HEADER,
    GRADE_HEADER,
    SCALE_0_3,
    SCHOOL_TYPE_HEADER,
    SCHOOL_TYPES,
    SUPPORT_PREFIX,
    Limits,
    ScreeningSpec,
)

DATA_SHEET = "Gegevens"
HELP_SHEET = "Uitleg"
SIGNALS_SHEET = "Signalen"

_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDE7F0")
_WRAP = Alignment(wrap_text=True, vertical="top")


def _clean(text: str) -> str:
    # Control characters cannot be stored in a workbook (openpyxl refuses them).
    return str(ILLEGAL_CHARACTERS_RE.sub("", str(text)))


def _put(cell: Cell, text: str) -> None:
    """Write user text as text: never a formula, also not after the cell is edited."""
    value = _clean(text)
    cell.value = value
    if value.startswith(FORMULA_STARTS):
        cell.data_type = "s"  # openpyxl took a leading "=" for a formula
        cell.quotePrefix = True  # Excel keeps it text when someone edits the cell


def _dutch_count(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def _megabytes(size: int) -> str:
    amount = size / (1024 * 1024)
    return f"{amount:.0f} MB" if amount == int(amount) else f"{amount:.1f} MB".replace(".", ",")


def template_csv(spec: ScreeningSpec) -> bytes:
    """The header row only, UTF-8 with BOM and ';' between the columns, as Dutch Excel
    expects when it opens a CSV file."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([safe_cell(_clean(header)) for header in spec.headers])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def template_xlsx(
    spec: ScreeningSpec,
    organisation_name: str,
    limits: Limits = Limits(),  # noqa: B008 - frozen dataclass, safe as a default
) -> bytes:
    """A workbook with the data sheet (titles, drop-downs), instructions and the signals."""
    workbook = Workbook()
    data = workbook.active
    assert isinstance(data, Worksheet)
    data.title = DATA_SHEET
    _data_sheet(data, spec, limits)
    _help_sheet(workbook.create_sheet(HELP_SHEET), spec, organisation_name, limits)
    _signals_sheet(workbook.create_sheet(SIGNALS_SHEET), spec)
    workbook.active = 0
    workbook.properties.creator = "ZiO Persona's"
    workbook.properties.title = _("Screening")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _data_sheet(sheet: Worksheet, spec: ScreeningSpec, limits: Limits) -> None:
    headers = spec.headers
    for index, header in enumerate(headers, start=1):
        cell = sheet.cell(row=1, column=index)
        _put(cell, header)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = _WRAP
        width = {CODE_HEADER: 16, AGE_HEADER: 10, GRADE_HEADER: 12, SCHOOL_TYPE_HEADER: 13}.get(
            header, min(max(len(header) * 0.9 + 2, 12), 30)
        )
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.row_dimensions[1].height = 48
    sheet.freeze_panes = "B2"  # the titles and the pupil code stay in view
    # Codes as text, so that Excel keeps leading zeros and does not turn them into numbers.
    sheet.column_dimensions["A"].number_format = "@"

    last = limits.max_rows + 1

    def column(index: int) -> str:
        return str(get_column_letter(index + 1))

    def add(validation: DataValidation, first: int, count: int = 1) -> None:
        if count <= 0:
            return
        validation.add(f"{column(first)}2:{column(first + count - 1)}{last}")
        sheet.add_data_validation(validation)

    yes_no = '"ja,nee"'
    signal_values = '"0,1,2,3"' if spec.scale == SCALE_0_3 else yes_no
    signal_help = (
        _("Kies 0 (niet) tot en met 3 (sterk), of laat de cel leeg.")
        if spec.scale == SCALE_0_3
        else _("Kies ja of nee, of laat de cel leeg (= nee).")
    )
    code = DataValidation(
        type="textLength",
        operator="between",
        formula1="1",
        formula2="40",
        allow_blank=True,
        showErrorMessage=True,
        showInputMessage=True,
        promptTitle=_("Leerlingcode"),
        prompt=_("Een verzonnen code, nooit een naam, BSN of geboortedatum."),
        errorTitle=_("Leerlingcode"),
        error=_("Een leerlingcode heeft 1 tot en met 40 tekens."),
    )
    age = DataValidation(
        type="whole",
        operator="between",
        formula1="3",
        formula2="21",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=_("Leeftijd"),
        error=_("Vul een heel getal van 3 tot en met 21 in."),
    )
    grade = DataValidation(
        type="whole",
        operator="between",
        formula1="1",
        formula2="8",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=_("Groep of leerjaar"),
        error=_("Vul groep 1 tot en met 8 of leerjaar 1 tot en met 6 in."),
    )
    school_type = DataValidation(
        type="list",
        formula1='"' + ",".join(SCHOOL_TYPES) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=_("Schoolsoort"),
        error=_("Kies PO, SBO, SO, VSO of VO, of laat de cel leeg."),
    )
    signals = DataValidation(
        type="list",
        formula1=signal_values,
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=_("Signaal"),
        error=signal_help,
    )
    support = DataValidation(
        type="list",
        formula1=yes_no,
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=_("Ondersteuning"),
        error=_("Kies ja of nee, of laat de cel leeg (= nee)."),
    )
    position = {header: index for index, header in enumerate(headers)}
    add(code, position[CODE_HEADER])
    add(age, position[AGE_HEADER])
    add(grade, position[GRADE_HEADER])
    add(school_type, position[SCHOOL_TYPE_HEADER])
    first_signal = position[SCHOOL_TYPE_HEADER] + 1
    add(signals, first_signal, len(spec.signals))
    add(support, first_signal + len(spec.signals), len(spec.support))


def _help_sheet(
    sheet: Worksheet, spec: ScreeningSpec, organisation_name: str, limits: Limits
) -> None:
    if spec.scale == SCALE_0_3:
        signal_values = _(
            "Signalen: 0 (speelt niet) tot en met 3 (speelt sterk). Leeg telt als 0; ja, j en "
            "x tellen als 1."
        )
    else:
        signal_values = _(
            "Signalen: ja (of j, x, 1) als het signaal bij de leerling speelt; nee (of n, 0) "
            "of een lege cel als het niet speelt."
        )
    default_type = spec.default_school_type or _("onbekend")
    lines: list[tuple[str, bool]] = [
        (_("Screening: zo vul je dit bestand in"), True),
        (_("Voor: %(organisation)s") % {"organisation": organisation_name}, False),
        ("", False),
        (_("Waar is de screening voor?"), True),
        (
            _(
                "Met de screening breng je de leerlingen van je school als groep in beeld: "
                "welke signalen spelen er en welke ondersteuning krijgen ze nu. ZiO Persona's "
                "rekent alleen met aantallen, om groepen leerlingen met vergelijkbare "
                "behoeften te vinden en daar persona's van te maken. Losse leerlingen worden "
                "nooit getoond, en kleine aantallen worden afgeschermd."
            ),
            False,
        ),
        ("", False),
        (_("Eén rij per leerling"), True),
        (
            _(
                "Vul op het werkblad '%(sheet)s' voor elke leerling één rij in. Laat de eerste "
                "rij met de kolomtitels staan zoals hij is: verander, verwijder of voeg geen "
                "kolommen toe. Het werkblad '%(signals)s' legt uit welke signalen er zijn."
            )
            % {"sheet": DATA_SHEET, "signals": SIGNALS_SHEET},
            False,
        ),
        ("", False),
        (_("Privacy: alleen een verzonnen code"), True),
        (
            _(
                "Geef elke leerling een zelfbedachte code, bijvoorbeeld L001, L002, enzovoort: "
                "hoogstens 40 letters, cijfers, punten of streepjes, zonder spaties. Gebruik "
                "nooit een naam, burgerservicenummer (BSN), geboortedatum, adres of "
                "leerlingnummer uit de administratie. Wie welke code heeft, houd je alleen op "
                "school bij, als je dat nodig hebt. ZiO Persona's bewaart de code zelf niet, "
                "alleen een vervormde versie waaruit de code niet terug te halen is. Bestanden "
                "met namen, BSN's, geboortedata of adressen worden geweigerd."
            ),
            False,
        ),
        ("", False),
        (_("Welke waarden mogen er in de cellen?"), True),
        (
            _(
                "Leeftijd: een heel getal van 3 tot en met 21. Groep of leerjaar: groep 1 tot "
                "en met 8 (PO, SBO, SO) of leerjaar 1 tot en met 6 (VO, VSO). Vul de leeftijd, "
                "de groep of het leerjaar in, of allebei."
            ),
            False,
        ),
        (
            _("Schoolsoort: PO, SBO, SO, VSO of VO. Laat je de cel leeg, dan geldt: %(default)s.")
            % {"default": default_type},
            False,
        ),
        (signal_values, False),
        (
            _(
                "Ondersteuning (de kolommen die beginnen met '%(prefix)s'): ja als de leerling "
                "die ondersteuning nu krijgt, anders nee of leeg."
            )
            % {"prefix": SUPPORT_PREFIX.strip()},
            False,
        ),
        (_("Gebruik geen formules: alleen waarden."), False),
        ("", False),
        (_("Opslaan en uploaden"), True),
        (
            _(
                "Bewaar het bestand als Excel-werkmap (.xlsx), niet als werkmap met macro's "
                "(.xlsm) of in het oude formaat (.xls). Een CSV-bestand mag ook, met ; of , "
                "tussen de kolommen. Een bestand is hoogstens %(size)s groot en heeft hoogstens "
                "%(rows)s leerlingen."
            )
            % {"size": _megabytes(limits.max_bytes), "rows": _dutch_count(limits.max_rows)},
            False,
        ),
        (
            _(
                "Klopt er iets niet, dan wordt er niets opgeslagen. Je krijgt dan een lijst met "
                "per probleem de rij, de kolom en wat er anders moet. Pas het bestand aan en "
                "upload het opnieuw."
            ),
            False,
        ),
    ]
    sheet.column_dimensions["A"].width = 100
    for row, (text, heading) in enumerate(lines, start=1):
        cell = sheet.cell(row=row, column=1)
        _put(cell, text)
        cell.alignment = _WRAP
        if heading:
            cell.font = _HEADER_FONT


def _signals_sheet(sheet: Worksheet, spec: ScreeningSpec) -> None:
    position = {header: index for index, header in enumerate(spec.headers)}
    signal_values = _("0, 1, 2 of 3") if spec.scale == SCALE_0_3 else _("ja of nee")
    rows = [(_("Kolom"), _("Signaal"), _("Domein"), _("Waarden"))]
    for signal in spec.signals:
        letter = get_column_letter(position[signal.name] + 1)
        rows.append((letter, signal.name, signal.domain, signal_values))
    for support in spec.support:
        letter = get_column_letter(position[SUPPORT_PREFIX + support] + 1)
        rows.append((letter, SUPPORT_PREFIX + support, _("Huidige ondersteuning"), _("ja of nee")))
    for row, values in enumerate(rows, start=1):
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=row, column=column)
            _put(cell, value)
            cell.alignment = _WRAP
            if row == 1:
                cell.font = _HEADER_FONT
                cell.fill = _HEADER_FILL
    for letter, width in zip("ABCD", (8, 45, 35, 14), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
