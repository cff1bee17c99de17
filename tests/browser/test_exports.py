"""Step 4 as a user lives it: from a persona's page to a waaier for parents and a Word file,
and a persona file from elsewhere imported; every page checked on the way."""

from __future__ import annotations

import subprocess
from pathlib import Path

from django.urls import reverse
from playwright.sync_api import Page, expect

from zio.demo.content import DEMO_PASSWORD
from zio.personas.models import Persona

from .checks import log_in
from .test_pages import PageAudit


def test_from_persona_to_waaier_word_and_import(
    demo: None, page: Page, live_server, tmp_path: Path
) -> None:
    base = live_server.url
    audit = PageAudit(page, base)
    noor = Persona.objects.get(name="Noor")
    log_in(page, base, "ib@regenboog.example", DEMO_PASSWORD)

    # From the persona's page, with only this persona ticked.
    page.goto(base + reverse("personas:detail", args=[noor.pk]))
    page.get_by_role("link", name="Meenemen naar het gesprek").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Gesprek")
    expect(page.get_by_label("Noor")).to_be_checked()
    audit.visit(page.url)

    # A waaier for parents, chosen by keyboard: no costs on the cards.
    page.get_by_label("Ouders").focus()
    page.keyboard.press("Space")
    expect(page.get_by_label("Ouders")).to_be_checked()
    page.get_by_label("Waaier (kaarten van 10 × 21 cm)").check()
    page.get_by_role("button", name="Bestand maken").click()
    expect(page.get_by_text("Het bestand is klaar.")).to_be_visible()
    audit.visit(page.url)  # the finished export's page, with its HTML checked too
    with page.expect_download() as info:
        page.get_by_role("link", name="Download").click()
    pdf = tmp_path / "waaier.pdf"
    info.value.save_as(pdf)
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Noor" in text
    assert "€" not in text

    # An editable Word file for the partners: downloaded straight from the form.
    page.get_by_role("link", name="Terug naar Gesprek").click()
    page.get_by_label("Partners: gemeente, SWV en jeugdhulp").check()
    page.get_by_label("Word (bewerkbaar)").check()
    with page.expect_download() as info:
        page.get_by_role("button", name="Bestand maken").click()
    assert info.value.suggested_filename.endswith(".docx")

    # The page lists the file made before.
    page.reload()
    expect(page.get_by_role("heading", name="Gemaakte bestanden")).to_be_visible()

    # A broken persona file is refused with the place of the problem.
    page.get_by_role("link", name="Persona importeren").click()
    audit.visit(page.url)
    broken = tmp_path / "kapot.json"
    broken.write_text('{"format": "zio-persona", "version": "1.0", "persona": {}}')
    page.get_by_label("JSON-bestand met een persona").set_input_files(str(broken))
    page.get_by_role("button", name="Importeren").click()
    expect(page.get_by_text("Het bestand is niet geïmporteerd")).to_be_visible()
    audit.check_current("import with problems", expect_status=400)
    audit.documents["import with problems"] = page.content()
    audit.assert_clean(tmp_path)
