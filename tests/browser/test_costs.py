"""The cost page in a real browser: an opsteller adds cost lines by mouse and by keyboard,
sees the totals per payer change without a reload, and the cost and tariff pages pass axe-core
(WCAG 2.1 A/AA), the Nu HTML validator, the CSP (no console errors) and a 320 px screen."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from django.urls import reverse
from playwright.sync_api import Locator, Page, expect

from zio.common.money import format_euro
from zio.costs import selectors, services
from zio.costs.constants import ScenarioKind, Unit
from zio.costs.models import FundingStream, Tariff
from zio.demo.content import DEMO_PASSWORD
from zio.organisations.models import Region
from zio.personas.models import Persona

from .checks import axe_violations, horizontal_overflow, html_errors, log_in
from .test_pages import PageAudit

TARIFF_YEAR = 2026


def _noor() -> Persona:
    noor = Persona.objects.get(name="Noor", organisation__name="SBO De Regenboog")
    services.scenarios_ensure_defaults(persona=noor)
    region = Region.objects.filter(organisations=noor.organisation).first()
    assert region is not None
    services.tariffs_seed_indicative(region=region, year=TARIFF_YEAR)
    return noor


def _amount(value: Decimal) -> str:
    """'92.883,28' for € 92.883,28: the number as the page shows it, without the sign."""
    return format_euro(value).split("\u00a0")[1]


def _assert_page_is_clean(page: Page, label: str) -> None:
    assert axe_violations(page) == [], label
    assert page.console_errors == [], label  # type: ignore[attr-defined]
    page.set_viewport_size({"width": 320, "height": 800})
    assert horizontal_overflow(page) == 0, f"{label}: sideways scrolling at 320px"
    page.set_viewport_size({"width": 1280, "height": 900})


def _card(page: Page, noor: Persona, kind: str) -> Locator:
    scenario = noor.scenarios.filter(kind=kind).order_by("label").first()
    assert scenario is not None
    return page.locator(f"#scenario-{scenario.pk}")


def test_opsteller_adds_cost_lines_by_mouse_and_keyboard(
    demo: None, page: Page, live_server, tmp_path: Path
) -> None:
    noor = _noor()
    sbo = Tariff.objects.get(
        year=TARIFF_YEAR,
        name="Ondersteuningsbekostiging SBO per leerling",
        region__organisations=noor.organisation,
    )
    url = live_server.url + reverse("costs:persona_costs", args=[noor.pk])
    log_in(page, live_server.url, "ib@regenboog.example", DEMO_PASSWORD)
    response = page.goto(url)
    assert response is not None and response.status == 200
    documents = {f"{url} (first)": response.text()}
    expect(page.get_by_role("heading", level=1)).to_have_text("Kosten van Noor")
    _assert_page_is_clean(page, "cost page")
    page.evaluate("window.__notReloaded = true")

    # By mouse: pick the SBO tariff in the current situation.
    current = _card(page, noor, ScenarioKind.CURRENT)
    current.locator("summary").click()
    current.get_by_label("Omschrijving").fill("SBO-bedrag voor de groep")
    current.get_by_label("Tarief uit de tarieventabel").select_option(str(sbo.pk))
    current.get_by_role("button", name="Regel toevoegen", exact=True).click()
    expect(current.get_by_role("status")).to_contain_text("Regel toegevoegd aan Huidige situatie")
    row = current.get_by_role("row").filter(has_text="SBO-bedrag voor de groep")
    expect(row).to_contain_text("6.634,52")
    expect(row).to_contain_text(_amount(sbo.amount * noor.group_size))

    # By keyboard: a group jeugdhulp worker in desired situation A.
    desired = _card(page, noor, ScenarioKind.DESIRED)
    desired.locator("summary").focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")  # Omschrijving
    page.keyboard.type("Jeugdhulp op school voor de groep")
    page.keyboard.press("Tab")  # Tarief: none
    page.keyboard.press("Tab")  # Geldstroom
    for _ in range(4):  # ... → Collectieve jeugdhulp op school
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")  # Betaler: the usual one
    page.keyboard.press("Tab")  # Eenheid
    for _ in range(4):  # ... → per uur, voor de hele groep
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")  # Bedrag
    page.keyboard.type("51,00")
    page.keyboard.press("Tab")  # Aantal jaren of dagen (stays 1)
    page.keyboard.press("Tab")  # Uren per week
    page.keyboard.type("8")
    page.keyboard.press("Enter")
    expect(desired.get_by_role("status")).to_contain_text(
        "Regel toegevoegd aan Gewenste situatie A"
    )
    row = desired.get_by_role("row").filter(has_text="Jeugdhulp op school voor de groep")
    expect(row).to_contain_text("8 uur × 40 weken × € 51,00 voor de hele groep")
    expect(row).to_contain_text("16.320,00")

    # The comparison follows (swapped out of band): the totals per payer of every scenario.
    overview = selectors.persona_cost_overview(noor)
    table = page.get_by_role("table", name="Kosten per betaler per scenario")
    for payer_row in overview.payer_rows:
        shown = table.get_by_role("row").filter(has_text=payer_row.label)
        for cell in payer_row.cells:
            expect(shown).to_contain_text(_amount(cell))
    differences = page.get_by_role("table", name="Verschil per betaler met de huidige situatie")
    expect(differences).to_contain_text("Gemeente")
    assert page.evaluate("window.__notReloaded") is True
    documents[f"{url} (after adding)"] = page.content()
    _assert_page_is_clean(page, "cost page with lines")

    # A form with mistakes says what is wrong, in Dutch, next to the field.
    unmet = _card(page, noor, ScenarioKind.IF_UNMET)
    unmet.locator("summary").click()
    unmet.get_by_label("Bedrag per eenheid").fill("veel")
    unmet.get_by_role("button", name="Regel toevoegen", exact=True).click()
    expect(unmet.get_by_role("alert")).to_contain_text("Er is iets niet goed ingevuld")
    expect(unmet).to_contain_text("Vul een omschrijving in.")
    expect(unmet).to_contain_text("Vul een getal in, bijvoorbeeld 12,5.")
    documents[f"{url} (with errors)"] = page.content()
    _assert_page_is_clean(page, "cost page with form errors")

    assert html_errors(documents, tmp_path) == []


def test_tariffs_page_passes(demo: None, page: Page, live_server, tmp_path: Path) -> None:
    _noor()
    url = live_server.url + reverse("costs:tariffs")
    log_in(page, live_server.url, "ib@regenboog.example", DEMO_PASSWORD)
    response = page.goto(url)
    assert response is not None and response.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text("Tarieven")
    expect(page.get_by_text("indicatief", exact=True).first).to_be_visible()
    expect(page.get_by_role("link", name="Tarief toevoegen")).to_have_count(0)  # a school reads
    _assert_page_is_clean(page, "tariffs page")
    assert html_errors({url: response.text()}, tmp_path) == []


def test_edit_and_confirmation_pages_pass(
    demo: None, page: Page, live_server, tmp_path: Path
) -> None:
    noor = _noor()
    base = live_server.url
    audit = PageAudit(page, base)
    current = noor.scenarios.get(kind=ScenarioKind.CURRENT)
    desired = services.scenario_add_desired(persona=noor, name="Om te verwijderen")
    line = services.cost_line_create(
        scenario=current,
        description="Extra begeleiding",
        funding_stream=FundingStream.objects.get(code="eigen-middelen"),
        unit=Unit.GROUP_YEAR,
        rate=Decimal("5000"),
    )

    log_in(page, base, "ib@regenboog.example", DEMO_PASSWORD)
    for name, args in (
        ("costs:line_edit", [noor.pk, line.pk]),
        ("costs:line_delete", [noor.pk, line.pk]),
        ("costs:scenario_edit", [noor.pk, current.pk]),
        ("costs:scenario_delete", [noor.pk, desired.pk]),
        ("costs:scenario_delete", [noor.pk, current.pk]),  # explains why it cannot
    ):
        audit.visit(base + reverse(name, args=args))
    # A form with a mistake
    page.goto(base + reverse("costs:line_edit", args=[noor.pk, line.pk]))
    page.get_by_label("Bedrag per eenheid").fill("-5")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("alert")).to_contain_text("Een negatief getal kan hier niet")
    audit.check_current("line form with an error", expect_status=400)
    page.context.clear_cookies()

    # A meelezer reads the costs
    log_in(page, base, "beleid@rijnvliet.example", DEMO_PASSWORD)
    page.get_by_label("Organisatie").select_option(label="SBO De Regenboog")
    page.get_by_role("button", name="Wissel organisatie").click()
    page.get_by_text("Je werkt nu in SBO De Regenboog").wait_for()
    audit.visit(base + reverse("costs:persona_costs", args=[noor.pk]))
    expect(page.get_by_role("button", name="Regel toevoegen")).to_have_count(0)
    page.context.clear_cookies()

    # The samenwerkingsverband's beheerder keeps the region's tariffs
    log_in(page, base, "coordinator@swv-rijnvliet.example", DEMO_PASSWORD)
    region = Region.objects.get(organisations=noor.organisation)
    tariff = Tariff.objects.filter(region=region).first()
    assert tariff is not None
    audit.visit(base + reverse("costs:tariffs"))
    expect(page.get_by_role("link", name="Tarief toevoegen")).to_have_count(1)
    for name, args in (
        ("costs:tariff_create", [region.pk]),
        ("costs:tariff_edit", [tariff.pk]),
        ("costs:tariff_delete", [tariff.pk]),
        ("costs:tariffs_seed", [region.pk]),
    ):
        audit.visit(base + reverse(name, args=args))
    audit.assert_clean(tmp_path)
