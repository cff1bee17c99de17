"""The Word export: one editable .docx per persona, with a real heading per template question
(so Word's navigation pane lists them) and real tables for the costs.

What the audience sees is decided in `PersonaDocument`; this module only lays it out. Texts
are written as runs, which python-docx escapes, so HTML and formula-like text stay plain text.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from docx import Document as new_document
from docx.document import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm
from docx.table import Table, _Cell

from zio.common.money import format_euro
from zio.costs.selectors import CostOverview, ScenarioView

from .document import PersonaDocument, audience_label
from .formats import ExportContext, Rendered

LANGUAGE = "nl-NL"
# XML 1.0 cannot hold these; python-docx refuses a text that contains one.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
TABLE_STYLE = "Table Grid"  # in python-docx's default template; visible borders in Word
MARGIN_CM = 2.0
TEXT_WIDTH_CM = 21.0 - 2 * MARGIN_CM  # A4


def _text(value: object) -> str:
    return _CONTROL_CHARACTERS.sub("", str(value))


def persona_docx(documents: Sequence[PersonaDocument], context: ExportContext) -> Rendered:
    """One persona as a Word document. The format is not combined: the caller passes one
    document per call and zips the files when there are more."""
    if len(documents) != 1:
        raise ValueError(f"persona_docx writes one persona per file, not {len(documents)}.")
    doc = documents[0]
    word = new_document()
    _set_page(word)
    _set_properties(word, doc, context)
    _write_intro(word, doc, context)
    for section in doc.sections:
        word.add_heading(_text(section.heading), level=1)
        if section.is_empty:
            word.add_paragraph(_("(nog niet ingevuld)"))
        for item in section.items:
            word.add_paragraph(_text(item), style="List Bullet")
    if doc.costs is not None:
        _write_costs(word, doc.costs, calculations=doc.shows_calculations)
    buffer = io.BytesIO()
    word.save(buffer)
    return Rendered(content=buffer.getvalue())


def _made_at_text(made_at: datetime) -> str:
    """The date as "3 mei 2026", in the active language (Dutch)."""
    local = timezone.localtime(made_at) if timezone.is_aware(made_at) else made_at
    return date_format(local, "j F Y")


def _set_properties(word: Document, doc: PersonaDocument, context: ExportContext) -> None:
    properties = word.core_properties
    properties.title = _text(doc.name)
    properties.subject = _text(context.title)
    properties.author = _text(context.organisation)
    properties.last_modified_by = _text(context.organisation)
    properties.category = audience_label(context.audience)
    properties.language = LANGUAGE
    properties.keywords = _("persona")
    properties.comments = ""
    properties.revision = 1
    # The template's own dates are from 2013; core properties are stored in UTC.
    made_at = context.made_at.astimezone(UTC) if timezone.is_aware(context.made_at) else None
    stamp = (made_at or context.made_at).replace(tzinfo=None)
    properties.created = stamp
    properties.modified = stamp
    _set_default_language(word)


def _set_default_language(word: Document) -> None:
    """Mark every text as Dutch, so Word spell-checks in Dutch and screen readers pronounce
    it as Dutch. python-docx has no API for this: it is <w:lang> in the document defaults."""
    styles = word.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        return
    run_defaults = defaults.find(qn("w:rPrDefault"))
    properties = None if run_defaults is None else run_defaults.find(qn("w:rPr"))
    if properties is None:
        return
    lang = properties.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        properties.append(lang)
    for attribute in ("w:val", "w:eastAsia", "w:bidi"):
        lang.set(qn(attribute), LANGUAGE)


def _write_intro(word: Document, doc: PersonaDocument, context: ExportContext) -> None:
    word.add_heading(_text(doc.name), level=0)
    line = word.add_paragraph()
    line.add_run(_("Voor: %(audience)s") % {"audience": audience_label(context.audience)})
    line.add_run(" · " + _text(doc.organisation) + " · " + _made_at_text(context.made_at))
    details = [
        (_("Groepsgrootte"), doc.group_size),
        (_("Leeftijd"), doc.ages),
        (_("Schoolsoort"), ", ".join(doc.school_types) or "–"),
        (_("Status"), doc.status),
    ]
    for label, value in details:
        paragraph = word.add_paragraph()
        paragraph.paragraph_format.space_after = 0
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(_text(value))
    if doc.source:
        word.add_paragraph(_text(doc.source))
    # python-docx cannot embed the SVG illustration; its description keeps the picture in the
    # conversation (and is what a screen reader would say anyway).
    illustration = word.add_paragraph()
    illustration.add_run(
        _("Illustratie: %(description)s") % {"description": _text(doc.avatar_description)}
    ).italic = True


def _write_costs(word: Document, costs: CostOverview, *, calculations: bool) -> None:
    word.add_heading(_("Kosten per jaar"), level=1)
    if not costs.scenarios:
        word.add_paragraph(_("Er zijn nog geen kosten ingevuld."))
        return
    for view in costs.scenarios:
        word.add_heading(_text(view.title), level=2)
        _scenario_table(word, view, calculations=calculations)

    titles = [_text(view.title) for view in costs.scenarios]
    if costs.payer_rows:
        word.add_heading(_("Per betaler"), level=2)
        rows = [(row.label, row.cells) for row in costs.payer_rows]
        rows.append((costs.total_row.label, costs.total_row.cells))
        _amount_table(word, _("Betaler"), titles, rows)

    if costs.compared and costs.difference_rows:
        word.add_heading(_("Verschil met de huidige situatie"), level=2)
        word.add_paragraph(
            _("Per betaler: hoeveel meer (+) of minder (-) dan in de huidige situatie.")
        )
        compared = [_text(view.title) for view in costs.compared]
        rows = [(row.label, [cell.amount for cell in row.cells]) for row in costs.difference_rows]
        total = costs.difference_total
        rows.append((total.label, [cell.amount for cell in total.cells]))
        _amount_table(word, _("Betaler"), compared, rows, signed=True)


def _scenario_table(word: Document, view: ScenarioView, *, calculations: bool) -> None:
    if not view.lines:
        word.add_paragraph(_("Geen kostenregels."))
        return
    headers = [_("Omschrijving"), _("Betaler")]
    if calculations:
        headers += [_("Geldstroom"), _("Berekening")]
    headers.append(_("Bedrag per jaar"))
    widths = [4.2, 3.0, 3.3, 3.8, 2.7] if calculations else [8.5, 5.0, 3.5]
    table = _table(word, headers, amount_columns=1)
    for line_view in view.lines:
        line = line_view.line
        texts = [line.description, line.payer.name]
        if calculations:
            texts += [line.funding_stream.name, line_view.calculation]
        cells = table.add_row().cells
        for cell, value in zip(cells, texts, strict=False):
            cell.text = _text(value)
        _amount(cells[-1], line_view.cost.total)
    total = table.add_row().cells
    _bold(total[0], _("Totaal"))
    _amount(total[-1], view.totals.total, bold=True)
    _set_widths(table, widths)


def _amount_table(
    word: Document,
    first_header: str,
    columns: list[str],
    rows: list[tuple[str, list[Decimal]]],
    *,
    signed: bool = False,
) -> None:
    """A table with a label per row and an amount per column; the last row is the total."""
    table = _table(word, [first_header, *columns], amount_columns=len(columns))
    for index, (label, amounts) in enumerate(rows):
        is_total = index == len(rows) - 1
        cells = table.add_row().cells
        if is_total:
            _bold(cells[0], _text(label))
        else:
            cells[0].text = _text(label)
        for cell, amount in zip(cells[1:], amounts, strict=False):
            _amount(cell, amount, bold=is_total, signed=signed)
    first = 4.5
    _set_widths(table, [first] + [(TEXT_WIDTH_CM - first) / len(columns)] * len(columns))


def _table(word: Document, headers: list[str], *, amount_columns: int) -> Table:
    """A table with a header row; the last `amount_columns` columns hold amounts."""
    table = word.add_table(rows=1, cols=len(headers))
    table.style = word.styles[TABLE_STYLE]
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    header = table.rows[0]
    # Repeat the header row on every page, and tell screen readers it is a header.
    row_properties = header._tr.get_or_add_trPr()
    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    row_properties.append(marker)
    for cell, text in zip(header.cells, headers, strict=True):
        _bold(cell, text)
    for cell in header.cells[len(headers) - amount_columns :]:
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return table


def _set_widths(table: Table, widths_cm: list[float]) -> None:
    """Fixed column widths: Word's equal split breaks words like "Omschrijving" in narrow
    columns. Word reads the width of each cell, so every cell gets one."""
    table.autofit = False
    for column, width in zip(table.columns, widths_cm, strict=True):
        for cell in column.cells:
            cell.width = Cm(width)


def _set_page(word: Document) -> None:
    # python-docx's template is US Letter; Dutch schools print on A4.
    for section in word.sections:
        section.page_width = Cm(21.0)
        section.page_height = Cm(29.7)
        section.left_margin = section.right_margin = Cm(MARGIN_CM)
        section.top_margin = section.bottom_margin = Cm(MARGIN_CM)


def _bold(cell: _Cell, text: str) -> None:
    cell.text = ""
    cell.paragraphs[0].add_run(text).bold = True


def _amount(cell: _Cell, amount: Decimal, *, bold: bool = False, signed: bool = False) -> None:
    text = format_euro(amount)
    if signed and amount > 0:
        text = "+" + text
    cell.text = ""
    paragraph = cell.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    paragraph.add_run(text).bold = bold
