"""The main tasks work by keyboard alone, and htmx updates happen without a page reload."""

from __future__ import annotations

from django.urls import reverse
from playwright.sync_api import Page, expect

from zio.demo.content import DEMO_PASSWORD
from zio.organisations.constants import Role
from zio.organisations.models import Membership

from .checks import log_in


def test_log_in_with_the_keyboard_only(demo: None, page: Page, live_server) -> None:
    page.goto(live_server.url + reverse("accounts:login"))
    # The e-mail field has focus when the page opens.
    page.keyboard.type("ib@regenboog.example")
    page.keyboard.press("Tab")
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + reverse("common:start"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("SBO De Regenboog")


def test_skip_link_is_first_and_moves_focus_to_the_content(
    demo: None, page: Page, live_server
) -> None:
    log_in(page, live_server.url, "ib@regenboog.example", DEMO_PASSWORD)
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Direct naar de inhoud"
    # Visible when focused (not only for screen readers).
    box = page.locator(".skip-link").bounding_box()
    assert box is not None and box["y"] >= 0
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "inhoud"


def test_every_control_shows_a_visible_focus_indicator(demo: None, page: Page, live_server) -> None:
    log_in(page, live_server.url, "schoolleider@regenboog.example", DEMO_PASSWORD)
    page.goto(live_server.url + reverse("organisations:members"))
    without_indicator = []
    for _ in range(25):
        page.keyboard.press("Tab")
        style = page.evaluate(
            """() => { const s = getComputedStyle(document.activeElement);
                 return [document.activeElement.tagName, s.outlineStyle, s.boxShadow]; }"""
        )
        tag, outline, shadow = style
        if tag == "BODY":
            break
        if outline == "none" and shadow == "none":
            without_indicator.append(tag)
    assert without_indicator == []


def test_beheerder_changes_a_role_by_keyboard_without_reload(
    demo: None, page: Page, live_server
) -> None:
    log_in(page, live_server.url, "schoolleider@regenboog.example", DEMO_PASSWORD)
    page.goto(live_server.url + reverse("organisations:members"))
    page.evaluate("window.__notReloaded = true")
    membership = Membership.objects.get(user__email="ib@regenboog.example")
    select = page.get_by_label("Rol van Joost de Vries")
    select.focus()
    select.select_option(Role.MEELEZER.value)
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    row = page.locator(f"#lid-{membership.pk}")
    expect(row.get_by_role("status")).to_have_text("Opgeslagen")
    assert page.evaluate("window.__notReloaded") is True
    membership.refresh_from_db()
    assert membership.role == Role.MEELEZER
    assert page.console_errors == []  # type: ignore[attr-defined]


def test_invitation_link_can_be_copied(demo: None, page: Page, live_server) -> None:
    log_in(page, live_server.url, "schoolleider@regenboog.example", DEMO_PASSWORD)
    page.goto(live_server.url + reverse("organisations:members"))
    page.get_by_role("button", name="Maak uitnodigingslink").click()
    link = page.get_by_role("textbox", name="Uitnodigingslink").input_value()
    assert "/uitnodiging/" in link
    copy = page.get_by_role("button", name="Kopieer link")
    expect(copy).to_be_visible()
    copy.click()
    expect(page.locator("#invitation-link-status")).to_have_text("Gekopieerd")


def test_the_second_log_in_step_works_with_the_keyboard_only(
    demo: None, page: Page, live_server
) -> None:
    from django_otp.oath import totp

    from zio.accounts import services as account_services
    from zio.accounts.models import User

    user = User.objects.get(email="ib@regenboog.example")
    device = account_services.two_factor_setup_start(user=user)
    account_services.two_factor_confirm(user=user, device=device)
    device.refresh_from_db()

    page.goto(live_server.url + reverse("accounts:login"))
    page.keyboard.type("ib@regenboog.example")
    page.keyboard.press("Tab")
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{reverse('accounts:two_factor_login')}**")
    # The code field has focus when the page opens.
    code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    page.keyboard.type(f"{code:06d}")
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + reverse("common:start"))
