"""The doen-sessie as two people live it, each in their own browser: the gespreksleider (with an
account, by mouse) and a guest from the gemeente (no account, by keyboard only). Every round:
post-its of one appear for the other without a reload, the votes give the top 3, a dot is
dragged on the plane and another placed with the form, and the next step with all of 5W+H ends
up in the action list and in the report. Every page on the way passes axe and the HTML check."""

from __future__ import annotations

from pathlib import Path

from django.urls import reverse
from playwright.sync_api import Page, expect

from zio.demo.content import DEMO_PASSWORD
from zio.workshops.constants import NoteKind
from zio.workshops.models import Action, Choice, Workshop

from .checks import log_in
from .test_pages import PageAudit

STEP = {
    "Wat gaan we doen?": "Spreekuur van het wijkteam op school",
    "Wie pakt het op?": "Intern begeleider",
    "Waar?": "SBO De Regenboog",
    "Wanneer?": "Voor de kerstvakantie",
    "Waarom?": "Korte lijnen met ouders",
    "Hoe?": "Elke dinsdag een uur",
}


def _type_into(page: Page, label: str, text: str) -> None:
    """Move to a field and type, as someone on a keyboard does (focus, then keys)."""
    field = page.get_by_label(label, exact=True)
    field.focus()
    page.keyboard.type(text)


def _start_round(leader: Page, name: str) -> None:
    leader.get_by_label("Ronde", exact=True).select_option(label=name)
    leader.get_by_role("button", name="Ronde starten").click()
    expect(leader.locator(".rounds__item--current")).to_contain_text(name)


def _keyboard_submit(page: Page, button: str) -> None:
    page.get_by_role("button", name=button).focus()
    page.keyboard.press("Enter")


def test_a_doen_sessie_with_a_gespreksleider_and_a_guest(
    demo: None, new_page, live_server, tmp_path: Path
) -> None:
    base = live_server.url
    leader = new_page()
    guest = new_page()
    audit = PageAudit(leader, base)
    guest_audit = PageAudit(guest, base)

    # The gespreksleider makes a session from step 4.
    log_in(leader, base, "schoolleider@regenboog.example", DEMO_PASSWORD)
    leader.goto(base + reverse("exports:overview"))
    leader.get_by_role("link", name="Naar de doen-sessies").click()
    audit.check_current("workshop list")
    leader.get_by_role("link", name="Nieuwe doen-sessie").click()
    audit.check_current("new workshop form")
    leader.get_by_label("Titel").fill("Doen-sessie met de gemeente")
    leader.get_by_role("button", name="Sessie maken").click()
    expect(leader.get_by_role("heading", level=1)).to_have_text("Doen-sessie met de gemeente")
    audit.visit(leader.url)
    workshop = Workshop.objects.get(title="Doen-sessie met de gemeente")
    join_link = leader.get_by_label("Link om mee te doen").input_value()
    assert join_link.endswith(f"?code={workshop.join_code}")
    leader.get_by_role("link", name="Naar het canvas").click()
    audit.visit(leader.url)

    # The guest opens the link and joins with a name, by keyboard.
    guest.goto(join_link)
    guest_audit.check_current("join page")
    expect(guest.get_by_label("Deelnamecode")).to_have_value(workshop.join_code)
    _type_into(guest, "Je naam", "Gerda")
    _type_into(guest, "Je organisatie (optioneel)", "Gemeente Rijnvliet")
    guest.keyboard.press("Enter")
    expect(guest.get_by_role("heading", level=1)).to_contain_text("Tafel 1")
    guest_audit.visit(guest.url)

    # Opening round: the guest introduces herself; the leader sees it without reloading.
    leader.evaluate("window.__notReloaded = true")
    _type_into(guest, "Wie ben je?", "Gerda, beleidsadviseur jeugd")
    _type_into(guest, "Waar kom je vandaan?", "Gemeente Rijnvliet")
    _keyboard_submit(guest, "Bewaren")
    expect(guest.get_by_role("status").filter(has_text="voorstelrondje is bewaard")).to_be_visible()
    expect(leader.get_by_text("Gerda, beleidsadviseur jeugd")).to_be_visible()
    assert leader.evaluate("window.__notReloaded") is True

    # Round 1: both add post-its; each sees the other's without reloading.
    _start_round(leader, "Actoren en factoren")
    expect(guest.get_by_label("Post-it", exact=True)).to_be_visible()  # her page moved along
    guest_audit.check_current("round 1, guest")
    leader.evaluate("window.__notReloaded = true")
    guest.evaluate("window.__notReloaded = true")
    for text, kind in [("Wijkteam", "Actor (wie)"), ("Leerplichtambtenaar", "Actor (wie)")]:
        guest.get_by_label(kind).focus()
        guest.keyboard.press("Space")
        _type_into(guest, "Post-it", text)
        guest.keyboard.press("Enter")
        expect(guest.locator("#bord").get_by_text(text, exact=True)).to_be_visible()
    guest.get_by_label("Factor (wat)").focus()
    guest.keyboard.press("Space")
    _type_into(guest, "Post-it", "Financiering uit één pot")
    guest.keyboard.press("Enter")
    expect(leader.locator("#bord").get_by_text("Wijkteam", exact=True)).to_be_visible()
    expect(leader.locator("#bord").get_by_text("Financiering uit één pot")).to_be_visible()
    # The guest starts typing; meanwhile the leader's post-its arrive and her text stays.
    _type_into(guest, "Post-it", "Huisa")
    for text, kind in [
        ("Ouders", "Actor (wie)"),
        ("Jeugdhulp De Brug", "Actor (wie)"),
        ("Ruimte in school", "Factor (wat)"),
        ("Tijd van de IB'er", "Factor (wat)"),
    ]:
        leader.get_by_label(kind).check()
        leader.get_by_label("Post-it", exact=True).fill(text)
        leader.get_by_role("button", name="Post-it plakken").click()
        expect(leader.get_by_role("status").filter(has_text=text)).to_be_visible()
    expect(guest.locator("#bord").get_by_text("Tijd van de IB'er")).to_be_visible()
    expect(guest.get_by_label("Post-it", exact=True)).to_have_value("Huisa")
    assert leader.evaluate("window.__notReloaded") is True
    assert guest.evaluate("window.__notReloaded") is True
    audit.check_current("round 1, leader")

    # Round 2: votes. Wijkteam 2, Ouders 2, Leerplicht 1, Jeugdhulp 1 (tie: the leader decides).
    _start_round(leader, "Kiezen")
    expect(guest.get_by_text("Je hebt nog 3 stemmen voor actoren.")).to_be_visible()
    for text in ["Wijkteam", "Ouders", "Jeugdhulp De Brug", "Financiering uit één pot"]:
        leader.get_by_role("button", name=f"Stem op {text}", exact=True).click()
        expect(
            leader.get_by_role("button", name=f"Gestemd op {text}, stem terugnemen")
        ).to_be_visible()
    for text in [
        "Wijkteam",
        "Ouders",
        "Leerplichtambtenaar",
        "Financiering uit één pot",
        "Tijd van de IB'er",
    ]:
        _keyboard_submit(guest, f"Stem op {text}")
        expect(
            guest.get_by_role("button", name=f"Gestemd op {text}, stem terugnemen")
        ).to_be_visible()
    expect(guest.get_by_text("Je hebt nog 0 stemmen voor actoren.")).to_be_visible()
    expect(guest.get_by_role("button", name="Stem op Jeugdhulp De Brug", exact=True)).to_have_count(
        0
    )
    guest_audit.check_current("round 2, guest voted")
    leader.reload()
    expect(leader.get_by_text("Bij de actoren staan post-its gelijk")).to_be_visible()
    audit.check_current("round 2, tie for the leader")
    # The leader breaks the tie for Leerplicht; the factors follow the votes.
    actors = leader.locator("form").filter(
        has=leader.get_by_role("button", name="Top 3 actoren vastleggen")
    )
    expect(actors.get_by_label("Jeugdhulp De Brug (1)")).not_to_be_checked()
    actors.get_by_label("Leerplichtambtenaar (1)").check()
    leader.get_by_role("button", name="Top 3 actoren vastleggen").click()
    expect(leader.locator("#werkblad .message--success")).to_contain_text("top 3 actoren")
    leader.get_by_role("button", name="Top 3 factoren vastleggen").click()
    expect(leader.locator("#werkblad .message--success")).to_contain_text("top 3 factoren")
    table = workshop.tables.get()
    ranked = list(
        Choice.objects.filter(table=table, kind=NoteKind.ACTOR).values_list("note__text", flat=True)
    )
    assert ranked == ["Wijkteam", "Ouders", "Leerplichtambtenaar"]
    factors = set(
        Choice.objects.filter(table=table, kind=NoteKind.FACTOR).values_list(
            "note__text", flat=True
        )
    )
    assert factors == {"Financiering uit één pot", "Tijd van de IB'er", "Ruimte in school"}

    # The plane: the leader drags A1; the guest places F1 with the form, by keyboard.
    expect(guest.get_by_role("heading", name="Op het vlak zetten")).to_be_visible()
    marker = leader.locator(".plane__marker[data-choice]").filter(has_text="A1")
    box = leader.locator(".plane__area").bounding_box()
    assert box is not None
    marker.hover()
    leader.mouse.down()
    # 75 % to the right (haalbaarheid 75), 20 % from the top (draagvlak 80).
    leader.mouse.move(box["x"] + box["width"] * 0.75, box["y"] + box["height"] * 0.2, steps=8)
    leader.mouse.up()
    wijkteam = Choice.objects.get(table=table, note__text="Wijkteam")
    expect(leader.locator("#werkblad .message--success")).to_contain_text("Geplaatst: Wijkteam")
    wijkteam.refresh_from_db()
    assert wijkteam.support is not None and wijkteam.feasibility is not None
    assert abs(wijkteam.support - 80) <= 2 and abs(wijkteam.feasibility - 75) <= 2
    f1 = Choice.objects.get(table=table, kind=NoteKind.FACTOR, rank=1)
    fieldset = guest.get_by_role("group", name=f"F1: {f1.note.text}")
    fieldset.get_by_label("Draagvlak (0-100)").focus()
    guest.keyboard.type("40")
    guest.keyboard.press("Tab")
    guest.keyboard.type("65")
    guest.keyboard.press("Enter")
    expect(guest.locator("#werkblad .message--success")).to_contain_text(
        f"Geplaatst: {f1.note.text}"
    )
    f1.refresh_from_db()
    assert (f1.support, f1.feasibility) == (40, 65)
    expect(leader.locator(".plane__table")).to_contain_text("65")
    audit.check_current("round 2, the plane")

    # Round 3: the guest writes the next step with 5W+H; it shows at the leader's table.
    _start_round(leader, "Vervolgstappen")
    expect(guest.get_by_label("Wat gaan we doen?")).to_be_visible()
    guest.get_by_label("Om het draagvlak te versterken…").focus()
    guest.keyboard.press("Space")
    for label, text in STEP.items():
        _type_into(guest, label, text)
    _keyboard_submit(guest, "Vervolgstap toevoegen")
    expect(guest.locator("#werkblad .message--success")).to_contain_text("Vervolgstap toegevoegd")
    expect(leader.locator("#bord")).to_contain_text("Elke dinsdag een uur")
    guest_audit.check_current("round 3, guest")
    action = Action.objects.get(next_step__table=table)
    assert action.title == "Om het draagvlak te versterken… Spreekuur van het wijkteam op school"
    step = action.next_step
    assert step is not None
    assert (step.who, step.where, step.when, step.why, step.how) == (
        STEP["Wie pakt het op?"],
        STEP["Waar?"],
        STEP["Wanneer?"],
        STEP["Waarom?"],
        STEP["Hoe?"],
    )

    # Closing: the guest's own next step; the plenary view and the report show everything.
    _start_round(leader, "Afronding")
    _type_into(guest, "Wat is jouw vervolgstap?", "De wethouder bijpraten")
    _keyboard_submit(guest, "Bewaren")
    expect(guest.locator("#werkblad .message--success")).to_contain_text("afronding zijn bewaard")
    expect(leader.locator("#bord")).to_contain_text("De wethouder bijpraten")
    guest_audit.check_current("closing, guest")
    guest.get_by_role("link", name="Uitkomsten van alle tafels, met reacties").click()
    guest_audit.visit(guest.url)
    _type_into(
        guest, f"Reactie op Tafel 1: {STEP['Wat gaan we doen?']}", "Sluit aan bij ons beleid"
    )
    guest.keyboard.press("Enter")
    expect(guest.get_by_text("Je reactie staat erbij.")).to_be_visible()

    leader.goto(base + reverse("workshops:plenary", args=[workshop.pk]))
    audit.visit(leader.url)
    expect(leader.get_by_text("Sluit aan bij ons beleid")).to_be_visible()
    leader.goto(base + reverse("workshops:actions"))
    audit.visit(leader.url)
    expect(leader.get_by_text("Spreekuur van het wijkteam op school").first).to_be_visible()
    leader.goto(base + reverse("workshops:report", args=[workshop.pk]))
    audit.visit(leader.url)
    report = leader.locator("main")
    for text in [*STEP.values(), "De wethouder bijpraten", "Wijkteam", "Sluit aan bij ons beleid"]:
        expect(report).to_contain_text(text)
    leader.goto(base + reverse("workshops:route"))
    audit.visit(leader.url)
    assert leader.console_errors == [] and guest.console_errors == []
    for name, each in (("leader", audit), ("guest", guest_audit)):
        (tmp_path / name).mkdir()
        each.assert_clean(tmp_path / name)
