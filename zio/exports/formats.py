"""The export formats, in one registry: the export page, the ZIP builder and the background
job all look a format up here, so that adding a format is one entry.

Writers are imported when used, not at start-up: WeasyPrint and python-docx are heavy, and a
page that lists the formats should not load them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from importlib import import_module

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .document import Audience, PersonaDocument


@dataclass(frozen=True)
class ExportContext:
    """What every writer needs besides the persona's: for whom, by whom, when."""

    audience: Audience
    organisation: str
    title: str  # e.g. "Persona's van SBO De Regenboog"
    made_at: datetime


@dataclass
class Rendered:
    content: bytes
    # What the user should know about the result, in Dutch, e.g. that a long text continues on
    # an extra card. Shown on the page after a download through the background job.
    notes: list[str] = field(default_factory=list)


Writer = Callable[[Sequence[PersonaDocument], ExportContext], Rendered]


@dataclass(frozen=True)
class ExportFormat:
    key: str
    label: Promise
    help: Promise
    extension: str
    content_type: str
    writer: str  # "module:function" inside zio.exports
    # True: all chosen persona's go into one file. False: one file per persona, and a ZIP when
    # more than one persona is chosen.
    combined: bool
    # PDFs of many persona's take seconds: above this many, the export runs in the background.
    background_from: int | None = None

    def render(self, documents: Sequence[PersonaDocument], context: ExportContext) -> Rendered:
        module, function = self.writer.split(":")
        writer: Writer = getattr(import_module(f"zio.exports.{module}"), function)
        return writer(documents, context)


PDF = "application/pdf"
FORMATS = (
    ExportFormat(
        "waaier",
        _("Waaier (kaarten van 10 × 21 cm)"),
        _("Eén kaart per persona, voor- en achterkant, met snijtekens en een gaatje voor de pin."),
        "pdf",
        PDF,
        "pdf:waaier_cards",
        combined=True,
        background_from=13,
    ),
    ExportFormat(
        "waaier-a4",
        _("Waaier op A4 (twee kaarten per blad)"),
        _("Dezelfde kaarten, twee naast elkaar op A4, om dubbelzijdig te printen en te knippen."),
        "pdf",
        PDF,
        "pdf:waaier_a4",
        combined=True,
        background_from=13,
    ),
    ExportFormat(
        "blad",
        _("Persona-blad (PDF, A4)"),
        _("Alle onderdelen en kostenregels voluit, één PDF per persona."),
        "pdf",
        PDF,
        "pdf:persona_sheets",
        combined=False,
        background_from=13,
    ),
    ExportFormat(
        "pakket",
        _("Sessiepakket (PDF met inhoudsopgave)"),
        _("Alle gekozen persona's in één PDF, met een inhoudsopgave: klaar voor een sessie."),
        "pdf",
        PDF,
        "pdf:session_pack",
        combined=True,
        background_from=13,
    ),
    ExportFormat(
        "docx",
        _("Word (bewerkbaar)"),
        _("Een Word-bestand per persona, met een kop per vraag en tabellen voor de kosten."),
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "word:persona_docx",
        combined=False,
    ),
    ExportFormat(
        "xlsx",
        _("Excel (kosten)"),
        _("Een tabblad per persona met de kostenregels en totalen, en een overzicht per betaler."),
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "spreadsheet:persona_workbook",
        combined=True,
    ),
    ExportFormat(
        "json",
        _("JSON (uitwisselformaat)"),
        _("Om persona's over te zetten naar een andere organisatie of een ander programma."),
        "json",
        "application/json",
        "exchange:persona_json",
        combined=False,
    ),
)
FORMATS_BY_KEY = {f.key: f for f in FORMATS}
