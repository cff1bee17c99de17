"""The Excel export: all chosen persona's in one workbook, for whoever adds up the costs.

Sheets, in order:
- "Overzicht": for whom, by whom, when, and the list of persona's with their totals;
- "Totaal per betaler": per payer the current, desired and if-nothing-changes totals summed
  over the persona's (what a gemeente controller asks first);
- "Per betaler": the same figures as a long table (persona, scenario, payer, amount), with a
  filter, so that any selection can be summed or pivoted;
- one sheet per persona: its cost lines per scenario, the totals per scenario and payer, and
  the texts of its sections.

For parents there are no amounts and no payers at all: only the overview and the sections.
Amounts are numbers (exact Decimals) with a euro format, written as computed values rather
than formulas, so every program shows them without recalculating. Text from users goes
through `safe_cell`, so that no cell can ever become a formula.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from zio.common.spreadsheets import safe_cell
from zio.costs.constants import ScenarioKind, Unit
from zio.costs.models import Payer
from zio.costs.selectors import ZERO, CostOverview, ScenarioView

from .document import AUDIENCE_HELP, Audience, PersonaDocument, audience_label
from .formats import ExportContext, Rendered

EURO_FORMAT = '"€" #,##0.00;-"€" #,##0.00'
DATE_FORMAT = "d-m-yyyy hh:mm"
SHEET_NAME_LIMIT = 31  # Excel's limit, in UTF-16 code units
# Characters Excel does not allow in a sheet name.
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
# Excel reserves this name for its change history.
_RESERVED_SHEET_NAMES = frozenset({"history"})

_TITLE_FONT = Font(bold=True, size=14)
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDE7F0")
_WRAP = Alignment(wrap_text=True, vertical="top")
_TOP = Alignment(vertical="top")

Value = str | Decimal | int | datetime | None


@dataclass(frozen=True)
class Column:
    header: str
    width: float
    is_amount: bool = False


@dataclass
class _Sheets:
    """Sheet names in use (case-insensitively, as Excel compares them)."""

    taken: set[str] = field(default_factory=lambda: set(_RESERVED_SHEET_NAMES))

    def name(self, wanted: str) -> str:
        base = _SHEET_FORBIDDEN.sub("-", _clean(wanted)).strip().strip("'").strip()
        base = base or _("Persona")
        candidate = _shorten(base, SHEET_NAME_LIMIT)
        number = 2
        while candidate.casefold() in self.taken:
            suffix = f" ({number})"
            candidate = _shorten(base, SHEET_NAME_LIMIT - len(suffix)).rstrip() + suffix
            number += 1
        self.taken.add(candidate.casefold())
        return candidate


def persona_workbook(documents: Sequence[PersonaDocument], context: ExportContext) -> Rendered:
    """All `documents` in one workbook (see the module's docstring for its sheets)."""
    workbook = Workbook()
    _set_properties(workbook, context)
    sheets = _Sheets()
    notes: list[str] = []
    # A workbook has one audience; for parents it holds no amounts and no payers at all.
    with_costs = context.audience != Audience.PARENTS

    overview = workbook.active
    assert overview is not None  # a new workbook has one sheet
    overview.title = sheets.name(_("Overzicht"))
    totals_sheet = per_payer_sheet = None
    if with_costs:
        totals_sheet = workbook.create_sheet(sheets.name(_("Totaal per betaler")))
        per_payer_sheet = workbook.create_sheet(sheets.name(_("Per betaler")))

    persona_sheets: list[str] = []
    renamed: list[str] = []
    for doc in documents:
        title = sheets.name(doc.name)
        persona_sheets.append(title)
        if title != _clean(doc.name).strip():
            renamed.append(_("‘%(name)s’ heet ‘%(sheet)s’") % {"name": doc.name, "sheet": title})
        _persona_sheet(workbook.create_sheet(title), doc, with_costs=with_costs)
    if renamed:
        notes.append(
            _(
                "Niet elk tabblad heeft de naam van zijn persona: Excel staat hoogstens 31 tekens "
                "toe, zonder [ ] : * ? / \\, en elke naam maar één keer. %(renamed)s."
            )
            % {"renamed": "; ".join(renamed)}
        )

    _overview_sheet(overview, documents, persona_sheets, context, with_costs=with_costs)
    if totals_sheet is not None and per_payer_sheet is not None:
        _totals_per_payer_sheet(totals_sheet, documents)
        _per_payer_sheet(per_payer_sheet, documents)

    buffer = io.BytesIO()
    workbook.save(buffer)
    return Rendered(content=buffer.getvalue(), notes=notes)


# --- the sheets ---------------------------------------------------------------------------


def _overview_sheet(
    sheet: Worksheet,
    documents: Sequence[PersonaDocument],
    sheet_names: list[str],
    context: ExportContext,
    *,
    with_costs: bool,
) -> None:
    put_text(sheet.cell(row=1, column=1), context.title).font = _TITLE_FONT
    local = timezone.localtime(context.made_at) if timezone.is_aware(context.made_at) else None
    # Excel has no time zones; to the minute is precise enough for "made on".
    made_at = (local or context.made_at).replace(tzinfo=None, second=0, microsecond=0)
    about: list[tuple[str, Value]] = [
        (_("Voor"), audience_label(context.audience)),
        (_("Organisatie"), context.organisation),
        (_("Gemaakt op"), made_at),
    ]
    if with_costs:
        about.append(
            (
                _("Bedragen"),
                _("In euro per jaar. Verschil: gewenste situatie min huidige situatie."),
            )
        )
    else:
        about.append(
            (_("Bedragen"), _("Deze export is voor ouders: zonder kosten en zonder betalers."))
        )
    about.append((_("Toelichting"), str(AUDIENCE_HELP[context.audience])))
    for number, (label, value) in enumerate(about, start=2):
        put_text(sheet.cell(row=number, column=1), label).font = _HEADER_FONT
        cell = _value(sheet.cell(row=number, column=2), value)
        if isinstance(value, datetime):
            cell.number_format = DATE_FORMAT
            cell.alignment = Alignment(horizontal="left")

    columns = [
        Column(_("Persona"), 24),
        Column(_("Tabblad"), 24),
        Column(_("Groepsgrootte"), 22),
        Column(_("Leeftijd"), 18),
        Column(_("Schoolsoort"), 30),
        Column(_("Status"), 14),
    ]
    if with_costs:
        columns += [
            Column(str(ScenarioKind.CURRENT.label), 18, is_amount=True),
            Column(_("Gewenste situatie (eerste)"), 18, is_amount=True),
            Column(_("Verschil"), 16, is_amount=True),
            Column(str(ScenarioKind.IF_UNMET.label), 18, is_amount=True),
        ]
    header_row = len(about) + 3
    rows: list[list[Value]] = []
    for doc, sheet_name in zip(documents, sheet_names, strict=True):
        row: list[Value] = [
            doc.name,
            sheet_name,
            doc.group_size,
            doc.ages,
            ", ".join(doc.school_types),
            doc.status,
        ]
        if with_costs:
            current, desired, unmet = _key_totals(doc.costs)
            difference = desired - current if current is not None and desired is not None else None
            row += [current, desired, difference, unmet]
        rows.append(row)
    write_table(sheet, header_row, columns, rows)
    if not documents:
        put_text(sheet.cell(row=header_row + 1, column=1), _("Geen persona's gekozen."))


def _totals_per_payer_sheet(sheet: Worksheet, documents: Sequence[PersonaDocument]) -> None:
    """Per payer, summed over the persona's: current, first desired, difference, and if
    nothing changes. Only the first desired scenario counts, or alternatives would add up."""
    payers: dict[str, Payer] = {}
    sums: dict[str, list[Decimal]] = {}
    for doc in documents:
        if doc.costs is None:
            continue
        for amount in doc.costs.payers:
            payers.setdefault(amount.payer.code, amount.payer)
        picked = _key_scenarios(doc.costs)
        for code in {a.payer.code for a in doc.costs.payers}:
            figures = sums.setdefault(code, [ZERO, ZERO, ZERO])
            for index, view in enumerate(picked):
                if view is not None:
                    figures[index] += view.totals.per_payer.get(code, ZERO)
    order = sorted(payers.values(), key=lambda p: (p.position, p.name))
    columns = [
        Column(_("Betaler"), 30),
        Column(str(ScenarioKind.CURRENT.label), 20, is_amount=True),
        Column(_("Gewenste situatie (eerste)"), 20, is_amount=True),
        Column(_("Verschil"), 18, is_amount=True),
        Column(str(ScenarioKind.IF_UNMET.label), 22, is_amount=True),
    ]
    rows: list[list[Value]] = []
    totals = [ZERO, ZERO, ZERO]
    for payer in order:
        current, desired, unmet = sums[payer.code]
        rows.append([payer.name, current, desired, desired - current, unmet])
        totals = [a + b for a, b in zip(totals, sums[payer.code], strict=True)]
    current, desired, unmet = totals
    rows.append([_("Totaal"), current, desired, desired - current, unmet])
    last = write_table(sheet, 1, columns, rows, filter_rows=False)
    for cell in sheet[last]:
        cell.font = _HEADER_FONT
    counted = sum(1 for doc in documents if doc.costs is not None)
    put_text(
        sheet.cell(row=last + 2, column=1),
        ngettext(
            "Opgeteld over %(count)s persona, in euro per jaar. Per persona telt de eerste "
            "gewenste situatie mee; alle scenario's staan op het tabblad Per betaler.",
            "Opgeteld over %(count)s persona's, in euro per jaar. Per persona telt de eerste "
            "gewenste situatie mee; alle scenario's staan op het tabblad Per betaler.",
            counted,
        )
        % {"count": counted},
    )


def _per_payer_sheet(sheet: Worksheet, documents: Sequence[PersonaDocument]) -> None:
    """One row per persona × scenario × payer: the tidy table to filter, sum and pivot."""
    columns = [
        Column(_("Persona"), 24),
        Column(_("Scenario"), 34),
        Column(_("Soort scenario"), 22),
        Column(_("Betaler"), 28),
        Column(_("Bedrag per jaar"), 18, is_amount=True),
        Column(_("Verschil met huidige situatie"), 20, is_amount=True),
    ]
    rows: list[list[Value]] = []
    for doc in documents:
        costs = doc.costs
        if costs is None:
            continue
        # payer_rows and difference_rows have one row per payer, in the same order.
        differences = {
            (number, view.scenario.pk): cell.amount
            for number, difference_row in enumerate(costs.difference_rows)
            for view, cell in zip(costs.compared, difference_row.cells, strict=True)
        }
        # Ordered as the persona's sheet reads: scenario by scenario, payers within each.
        for column, view in enumerate(costs.scenarios):
            for number, payer_row in enumerate(costs.payer_rows):
                amount = payer_row.cells[column]
                difference = differences.get((number, view.scenario.pk))
                rows.append(
                    [
                        doc.name,
                        view.title,
                        str(ScenarioKind(view.scenario.kind).label),
                        payer_row.label,
                        amount,
                        difference,
                    ]
                )
    write_table(sheet, 1, columns, rows)


def _persona_sheet(sheet: Worksheet, doc: PersonaDocument, *, with_costs: bool) -> None:
    put_text(sheet.cell(row=1, column=1), doc.name).font = _TITLE_FONT
    details = " · ".join(
        part for part in (doc.group_size, doc.ages, ", ".join(doc.school_types), doc.status) if part
    )
    put_text(sheet.cell(row=2, column=1), details)
    if doc.source:
        put_text(sheet.cell(row=3, column=1), doc.source)
    row = 4
    costs = doc.costs if with_costs else None
    if costs is not None:
        row = _cost_lines(sheet, row, costs, calculations=doc.shows_calculations) + 2
        row = _scenario_totals(sheet, row, costs, per_pupil=doc.shows_per_pupil) + 2
    _sections(sheet, row, doc, main=costs is None)


def _cost_lines(sheet: Worksheet, row: int, costs: CostOverview, *, calculations: bool) -> int:
    """The cost lines of every scenario, one row each; returns the last row used. How a line
    is counted and from which stream is for the own team only (see PersonaDocument)."""
    columns = [Column(_("Scenario"), 34), Column(_("Omschrijving"), 40)]
    if calculations:
        columns.append(Column(_("Geldstroom"), 30))
    columns.append(Column(_("Betaler"), 24))
    if calculations:
        columns += [
            Column(_("Eenheid"), 30),
            Column(_("Bedrag per eenheid"), 18, is_amount=True),
            Column(_("Aantal (jaren of dagen)"), 12),
            Column(_("Uren per week"), 10),
            Column(_("Weken"), 9),
            Column(_("Leerlingen"), 12),
        ]
    columns.append(Column(_("Bedrag per jaar"), 18, is_amount=True))
    if calculations:
        columns.append(Column(_("Berekening"), 50))
    rows: list[list[Value]] = []
    for view in costs.scenarios:
        for line_view in view.lines:
            line = line_view.line
            values: list[Value] = [view.title, line.description]
            if calculations:
                values.append(line.funding_stream.name)
            values.append(line.payer.name)
            if calculations:
                hourly = Unit(line.unit).hourly
                values += [
                    str(Unit(line.unit).label),
                    line.rate,
                    None if hourly else line.quantity,
                    line.hours_per_week if hourly else None,
                    line.weeks if hourly else None,
                    # The group's size is never shown in figures (small groups).
                    _("hele groep") if line.pupils is None else line.pupils,
                ]
            values.append(line_view.cost.total)
            if calculations:
                values.append(line_view.calculation)
            rows.append(values)
    if not rows:
        rows.append([_("Geen kostenregels."), *([None] * (len(columns) - 1))])
    return write_table(sheet, row, columns, rows)


def _scenario_totals(sheet: Worksheet, row: int, costs: CostOverview, *, per_pupil: bool) -> int:
    """Per scenario its total, per payer and compared with the current situation."""
    columns = [
        Column(_("Totalen per scenario"), 34),
        Column(_("Totaal per jaar"), 18, is_amount=True),
    ]
    if per_pupil:
        columns.append(Column(_("Per leerling"), 16, is_amount=True))
    columns += [Column(row.label, 18, is_amount=True) for row in costs.payer_rows]
    columns.append(Column(_("Verschil met huidige situatie"), 20, is_amount=True))
    compared = {
        view.scenario.pk: cell
        for view, cell in zip(costs.compared, costs.difference_total.cells, strict=False)
    }
    rows: list[list[Value]] = []
    for index, view in enumerate(costs.scenarios):
        values: list[Value] = [view.title, view.totals.total]
        if per_pupil:
            values.append(view.totals.per_pupil)
        values += [payer_row.cells[index] for payer_row in costs.payer_rows]
        difference = compared.get(view.scenario.pk)
        values.append(None if difference is None else difference.amount)
        rows.append(values)
    # Widths, the frozen header and the filter belong to the cost lines above.
    return write_table(sheet, row, columns, rows, main=False)


def _sections(sheet: Worksheet, row: int, doc: PersonaDocument, *, main: bool) -> int:
    """The texts, one row per line. `main`: the sheet's first table (no costs before it)."""
    columns = [Column(_("Onderdeel"), 34), Column(_("Tekst"), 60)]
    rows: list[list[Value]] = []
    for section in doc.sections:
        texts = section.items or [_("(nog niet ingevuld)")]
        rows += [[section.heading, text] for text in texts]
    last = write_table(sheet, row, columns, rows, main=main)
    for cells in sheet.iter_rows(min_row=row + 1, max_row=last, max_col=2):
        for cell in cells:
            cell.alignment = _WRAP
    if not main:
        # The cost columns set the widths; the texts need a wide second column.
        sheet.column_dimensions["B"].width = max(sheet.column_dimensions["B"].width or 0, 60)
    return last


# --- helpers ------------------------------------------------------------------------------


def write_table(
    sheet: Worksheet,
    header_row: int,
    columns: list[Column],
    rows: list[list[Value]],
    *,
    main: bool = True,
    filter_rows: bool = True,
) -> int:
    """A header (bold, shaded) and rows; amounts get the euro format. The sheet's main table
    sets the column widths, keeps its header in view and gets the filter (Excel allows one
    per sheet). Returns the last row used."""
    for index, column in enumerate(columns, start=1):
        cell = put_text(sheet.cell(row=header_row, column=index), column.header)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(
            wrap_text=True, vertical="top", horizontal="right" if column.is_amount else None
        )
        if main:
            sheet.column_dimensions[get_column_letter(index)].width = column.width
    for offset, values in enumerate(rows, start=1):
        for index, (column, value) in enumerate(zip(columns, values, strict=True), start=1):
            cell = _value(sheet.cell(row=header_row + offset, column=index), value)
            cell.alignment = _TOP
            if column.is_amount:
                cell.number_format = EURO_FORMAT
    last_row = header_row + len(rows)
    if main:
        sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1).coordinate
    if main and filter_rows and rows:
        sheet.auto_filter.ref = f"A{header_row}:{get_column_letter(len(columns))}{last_row}"
    return last_row


def put_text(cell: Cell, text: object) -> Cell:
    """Text as text: a formula-like start gets the apostrophe of `safe_cell`, so it can never
    run, not even after a copy to CSV."""
    cell.value = safe_cell(_clean(text))
    cell.data_type = "s"
    return cell


def _value(cell: Cell, value: Value) -> Cell:
    if isinstance(value, str):
        return put_text(cell, value)
    cell.value = value
    return cell


def _clean(text: object) -> str:
    # Control characters cannot be stored in a workbook (openpyxl refuses them).
    return str(ILLEGAL_CHARACTERS_RE.sub("", str(text)))


def _shorten(text: str, limit: int) -> str:
    """At most `limit` UTF-16 code units (how Excel counts), without splitting an emoji."""
    result = ""
    for character in text:
        if len((result + character).encode("utf-16-le")) // 2 > limit:
            break
        result += character
    return result


def _key_scenarios(
    costs: CostOverview,
) -> tuple[ScenarioView | None, ScenarioView | None, ScenarioView | None]:
    unmet = next((v for v in costs.scenarios if v.scenario.kind == ScenarioKind.IF_UNMET), None)
    return costs.current, costs.first_desired, unmet


def _key_totals(
    costs: CostOverview | None,
) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
    if costs is None:
        return None, None, None
    current, desired, unmet = (
        None if view is None else view.totals.total for view in _key_scenarios(costs)
    )
    return current, desired, unmet


def _set_properties(workbook: Workbook, context: ExportContext) -> None:
    properties = workbook.properties
    properties.title = _clean(context.title)
    properties.creator = _clean(context.organisation)
    properties.lastModifiedBy = _clean(context.organisation)
    properties.language = "nl-NL"
    properties.category = audience_label(context.audience)
    made_at = context.made_at
    if timezone.is_aware(made_at):
        made_at = made_at.astimezone(UTC).replace(tzinfo=None)
    properties.created = made_at
    properties.modified = made_at
