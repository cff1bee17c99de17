"""The region overview as a file: an Excel workbook (exact amounts, texts made safe against
formulas) and a PDF (through the exports app's WeasyPrint renderer). Both show what the page
shows, with the same suppression of small groups."""

from __future__ import annotations

import io

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from zio.exports.pdf import render_html
from zio.exports.spreadsheet import Column, Value, put_text, write_table

from .selectors import AmountRow, RegionOverview


def _amount_rows(rows: list[AmountRow]) -> list[list[Value]]:
    return [[r.name, r.current, r.desired, r.difference] for r in rows]


def region_workbook(overview: RegionOverview) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = _("Persona's")
    amounts = [
        Column(_("Nu"), 16, is_amount=True),
        Column(_("Gewenst"), 16, is_amount=True),
        Column(_("Verschil"), 16, is_amount=True),
    ]
    put_text(sheet.cell(row=1, column=1), overview.region.name)
    put_text(
        sheet.cell(row=2, column=1),
        _('Gemaakt op %(date)s. Groepen kleiner dan %(n)s leerlingen staan als "< %(n)s".')
        % {
            "date": timezone.localtime().strftime("%d-%m-%Y %H:%M"),
            "n": overview.group_total.threshold,
        },
    )
    columns = [
        Column(_("School"), 30),
        Column(_("Persona"), 24),
        Column(_("Status"), 14),
        Column(_("Leerlingen"), 12),
        *amounts,
    ]
    rows: list[list[Value]] = [
        [
            row.school,
            row.name,
            row.status,
            str(row.group_size),
            row.current,
            row.desired,
            row.difference,
        ]
        for row in overview.rows
    ]
    last = write_table(sheet, 4, columns, rows)
    total: list[Value] = [
        _("Totaal"),
        "",
        "",
        str(overview.group_total),
        overview.total_current,
        overview.total_desired,
        overview.total_difference,
    ]
    write_table(sheet, last + 2, columns, [total], main=False)
    for title, data, header in (
        (_("Per betaler"), overview.payers, _("Betaler")),
        (_("Per geldstroom"), overview.streams, _("Geldstroom")),
    ):
        extra = workbook.create_sheet(title)
        write_table(extra, 1, [Column(header, 34), *amounts], _amount_rows(data))
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def region_pdf(overview: RegionOverview) -> bytes:
    html = render_to_string(
        "regions/pdf/overview.html",
        {
            "overview": overview,
            # What exports/pdf/base.html and its footer line expect.
            "context": {
                "title": _("Regio-overzicht: %(name)s") % {"name": overview.region.name},
                "organisation": overview.region.name,
                "made_at": timezone.now(),
            },
            "audience": _("Regio-overzicht"),
        },
    )
    return render_html(html).pdf()
