"""Dutch first, English second: the language switch changes every text and the lang attribute."""

from __future__ import annotations

from django.urls import reverse
from playwright.sync_api import Page, expect

from zio.demo.content import DEMO_PASSWORD

from .checks import axe_violations, log_in


def test_switch_to_english_and_back(demo: None, page: Page, live_server) -> None:
    log_in(page, live_server.url, "ib@regenboog.example", DEMO_PASSWORD)
    assert page.locator("html").get_attribute("lang") == "nl"
    page.get_by_label("Taal").select_option("en")
    page.get_by_role("button", name="Kies taal").click()
    page.wait_for_url(live_server.url + reverse("common:start"))
    assert page.locator("html").get_attribute("lang") == "en"
    nav = page.get_by_role("navigation", name="Steps of the method")
    expect(nav).to_contain_text("Population")
    expect(nav).to_contain_text("Conversation")
    assert axe_violations(page) == []
    page.get_by_label("Language").select_option("nl")
    page.get_by_role("button", name="Choose language").click()
    expect(page.get_by_role("navigation", name="Stappen van de methode")).to_contain_text(
        "Populatie"
    )
