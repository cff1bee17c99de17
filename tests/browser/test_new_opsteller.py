"""The whole of step 3 as a new opsteller lives it: invited by the school leader, they make a
persona with every section filled, add cost lines for the current situation and two desired
ones, and read totals per payer that match a calculation by hand to the cent."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from django.urls import reverse
from playwright.sync_api import Locator, Page, expect

from zio.common.money import format_euro
from zio.costs.constants import ScenarioKind
from zio.costs.models import Tariff
from zio.demo.content import DEMO_PASSWORD
from zio.personas.constants import Section
from zio.personas.models import Persona

from .checks import axe_violations, log_in
from .test_persona_editor import SECTION_TEXTS, _fill_section

SBO_TARIFF = "Ondersteuningsbekostiging SBO per leerling"
GROUP = 12

# (scenario, description, tariff name or None, stream label, unit label, rate, hours, pupils)
LINES = [
    (ScenarioKind.CURRENT, "SBO-bedrag", SBO_TARIFF, None, None, None, None, None),
    (
        ScenarioKind.CURRENT,
        "Aanvullend arrangement",
        None,
        "Aanvullend onderwijsarrangement",
        "vast bedrag per groep per jaar",
        "12.000",
        None,
        None,
    ),
    (
        ScenarioKind.CURRENT,
        "Ambulante begeleiding",
        None,
        "Individuele beschikking jeugdhulp",
        "per uur, per leerling",
        "78,00",
        "1",
        "5",
    ),
    (
        ScenarioKind.CURRENT,
        "Schoolmaatschappelijk werk",
        None,
        "Collectieve jeugdhulp op school",
        "per uur, voor de hele groep",
        "72,50",
        "2",
        None,
    ),
    (
        ScenarioKind.CURRENT,
        "Extra begeleiding",
        None,
        "Eigen middelen school",
        "vast bedrag per groep per jaar",
        "3500,50",
        None,
        None,
    ),
    ("A", "SBO-bedrag", SBO_TARIFF, None, None, None, None, None),
    (
        "A",
        "Jeugdhulp op school",
        None,
        "Collectieve jeugdhulp op school",
        "per uur, voor de hele groep",
        "51",
        "12",
        None,
    ),
    ("B", "SBO-bedrag", SBO_TARIFF, None, None, None, None, None),
    (
        "B",
        "Kleine groep",
        None,
        "Eigen middelen school",
        "vast bedrag per groep per jaar",
        "9999,99",
        None,
        None,
    ),
]

sbo = Decimal("6634.52") * GROUP  # 79.614,24
EXPECTED = {  # scenario -> payer -> total, calculated by hand
    ScenarioKind.CURRENT: {
        "Samenwerkingsverband": sbo + Decimal("12000"),  # 91.614,24
        "Gemeente": Decimal("78") * 40 * 5 + Decimal("72.50") * 2 * 40,  # 15.600 + 5.800
        "School / bevoegd gezag": Decimal("3500.50"),
    },
    "A": {"Samenwerkingsverband": sbo, "Gemeente": Decimal("51") * 12 * 40},  # 24.480,00
    "B": {"Samenwerkingsverband": sbo, "School / bevoegd gezag": Decimal("9999.99")},
}


def _invite_and_register(new_page: Callable[[], Page], base: str) -> Page:
    leader = new_page()
    log_in(leader, base, "schoolleider@regenboog.example", DEMO_PASSWORD)
    leader.goto(base + reverse("organisations:members"))
    leader.locator("#id_role").select_option("opsteller")
    leader.get_by_role("button", name="Maak uitnodigingslink").click()
    link = leader.get_by_role("textbox", name="Uitnodigingslink").input_value()

    page = new_page()
    page.goto(link)
    page.get_by_label("Je naam").fill("Nina Bos")
    page.get_by_label("E-mailadres").fill("nina.bos@regenboog.example")
    page.get_by_label("Wachtwoord", exact=True).fill("een-sterk-wachtwoord-7")
    page.get_by_label("Wachtwoord nog een keer").fill("een-sterk-wachtwoord-7")
    page.get_by_role("button", name="Account maken en lid worden").click()
    expect(page.get_by_text("Je rol is opsteller")).to_be_visible()
    return page


def _card(page: Page, persona: Persona, key: str) -> Locator:
    kind, label = (ScenarioKind.DESIRED, key) if key in {"A", "B"} else (key, "")
    scenario = persona.scenarios.get(kind=kind, label=label)
    return page.locator(f"#scenario-{scenario.pk}")


def _add_line(page: Page, persona: Persona, line: tuple) -> None:
    key, description, tariff, stream, unit, rate, hours, pupils = line
    card = _card(page, persona, key)
    if card.locator("details").first.get_attribute("open") is None:
        card.locator("summary").first.click()
    card.get_by_label("Omschrijving").fill(description)
    if tariff:
        tariff_pk = Tariff.objects.get(name=tariff, year=2026).pk
        card.get_by_label("Tarief uit de tarieventabel").select_option(str(tariff_pk))
    if stream:
        card.get_by_label("Geldstroom").select_option(label=stream)
    if unit:
        card.locator("select[name$=unit]").select_option(
            label=next(
                o
                for o in card.locator("select[name$=unit] option").all_inner_texts()
                if o.startswith(unit)
            )
        )
    if rate:
        card.get_by_label("Bedrag per eenheid").fill(rate)
    if hours:
        card.get_by_label("Uren per week").fill(hours)
        card.get_by_label("Aantal weken").fill("40")
    if pupils:
        card.get_by_label("Aantal leerlingen").fill(pupils)
    card.get_by_role("button", name="Regel toevoegen", exact=True).click()
    expect(card.get_by_role("status")).to_contain_text("Regel toegevoegd")
    expect(card.get_by_role("row").filter(has_text=description)).to_be_visible()


def test_new_opsteller_makes_a_complete_persona_with_costs(
    demo: None, new_page: Callable[[], Page], live_server
) -> None:
    base = live_server.url
    page = _invite_and_register(new_page, base)

    page.goto(base + reverse("personas:create"))
    page.get_by_label("Naam van de persona").fill("Lina")
    page.get_by_label("Aantal leerlingen in de groep").fill(str(GROUP))
    page.get_by_label("Leeftijd vanaf").fill("10")
    page.get_by_label("Leeftijd tot en met").fill("12")
    page.get_by_role("button", name="Persona maken").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lina")
    for section, texts in {**SECTION_TEXTS, Section.PROBLEMS: ["Overprikkeling"]}.items():
        _fill_section(page, section, texts)
    persona = Persona.objects.get(name="Lina")
    assert set(persona.items.values_list("section", flat=True)) == set(Section.values)

    page.get_by_role("link", name="Kosten", exact=True).click()
    page.get_by_label("Naam (optioneel)").fill("Kleine groep")
    page.get_by_role("button", name="Gewenste situatie toevoegen").click()
    for line in LINES:
        _add_line(page, persona, line)
    assert axe_violations(page) == []

    table = page.get_by_role("table", name="Kosten per betaler per scenario")
    headers = table.locator("thead th").all_inner_texts()
    for key, per_payer in EXPECTED.items():
        scenario_title = _card(page, persona, key).locator("h3").first.inner_text()
        column = next(i for i, h in enumerate(headers) if h.strip() == scenario_title.strip())
        for payer, amount in per_payer.items():
            cells = table.get_by_role("row").filter(has_text=payer).locator("th, td")
            expect(cells.nth(column)).to_have_text(format_euro(amount))
        total = table.locator("tfoot tr").first.locator("th, td")
        expect(total.nth(column)).to_have_text(format_euro(sum(per_payer.values(), Decimal(0))))
    assert page.console_errors == []  # type: ignore[attr-defined]
