"""The Word export, read back with python-docx (and converted by LibreOffice when present)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import docx
import pytest
from docx.document import Document
from docx.table import Table

from zio.costs.constants import ScenarioKind, Unit
from zio.costs.tests.factories import ScenarioFactory
from zio.exports.document import Audience, PersonaDocument, audience_label, persona_document
from zio.exports.formats import FORMATS_BY_KEY, ExportContext
from zio.exports.word import persona_docx
from zio.organisations.models import Organisation
from zio.personas.constants import Section
from zio.personas.models import Persona
from zio.personas.tests.factories import PersonaFactory

from .factories import HOSTILE_TEXTS, TOTALS, filled_persona, line
from .libreoffice import convert_to_pdf, pdf_text

pytestmark = pytest.mark.django_db

MADE_AT = datetime(2026, 5, 3, 10, 30, tzinfo=UTC)
NBSP = "\u00a0"
PAYER_NAMES = ("Samenwerkingsverband", "Gemeente", "School / bevoegd gezag")
# A desired scenario B whose name and line are hostile; it leaves TOTALS as they are.
HOSTILE_SCENARIO = "=cmd|' /C calc'!A0"
HOSTILE_LINE = "+SUM(1,2) <script>x</script>"


def euro(text: str) -> str:
    return f"€{NBSP}{text}"


@pytest.fixture
def persona(organisation: Organisation) -> Persona:
    persona = filled_persona(organisation, extra_texts=HOSTILE_TEXTS)
    scenario = ScenarioFactory.create(
        persona=persona, kind=ScenarioKind.DESIRED, label="B", name=HOSTILE_SCENARIO, position=3
    )
    line(scenario, HOSTILE_LINE, "eigen-middelen", unit=Unit.GROUP_YEAR, rate=Decimal("100"))
    return persona


def context(audience: Audience) -> ExportContext:
    return ExportContext(
        audience=audience,
        organisation="SBO Het Anker",
        title="Persona's van SBO Het Anker",
        made_at=MADE_AT,
    )


def export(persona: Persona, audience: Audience, tmp_path: Path) -> tuple[PersonaDocument, Path]:
    document = persona_document(persona, audience)
    rendered = persona_docx([document], context(audience))
    path = tmp_path / f"{audience.value}.docx"
    path.write_bytes(rendered.content)
    return document, path


def read(path: Path) -> Document:
    return docx.Document(str(path))


def all_text(word: Document) -> str:
    parts = [p.text for p in word.paragraphs]
    for table in word.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def table_rows(table: Table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def test_title_properties_and_intro(persona: Persona, tmp_path: Path) -> None:
    _, path = export(persona, Audience.PARTNERS, tmp_path)
    word = read(path)
    assert word.core_properties.title == "Esra"
    assert word.core_properties.language == "nl-NL"
    assert word.paragraphs[0].style is not None and word.paragraphs[0].style.name == "Title"
    assert word.paragraphs[0].text == "Esra"
    intro = word.paragraphs[1].text
    assert audience_label(Audience.PARTNERS) in intro
    assert "SBO Het Anker" in intro
    assert "3 mei 2026" in intro
    text = all_text(word)
    for expected in ("12 leerlingen", "8 tot en met 11 jaar", "Concept", "Illustratie: "):
        assert expected in text


def test_a_real_heading_per_section_with_its_items_as_a_list(
    persona: Persona, tmp_path: Path
) -> None:
    document, path = export(persona, Audience.INTERNAL, tmp_path)
    paragraphs = read(path).paragraphs
    headings = [
        p.text for p in paragraphs if p.style is not None and p.style.name.startswith("Heading")
    ]
    bullets = [p.text for p in paragraphs if p.style is not None and p.style.name == "List Bullet"]
    assert len(document.sections) == len(Section)
    for section in document.sections:
        assert section.heading in headings
        for item in section.items:
            assert item in bullets
    # The items come right after their own heading.
    who = document.sections[0]
    start = [p.text for p in paragraphs].index(who.heading)
    assert [p.text for p in paragraphs[start + 1 : start + 1 + len(who.items)]] == who.items


def test_hostile_texts_come_out_literally(persona: Persona, tmp_path: Path) -> None:
    _, path = export(persona, Audience.PARTNERS, tmp_path)
    text = all_text(read(path))
    for hostile in (*HOSTILE_TEXTS, HOSTILE_SCENARIO, HOSTILE_LINE):
        assert hostile in text


def test_partners_get_a_cost_table_per_scenario_with_totals(
    persona: Persona, tmp_path: Path
) -> None:
    _, path = export(persona, Audience.PARTNERS, tmp_path)
    word = read(path)
    headings = [p.text for p in word.paragraphs if p.style and p.style.name == "Heading 2"]
    assert headings[:3] == [
        "Huidige situatie",
        "Gewenste situatie A: Zorg op school",
        "Gewenste situatie B: " + HOSTILE_SCENARIO,
    ]
    tables = [table_rows(t) for t in word.tables]
    # One table per scenario, then per payer and the difference with the current situation.
    assert len(tables) == 4 + 2
    current, desired, desired_b, unmet, per_payer, difference = tables
    assert current[0] == ["Omschrijving", "Betaler", "Bedrag per jaar"]
    assert current[1] == ["Ondersteuning in de klas", "Samenwerkingsverband", euro("12.000,00")]
    assert current[-1] == ["Totaal", "", euro(TOTALS[ScenarioKind.CURRENT])]
    assert desired[-1][-1] == euro(TOTALS[ScenarioKind.DESIRED])
    assert desired_b[1] == [HOSTILE_LINE, "School / bevoegd gezag", euro("100,00")]
    assert unmet[-1][-1] == euro(TOTALS[ScenarioKind.IF_UNMET])

    assert per_payer[0][0] == "Betaler"
    assert per_payer[-1] == [
        "Totaal",
        euro(TOTALS[ScenarioKind.CURRENT]),
        euro(TOTALS[ScenarioKind.DESIRED]),
        euro("100,00"),
        euro(TOTALS[ScenarioKind.IF_UNMET]),
    ]
    gemeente = next(row for row in per_payer if row[0] == "Gemeente")
    assert gemeente == [
        "Gemeente",
        euro("10.000,00"),
        euro("16.000,00"),
        euro("0,00"),
        euro("42.000,00"),
    ]
    # Desired A: 25.000 - 22.000; B: 100 - 22.000; if nothing changes: 42.000 - 22.000.
    assert difference[-1] == [
        "Totaal",
        "+" + euro("3.000,00"),
        "-" + euro("21.900,00"),
        "+" + euro("20.000,00"),
    ]
    # Partners do not see how a line is counted nor its stream.
    text = all_text(word)
    assert "Geldstroom" not in text
    assert "Individuele beschikking jeugdhulp" not in text


def test_internal_sees_streams_and_calculations(persona: Persona, tmp_path: Path) -> None:
    document, path = export(persona, Audience.INTERNAL, tmp_path)
    word = read(path)
    current = table_rows(word.tables[0])
    assert current[0] == [
        "Omschrijving",
        "Betaler",
        "Geldstroom",
        "Berekening",
        "Bedrag per jaar",
    ]
    assert document.costs is not None
    lines = document.costs.scenarios[0].lines
    assert current[2] == [
        "Individuele jeugdhulp",
        "Gemeente",
        "Individuele beschikking jeugdhulp",
        lines[1].calculation,
        euro("10.000,00"),
    ]
    assert current[-1][0] == "Totaal"
    assert current[-1][-1] == euro(TOTALS[ScenarioKind.CURRENT])


def test_parents_get_no_costs_and_no_payers(persona: Persona, tmp_path: Path) -> None:
    document, path = export(persona, Audience.PARENTS, tmp_path)
    word = read(path)
    text = all_text(word)
    assert word.tables == []
    assert "€" not in text
    for name in (*PAYER_NAMES, "Dagbehandeling", "Ondersteuning in de klas", "Kosten"):
        assert name not in text
    # The warm headings, every item, and the texts of the cost sections are left out.
    for section in document.sections:
        assert section.heading in text
        for item in section.items:
            assert item in text
    assert "Dit is Esra" in text
    assert "Ambulante begeleiding van het SWV." not in text


def test_empty_sections_say_so_and_no_costs_say_so(
    organisation: Organisation, tmp_path: Path
) -> None:
    persona = PersonaFactory.create(organisation=organisation, name="Leeg")
    _, path = export(persona, Audience.PARTNERS, tmp_path)
    paragraphs = [p.text for p in read(path).paragraphs]
    assert paragraphs.count("(nog niet ingevuld)") == len(Section)
    assert "Er zijn nog geen kosten ingevuld." in paragraphs


def test_control_characters_do_not_break_the_file(
    organisation: Organisation, tmp_path: Path
) -> None:
    persona = filled_persona(organisation, extra_texts=("Vertical\x0btab en bel\x07",))
    _, path = export(persona, Audience.INTERNAL, tmp_path)
    assert "Verticaltab en bel" in all_text(read(path))


def test_one_persona_per_file(persona: Persona) -> None:
    document = persona_document(persona, Audience.PARTNERS)
    with pytest.raises(ValueError, match="one persona per file"):
        persona_docx([document, document], context(Audience.PARTNERS))


def test_registry_renders_word(persona: Persona) -> None:
    fmt = FORMATS_BY_KEY["docx"]
    rendered = fmt.render(
        [persona_document(persona, Audience.PARTNERS)], context(Audience.PARTNERS)
    )
    assert rendered.content.startswith(b"PK")


def test_libreoffice_opens_the_file(persona: Persona, tmp_path: Path) -> None:
    _, path = export(persona, Audience.INTERNAL, tmp_path)
    pdf = convert_to_pdf(path, tmp_path)
    text = pdf_text(pdf)
    if text is not None:
        assert "Esra" in text
        assert TOTALS[ScenarioKind.CURRENT] in text
