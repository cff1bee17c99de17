"""The persona editor in a real browser: filling every section by keyboard and mouse, the
catalogue, reordering, and two people editing the same section at once."""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse
from playwright.sync_api import Page, expect

from zio.demo.content import DEMO_PASSWORD
from zio.personas.constants import Section
from zio.personas.models import Persona
from zio.personas.services import section_items

from .checks import axe_violations, log_in

SECTION_TEXTS = {
    Section.WHO: ["Sem is 10 jaar en zit op het SBO", "Sem tekent graag"],
    Section.WISHES: ["Meedoen met de klas"],
    Section.CURRENT_SCHOOL: ["De leerkracht grijpt vaak in"],
    Section.CURRENT_PARENTS: ["Ouders worden vaak gebeld"],
    Section.NEEDS: ["Voorspelbaarheid en structuur"],
    Section.DESIRED: ["Jeugdhulp op school"],
    Section.IF_UNMET: ["Thuiszitten"],
    Section.COSTS_CURRENT: ["Ondersteuningsbekostiging SBO"],
    Section.COSTS_DESIRED: ["Collectieve jeugdhulp"],
}


def _section(page: Page, section: Section):
    return page.locator(f"#onderdeel-{section.value}")


def _fill_section(page: Page, section: Section, texts: list[str]) -> None:
    card = _section(page, section)
    card.get_by_role("link", name="Bewerken").click()
    for text in texts:
        card.get_by_role("button", name="Regel toevoegen").click()
        # The new line gets focus, so typing goes straight into it.
        expect(card.locator("input[name=item]").last).to_be_focused()
        page.keyboard.type(text)
    card.get_by_role("button", name="Opslaan", exact=True).click()
    expect(card.get_by_role("status")).to_have_text("Opgeslagen.")


def test_opsteller_fills_every_section_of_a_new_persona(
    demo: None, page: Page, live_server
) -> None:
    log_in(page, live_server.url, "ib@regenboog.example", DEMO_PASSWORD)
    page.goto(live_server.url + reverse("personas:list"))
    page.get_by_role("link", name="Nieuwe persona").click()
    page.get_by_label("Naam van de persona").fill("Sem")
    page.get_by_label("Aantal leerlingen in de groep").fill("12")
    page.get_by_label("Leeftijd vanaf").fill("9")
    page.get_by_label("Leeftijd tot en met").fill("11")
    page.get_by_label("Speciaal basisonderwijs (SBO)").check()
    page.locator(".avatar-option").nth(4).click()
    page.get_by_role("button", name="Persona maken").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sem")
    assert axe_violations(page) == []

    for section, texts in SECTION_TEXTS.items():
        _fill_section(page, section, texts)

    # Problems come from the catalogue, plus one in our own words.
    problems = _section(page, Section.PROBLEMS)
    problems.get_by_role("link", name="Bewerken").click()
    problems.get_by_label("Signaal uit de catalogus").select_option(label="Overprikkeling")
    problems.get_by_role("button", name="Signaal toevoegen").click()
    expect(problems.locator("input[name=item]").first).to_have_value("Overprikkeling")
    problems.get_by_role("button", name="Regel toevoegen").click()
    expect(problems.locator("input[name=item]").last).to_be_focused()
    page.keyboard.type("Snel moe na schooltijd")
    assert axe_violations(page) == []
    problems.get_by_role("button", name="Opslaan", exact=True).click()
    expect(problems.get_by_role("status")).to_have_text("Opgeslagen.")

    persona = Persona.objects.get(name="Sem")
    assert persona.avatar == "avatar-05"
    for section in Section:
        assert section_items(persona, section), f"{section} is empty"
    assert [i.text for i in section_items(persona, Section.PROBLEMS)] == [
        "Overprikkeling",
        "Snel moe na schooltijd",
    ]
    assert section_items(persona, Section.PROBLEMS)[0].signal_id is not None
    assert page.console_errors == []  # type: ignore[attr-defined]


def test_reorder_lines_with_the_keyboard(demo: None, page: Page, live_server) -> None:
    persona = Persona.objects.get(name="Noor")
    log_in(page, live_server.url, "ib@regenboog.example", DEMO_PASSWORD)
    page.goto(live_server.url + reverse("personas:detail", args=[persona.pk]))
    wishes = _section(page, Section.WISHES)
    wishes.get_by_role("link", name="Bewerken").click()
    first = wishes.locator("input[name=item]").first.input_value()
    wishes.get_by_role("button", name="Regel 1 omlaag").focus()
    page.keyboard.press("Enter")
    # Focus follows the moved line, so pressing Enter again moves it further down.
    expect(wishes.get_by_role("button", name="Regel 2 omlaag")).to_be_focused()
    page.keyboard.press("Enter")
    expect(wishes.locator("input[name=item]").nth(2)).to_have_value(first)
    expect(wishes.get_by_role("button", name="Regel 3 omlaag")).to_be_focused()
    wishes.locator("input[name=item]").first.focus()
    page.keyboard.press("Enter")  # Enter in a text field saves the section
    expect(wishes.get_by_role("status")).to_have_text("Opgeslagen.")
    assert section_items(persona, Section.WISHES)[2].text == first


def test_two_people_edit_the_same_section(
    demo: None, new_page: Callable[[], Page], live_server
) -> None:
    persona = Persona.objects.get(name="Noor")
    url = live_server.url + reverse("personas:detail", args=[persona.pk])
    pages = []
    for email in ("ib@regenboog.example", "schoolleider@regenboog.example"):
        page = new_page()
        log_in(page, live_server.url, email, DEMO_PASSWORD)
        page.goto(url)
        _section(page, Section.NEEDS).get_by_role("link", name="Bewerken").click()
        pages.append(page)
    first, second = pages
    _section(first, Section.NEEDS).locator("input[name=item]").first.fill("Eerste persoon")
    _section(first, Section.NEEDS).get_by_role("button", name="Opslaan", exact=True).click()
    expect(_section(first, Section.NEEDS).get_by_role("status")).to_have_text("Opgeslagen.")

    card = _section(second, Section.NEEDS)
    card.locator("input[name=item]").first.fill("Tweede persoon")
    card.get_by_role("button", name="Opslaan", exact=True).click()
    expect(card.get_by_role("alert")).to_contain_text(
        "Iemand anders heeft dit onderdeel ook gewijzigd"
    )
    expect(card.get_by_role("alert")).to_contain_text("Eerste persoon")
    expect(card.locator("input[name=item]").first).to_have_value("Tweede persoon")
    assert axe_violations(second) == []
    assert section_items(persona, Section.NEEDS)[0].text == "Eerste persoon"

    # The second person keeps both texts and saves again: nothing is lost.
    card.get_by_role("button", name="Regel toevoegen").click()
    expect(card.locator("input[name=item]").last).to_be_focused()
    second.keyboard.type("Eerste persoon")
    card.get_by_role("button", name="Opslaan", exact=True).click()
    expect(card.get_by_role("status")).to_have_text("Opgeslagen.")
    texts = [i.text for i in section_items(persona, Section.NEEDS)]
    assert "Tweede persoon" in texts and "Eerste persoon" in texts
    assert first.console_errors == second.console_errors == []  # type: ignore[attr-defined]
