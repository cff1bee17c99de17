"""Every page, as every role: zero axe-core violations (WCAG 2.1 A/AA), valid HTML,
no console errors (so no Content-Security-Policy violations), and no sideways scrolling at
320 px (which is also what 400% zoom of a 1280 px window gives)."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urldefrag, urlparse

import pytest
from django.urls import reverse
from playwright.sync_api import Page

from zio.accounts.tests.factories import UserFactory
from zio.demo.content import DEMO_PASSWORD
from zio.organisations.constants import Role
from zio.organisations.models import Membership, Organisation
from zio.organisations.services import invitation_create

from .checks import axe_violations, horizontal_overflow, html_errors, log_in

# (e-mail, organisation to work in) — one demo user per role, the last one in two organisations.
VISITORS = [
    ("schoolleider@regenboog.example", None),  # beheerder
    ("ib@regenboog.example", None),  # opsteller
    ("beleid@rijnvliet.example", "SBO De Regenboog"),  # meelezer there, beheerder elsewhere
]
# The API's schema is JSON for programs, not a page (the docs page links it).
NOT_CRAWLED = ("/static/", "/platformbeheer/", "/i18n/", "/api/v1/openapi.json")


def _shape(url: str) -> str:
    parsed = urlparse(url)
    return re.sub(r"\d+", "N", parsed.path) + ("?" + parsed.query if parsed.query else "")


class PageAudit:
    """Visits pages and collects every problem, so that one run reports them all."""

    def __init__(self, page: Page, base_url: str) -> None:
        self.page = page
        self.base_url = base_url
        self.documents: dict[str, str] = {}
        self.problems: list[str] = []

    def visit(self, url: str, expect_status: int = 200) -> None:
        response = self.page.goto(url)
        assert response is not None
        if response.status != expect_status:
            self.problems.append(f"{url}: status {response.status}, expected {expect_status}")
        self.documents[f"{url} ({len(self.documents)})"] = response.text()
        self.check_current(url, expect_status)

    def check_current(self, label: str, expect_status: int = 200) -> None:
        for violation in axe_violations(self.page):
            self.problems.append(f"{label}: axe {violation}")
        # The browser logs an error status of the page itself; that one was expected.
        expected_log = f"the server responded with a status of {expect_status}"
        for error in self.page.console_errors:  # type: ignore[attr-defined]
            if expected_log not in error:
                self.problems.append(f"{label}: console error {error}")
        self.page.console_errors.clear()  # type: ignore[attr-defined]
        self.page.set_viewport_size({"width": 320, "height": 800})
        overflow = horizontal_overflow(self.page)
        if overflow > 0:
            self.problems.append(f"{label}: {overflow}px sideways scrolling at 320px width")
        self.page.set_viewport_size({"width": 1280, "height": 900})

    def links(self) -> list[str]:
        # Downloads (a[download]) are files, not pages.
        hrefs = self.page.eval_on_selector_all(
            "a[href]:not([download])", "els => els.map(e => e.href)"
        )
        found = []
        for href in hrefs:
            url = urldefrag(href).url
            parsed = urlparse(url)
            if f"{parsed.scheme}://{parsed.netloc}" != self.base_url:
                continue
            if parsed.path.startswith(NOT_CRAWLED):
                continue
            found.append(url)
        return found

    def crawl(self, start: str, limit: int = 60) -> list[str]:
        """Visit every page reachable from `start`, one of each kind: URLs that differ only in
        their numbers (/personas/1/ and /personas/2/) are the same template with other data."""
        queue, seen, shapes = [start], {start}, {_shape(start)}
        while queue:
            url = queue.pop(0)
            self.visit(url)
            for link in self.links():
                if _shape(link) not in shapes and len(seen) < limit:
                    seen.add(link)
                    shapes.add(_shape(link))
                    queue.append(link)
        return sorted(seen)

    def assert_clean(self, workdir: Path) -> None:
        problems = self.problems + html_errors(self.documents, workdir)
        assert problems == [], "\n".join(problems)


@pytest.mark.parametrize(("email", "organisation"), VISITORS, ids=[v[0] for v in VISITORS])
def test_every_reachable_page_passes_for_this_role(
    demo: None, page: Page, live_server, email: str, organisation: str | None, tmp_path: Path
) -> None:
    audit = PageAudit(page, live_server.url)
    log_in(page, live_server.url, email, DEMO_PASSWORD)
    if organisation:
        page.get_by_label("Organisatie").select_option(label=organisation)
        page.get_by_role("button", name="Wissel organisatie").click()
        page.get_by_text(f"Je werkt nu in {organisation}").wait_for()
    visited = audit.crawl(f"{live_server.url}{reverse('common:start')}")
    # The crawl must reach every step of the method and the organisation pages.
    for name in (
        "screening:overview",
        "grouping:overview",
        "personas:list",
        "exports:overview",
        "workshops:actions",
        "workshops:list",
        "workshops:route",
        "regions:list",
        "library:list",
        "organisations:overview",
        "organisations:members",
        "api:tokens",
        "api:docs",
        "accounts:two_factor",
        *(
            ("audit:log", "organisations:data_export", "organisations:delete")
            if email == "schoolleider@regenboog.example"
            else ()
        ),
    ):
        assert f"{live_server.url}{reverse(name)}" in visited, f"{name} not reachable"
    assert any("/personas/" in url and url.rstrip("/")[-1].isdigit() for url in visited)
    # The demo persona is shared with the demo region: its overview is reached too.
    assert any("/regio/" in url and url.rstrip("/")[-1].isdigit() for url in visited)
    # The demo persona is published in the library: its page is reached too.
    assert any("/bibliotheek/" in url and url.rstrip("/")[-1].isdigit() for url in visited)
    audit.assert_clean(tmp_path)


def test_pages_outside_the_navigation_pass(
    demo: None, page: Page, live_server, tmp_path: Path
) -> None:
    base = live_server.url
    audit = PageAudit(page, base)
    school = Organisation.objects.get(name="SBO De Regenboog")
    beheerder = Membership.objects.filter(organisation=school, role=Role.BEHEERDER).first()
    assert beheerder is not None
    _, token = invitation_create(
        organisation=school, role=Role.OPSTELLER, created_by=beheerder.user
    )

    # Anonymous pages
    for name in ("accounts:login", "accounts:password_reset", "accounts:password_reset_done"):
        audit.visit(base + reverse(name))
    audit.visit(base + reverse("accounts:password_reset_confirm", args=["MQ", "fout"]))
    audit.visit(base + reverse("organisations:invitation_accept", args=[token]))
    audit.visit(base + reverse("organisations:deleted"))
    audit.visit(base + "/bestaat-niet/", expect_status=404)

    # A wrong password and a form with errors
    page.goto(base + reverse("accounts:login"))
    page.get_by_label("E-mailadres").fill("schoolleider@regenboog.example")
    page.get_by_label("Wachtwoord").fill("verkeerd")
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_text("klopt niet").wait_for()
    audit.check_current("login with wrong password")

    # A logged-in user without an organisation
    UserFactory.create(email="zonder@organisatie.example")
    log_in_without_start(page, base, "zonder@organisatie.example")
    page.console_errors.clear()  # type: ignore[attr-defined]
    audit.visit(base + reverse("common:start"), expect_status=403)
    page.context.clear_cookies()

    # A meelezer asking for a beheerder page; an invitation that was already revoked
    log_in(page, base, "ib@regenboog.example", DEMO_PASSWORD)
    audit.visit(
        base + reverse("organisations:membership_remove", args=[beheerder.pk]), expect_status=403
    )
    audit.visit(base + reverse("accounts:password_change"))
    page.context.clear_cookies()

    # The beheerder makes an invitation link and sees it once
    log_in(page, base, "schoolleider@regenboog.example", DEMO_PASSWORD)
    page.goto(base + reverse("organisations:members"))
    page.get_by_role("button", name="Maak uitnodigingslink").click()
    page.get_by_text("Uitnodigingslink gemaakt").wait_for()
    audit.check_current("members page with a new invitation link")
    page.get_by_label("E-mailadres (optioneel)").fill("geen adres")
    page.get_by_role("button", name="Maak uitnodigingslink").click()
    page.get_by_text("Er is iets niet goed ingevuld").wait_for()
    audit.check_current("invitation form with an error", expect_status=400)

    # An API token is made and its secret shown once; a nameless one is refused
    page.goto(base + reverse("api:tokens"))
    page.get_by_label("Naam").fill("Rapportage")
    page.get_by_role("button", name="Maak sleutel").click()
    page.get_by_text("Sleutel gemaakt").wait_for()
    audit.check_current("API tokens with a new secret")
    page.get_by_role("button", name="Maak sleutel").click()
    page.get_by_text("Er is iets niet goed ingevuld").wait_for()
    audit.check_current("API token form with an error", expect_status=400)

    audit.assert_clean(tmp_path)


def log_in_without_start(page: Page, base: str, email: str) -> None:
    from zio.accounts.tests.factories import PASSWORD

    page.goto(f"{base}/inloggen/")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_load_state()


def test_platform_admin_pages_pass(demo: None, page: Page, live_server, tmp_path: Path) -> None:
    from zio.accounts.models import User
    from zio.library.models import Publication

    User.objects.create_superuser(email="platform@zio.example", password=DEMO_PASSWORD)
    base = live_server.url
    audit = PageAudit(page, base)
    page.goto(base + reverse("admin:login"))
    audit.check_current("admin login")
    page.get_by_label("E-mailadres").fill("platform@zio.example")
    page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    page.get_by_role("button").last.click()
    page.wait_for_url(base + reverse("admin:index"))
    school = Organisation.objects.get(name="SBO De Regenboog")
    for url in (
        reverse("admin:index"),
        reverse("admin:organisations_organisation_changelist"),
        reverse("admin:organisations_organisation_change", args=[school.pk]),
        reverse("admin:accounts_user_add"),
        reverse("admin:personas_persona_changelist"),
        # Platform staff moderate the library without being a member anywhere.
        reverse("library:list"),
        reverse("library:detail", args=[Publication.objects.get().pk]),
    ):
        audit.visit(base + url)
    audit.assert_clean(tmp_path)
