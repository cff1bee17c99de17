"""Step 2 as a new user lives it: upload a screening, let the tool propose groups, merge two,
and turn a group into a persona draft that shows the group's signals."""

from __future__ import annotations

from pathlib import Path

from django.urls import reverse
from playwright.sync_api import Page, expect

from zio.demo.content import DEMO_PASSWORD
from zio.grouping.models import GroupingRun, RunStatus
from zio.grouping.tests.test_services import clustered_csv
from zio.organisations.models import Organisation
from zio.personas.models import Persona
from zio.screening.forms import current_school_year

from .checks import log_in
from .test_pages import PageAudit


def test_from_screening_to_groups_to_persona(
    demo: None, page: Page, live_server, tmp_path: Path
) -> None:
    base = live_server.url
    audit = PageAudit(page, base)
    school = Organisation.objects.get(name="SBO De Regenboog")
    log_in(page, base, "ib@regenboog.example", DEMO_PASSWORD)

    # Upload a screening with three clear groups of pupils.
    csv_file = tmp_path / "screening.csv"
    csv_file.write_bytes(clustered_csv(school, pupils=180, seed=5, groups=3))
    page.goto(base + reverse("screening:overview"))
    page.get_by_label("Schooljaar").select_option(current_school_year())
    page.get_by_label("Bestand met de screening").set_input_files(str(csv_file))
    page.get_by_role("button", name="Uploaden en controleren").click()
    expect(page.get_by_text("De screening is opgeslagen.")).to_be_visible()

    # Let the tool propose groups.
    page.get_by_role("link", name="Stap 2: Groeperen").click()
    audit.check_current("grouping overview")
    page.get_by_label(f"SBO De Regenboog, {current_school_year()} (180)").check()
    page.get_by_role("button", name="Groeperen", exact=True).click()
    expect(page.get_by_role("heading", name="Hoe zeker zijn de groepen?")).to_be_visible()
    run = GroupingRun.objects.get(organisation=school)
    assert run.status == RunStatus.DONE
    assert run.chosen_k == 3
    expect(page.get_by_text("van deze groep heeft").first).to_be_visible()
    audit.visit(page.url)

    # Merge two groups.
    merge = page.get_by_role("region", name="Twee groepen samenvoegen")
    merge.get_by_label("Houd deze groep").select_option(index=1)
    merge.get_by_label("en voeg deze groep erbij").select_option(index=2)
    merge.get_by_role("button", name="Samenvoegen").click()
    expect(page.get_by_text("Samengevoegd: groep 1")).to_be_visible()
    assert run.groups.filter(merged_into__isnull=False).count() == 1
    audit.check_current("after merging")

    # A persona draft from group 3, with the group's signals as problems.
    group = run.groups.get(number=3)
    page.locator("#groep-3").get_by_role("button", name="Maak hier een persona van").click()
    persona = Persona.objects.get(source_group=group)
    expect(page.get_by_role("heading", level=1)).to_have_text(persona.name)
    problems = page.locator("#onderdeel-problemen")
    for item in persona.items.filter(section="problemen"):
        expect(problems).to_contain_text(item.text)
    expect(page.get_by_text("Gebaseerd op groep 3")).to_be_visible()
    audit.visit(page.url)
    audit.assert_clean(tmp_path)
