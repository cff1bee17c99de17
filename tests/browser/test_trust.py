"""The trust pages in a real browser, each state checked like every other page (axe, valid
HTML, no console errors, no sideways scrolling): two-factor log-in from set-up to a recovery
code, a required set-up, the audit log, and exporting and deleting an organisation."""

from __future__ import annotations

from pathlib import Path

from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page

from zio.accounts.models import User
from zio.audit.models import AuditEvent
from zio.demo.content import DEMO_PASSWORD
from zio.organisations.models import Organisation

from .checks import log_in
from .test_pages import PageAudit

BEHEERDER = "schoolleider@regenboog.example"
OPSTELLER = "ib@regenboog.example"


def _app_code(device: TOTPDevice, steps_ahead: int = 0) -> str:
    t0 = device.t0 - steps_ahead * device.step
    return f"{totp(device.bin_key, device.step, t0, device.digits, device.drift):06d}"


def _check(audit: PageAudit, label: str, expect_status: int = 200) -> None:
    """Check a state reached by clicking, and validate its HTML too (as `visit` does)."""
    audit.documents[f"{label} ({len(audit.documents)})"] = audit.page.content()
    audit.check_current(label, expect_status)


def _password_step(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}{reverse('accounts:login')}")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_load_state()


def test_two_factor_from_set_up_to_a_recovery_code(
    demo: None, page: Page, live_server, tmp_path: Path
) -> None:
    base = live_server.url
    audit = PageAudit(page, base)
    log_in(page, base, BEHEERDER, DEMO_PASSWORD)
    user = User.objects.get(email=BEHEERDER)

    audit.visit(base + reverse("accounts:two_factor"))
    page.get_by_role("link", name="Tweestapsverificatie instellen").first.click()
    page.get_by_role("heading", name="Tweestapsverificatie instellen").wait_for()
    _check(audit, "two-factor set-up")
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    page.get_by_label("Code uit je app").fill("000000" if _app_code(device) != "000000" else "1")
    page.get_by_role("button", name="Tweestapsverificatie aanzetten").click()
    page.get_by_text("klopt niet").first.wait_for()
    _check(audit, "two-factor set-up with a wrong code", expect_status=400)
    page.wait_for_timeout(1100)  # a wrong code makes the next try wait a second
    page.get_by_label("Code uit je app").fill(_app_code(device))
    page.get_by_role("button", name="Tweestapsverificatie aanzetten").click()
    page.get_by_role("heading", name="Bewaar je herstelcodes").wait_for()
    _check(audit, "recovery codes shown once")
    codes = page.locator("code.join-code").all_inner_texts()
    assert len(codes) == 10

    # The beheerder now requires it for the whole school.
    page.goto(base + reverse("organisations:overview"))
    page.get_by_role("button", name="Verplicht maken voor alle leden").click()
    page.get_by_role("button", name="Niet meer verplicht maken").wait_for()
    _check(audit, "organisation that requires two-factor log-in")
    assert Organisation.objects.get(name="SBO De Regenboog").require_two_factor

    # Logging in again asks for the code; a wrong one is explained; a recovery code works.
    page.context.clear_cookies()
    _password_step(page, base, BEHEERDER)
    page.get_by_role("heading", name="Vul je code in").wait_for()
    _check(audit, "second log-in step")
    page.get_by_label("Code uit je app").fill("12345")
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_role("heading", name="Vul je code in").wait_for()
    _check(audit, "second log-in step with an error", expect_status=400)
    page.get_by_role("link", name="Telefoon niet bij de hand? Gebruik een herstelcode").click()
    page.get_by_label("Herstelcode").fill(codes[0])
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{base}{reverse('common:start')}")

    # A member without the app must set it up before anything else.
    page.context.clear_cookies()
    _password_step(page, base, OPSTELLER)
    page.get_by_role("heading", name="Tweestapsverificatie instellen").wait_for()
    _check(audit, "set-up required by the organisation")
    page.goto(base + reverse("personas:list"))
    page.get_by_role("heading", name="Tweestapsverificatie instellen").wait_for()

    audit.assert_clean(tmp_path)


def test_audit_log_export_and_deletion_pages(
    demo: None, page: Page, live_server, tmp_path: Path
) -> None:
    base = live_server.url
    audit = PageAudit(page, base)
    log_in(page, base, BEHEERDER, DEMO_PASSWORD)
    school = Organisation.objects.get(name="SBO De Regenboog")

    # The log has the log-in and the pages just seen; filters with an error are explained.
    audit.visit(base + reverse("organisations:overview"))
    page.get_by_role("link", name="Logboek: wie deed wat?").click()
    page.get_by_role("heading", name="Logboek").wait_for()
    _check(audit, "audit log")
    assert AuditEvent.objects.filter(organisation_id=school.pk, action="logged_in").exists()
    page.get_by_label("Vanaf").fill("2026-09-30")
    page.get_by_label("Tot en met").fill("2026-09-01")
    page.get_by_role("button", name="Filteren").click()
    page.get_by_text("Deze datum ligt vóór de datum bij Vanaf.", exact=True).wait_for()
    _check(audit, "audit log with a wrong period", expect_status=400)

    # Export page; the download is a real ZIP.
    audit.visit(base + reverse("organisations:data_export"))
    with page.expect_download() as download:
        page.get_by_role("button", name="Alle gegevens downloaden").click()
    assert download.value.suggested_filename.endswith(".zip")

    # Deleting: a wrong name is refused at the field; the right one deletes.
    audit.visit(base + reverse("organisations:delete"))
    page.get_by_label("Naam van de organisatie").fill("Een andere school")
    page.get_by_label("Jouw wachtwoord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Organisatie definitief verwijderen").click()
    page.wait_for_load_state()
    _check(audit, "deletion with a wrong name", expect_status=400)
    assert Organisation.objects.filter(pk=school.pk).exists()
    page.get_by_label("Naam van de organisatie").fill(school.name)
    page.get_by_label("Jouw wachtwoord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Organisatie definitief verwijderen").click()
    page.wait_for_load_state()
    _check(audit, "organisation deleted")
    assert not Organisation.objects.filter(pk=school.pk).exists()

    audit.assert_clean(tmp_path)
