"""The log as CSV or Excel for a beheerder: safe against formula injection."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from zio.common.spreadsheets import safe_cell
from zio.exports.spreadsheet import Column, Value, put_text, write_table

from .labels import detail_label, object_type_label
from .models import AuditEvent

# A workbook is built in memory; the CSV has no limit.
XLSX_MAX_ROWS = 50_000


def _headers() -> list[str]:
    return [
        _("Tijdstip"),
        _("Wie"),
        _("Wat"),
        _("Soort gegevens"),
        _("Id"),
        _("Omschrijving"),
        _("Toelichting"),
        _("Via"),
        _("IP-adres"),
    ]


def _row(event: AuditEvent) -> list[str]:
    return [
        timezone.localtime(event.at).strftime("%Y-%m-%d %H:%M:%S"),
        event.actor_name,
        event.get_action_display(),
        object_type_label(event.object_type),
        event.object_id,
        event.object_label,
        detail_label(event.detail),
        event.get_via_display(),
        event.client_address or "",
    ]


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_rows(events: QuerySet[AuditEvent]) -> Iterator[str]:
    """Lines of a CSV (semicolons, as Dutch Excel expects), one event at a time."""
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")
    yield "\ufeff"  # so Excel reads the file as UTF-8
    yield writer.writerow(_headers())
    for event in events.iterator(chunk_size=2000):
        yield writer.writerow([safe_cell(value) for value in _row(event)])


def workbook(title: str, events: Iterable[AuditEvent]) -> tuple[bytes, bool]:
    """The log as an Excel file; True when it was cut off at XLSX_MAX_ROWS."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Logboek")
    put_text(sheet.cell(row=1, column=1), title)
    rows: list[list[Value]] = []
    cut = False
    for event in events:
        if len(rows) == XLSX_MAX_ROWS:
            cut = True
            break
        rows.append(list(_row(event)))
    widths = [20, 28, 14, 22, 10, 30, 20, 10, 16]
    write_table(sheet, 3, [Column(h, w) for h, w in zip(_headers(), widths, strict=True)], rows)
    if cut:
        put_text(
            sheet.cell(row=2, column=1),
            _("Alleen de nieuwste %(n)s regels; kies een kortere periode of download CSV.")
            % {"n": XLSX_MAX_ROWS},
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue(), cut
