"""Refresh docs/screenshot.png (run by `make screenshot`, not part of the suite)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.urls import reverse
from playwright.sync_api import Page

from zio.demo.content import DEMO_PASSWORD
from zio.demo.services import demo_seed
from zio.personas.models import Persona

from .checks import log_in


def test_take_readme_screenshot(transactional_db: None, page: Page, live_server) -> None:
    demo_seed()
    log_in(page, live_server.url, "schoolleider@regenboog.example", DEMO_PASSWORD)
    persona = Persona.objects.get(name="Noor")
    page.goto(live_server.url + reverse("personas:detail", args=[persona.pk]))
    page.set_viewport_size({"width": 1280, "height": 1000})
    target = Path(settings.BASE_DIR) / "docs" / "screenshot.png"
    page.screenshot(path=str(target))
    assert target.stat().st_size > 10_000
