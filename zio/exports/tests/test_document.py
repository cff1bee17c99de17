"""What each audience sees of a persona: decided once, for every format."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from zio.exports.document import Audience, persona_document
from zio.exports.exchange import persona_import, persona_json
from zio.exports.formats import ExportContext
from zio.exports.spreadsheet import persona_workbook
from zio.exports.tests.factories import filled_persona
from zio.organisations.models import Membership, Organisation
from zio.personas.constants import Section

pytestmark = pytest.mark.django_db


def _context(audience: Audience) -> ExportContext:
    return ExportContext(
        audience=audience,
        organisation="SBO Het Anker",
        title="Test",
        made_at=datetime(2026, 11, 23, 10, 0, tzinfo=UTC),
    )


def test_parents_get_warm_headings_and_no_costs(organisation: Organisation) -> None:
    doc = persona_document(filled_persona(organisation), Audience.PARENTS)
    assert doc.costs is None
    assert not doc.shows_calculations and not doc.shows_per_pupil
    keys = [s.key for s in doc.sections]
    assert Section.COSTS_CURRENT.value not in keys and Section.COSTS_DESIRED.value not in keys
    assert doc.section(Section.PROBLEMS).heading == "Waar Esra tegenaan loopt"  # type: ignore[union-attr]


def test_partners_get_costs_but_no_calculations_or_amounts_per_pupil(
    organisation: Organisation,
) -> None:
    doc = persona_document(filled_persona(organisation), Audience.PARTNERS)
    assert doc.costs is not None
    assert not doc.shows_calculations and not doc.shows_per_pupil
    assert doc.section(Section.PROBLEMS).heading == "Welke problemen heeft Esra?"  # type: ignore[union-attr]
    internal = persona_document(doc.persona, Audience.INTERNAL)
    assert internal.shows_calculations and internal.shows_per_pupil


def test_a_small_group_size_never_leaves_in_a_file_for_others(
    organisation: Organisation, other_organisation: Organisation, make_member
) -> None:
    persona = filled_persona(organisation, group_size=4)
    doc = persona_document(persona, Audience.PARTNERS)
    assert doc.group_size == "minder dan 10 leerlingen"
    data = json.loads(persona_json([doc], _context(Audience.PARTNERS)).content)
    assert data["persona"]["group_size"] is None
    internal = persona_document(persona, Audience.INTERNAL)
    assert (
        json.loads(persona_json([internal], _context(Audience.INTERNAL)).content)["persona"][
            "group_size"
        ]
        == 4
    )
    # The importer takes an unknown size as the threshold, the smallest size that may be shown.
    copy = persona_import(
        organisation=other_organisation,
        user=make_member(other_organisation).user,
        raw=persona_json([doc], _context(Audience.PARTNERS)).content,
    )
    assert copy.group_size == 10


def test_excel_for_partners_has_no_amounts_per_pupil(
    organisation: Organisation, opsteller: Membership
) -> None:
    import io

    from openpyxl import load_workbook

    persona = filled_persona(organisation, group_size=4)
    for audience, expected in ((Audience.PARTNERS, False), (Audience.INTERNAL, True)):
        doc = persona_document(persona, audience)
        content = persona_workbook([doc], _context(audience)).content
        book = load_workbook(io.BytesIO(content))
        texts = {
            str(cell.value)
            for sheet in book.worksheets
            for row in sheet.iter_rows()
            for cell in row
            if cell.value is not None
        }
        assert ("Per leerling" in texts) is expected


def test_pdf_sheet_for_partners_has_no_amounts_per_pupil(
    organisation: Organisation, tmp_path
) -> None:
    import subprocess

    from zio.exports.pdf import persona_sheets

    persona = filled_persona(organisation, group_size=4)
    for audience, expected in ((Audience.PARTNERS, False), (Audience.INTERNAL, True)):
        doc = persona_document(persona, audience)
        path = tmp_path / f"{audience}.pdf"
        path.write_bytes(persona_sheets([doc], _context(audience)).content)
        text = subprocess.run(
            ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert ("Per leerling" in text) is expected
        assert "minder dan 10 leerlingen" in text
