"""What every page must pass: axe-core (WCAG 2.1 A/AA) and the Nu HTML validator."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlparse

from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from playwright.sync_api import Page

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
_axe = Axe()


def axe_violations(page: Page) -> list[str]:
    """The WCAG 2.1 A/AA violations on the page, one readable line each."""
    results = _axe.run(
        page,
        options={"runOnly": {"type": "tag", "values": WCAG_21_AA}, "resultTypes": ["violations"]},
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']]}"
        for v in results.response["violations"]
    ]


def _vnu_jar() -> Path:
    # `make test` fetches the checker (scripts/fetch-vnu) and sets VNU_JAR.
    found = sorted(Path(settings.BASE_DIR).glob(".cache/vnu-*/vnu.jar"))
    jar = Path(os.environ.get("VNU_JAR") or (found[-1] if found else ".cache/vnu.jar"))
    assert jar.is_file(), f"The Nu HTML Checker is missing at {jar}: run `make test`."
    return jar


def html_errors(documents: dict[str, str], workdir: Path) -> list[str]:
    """Validate HTML documents (url -> source) with the Nu HTML Checker in one Java run."""
    if not documents:
        return []
    java = shutil.which("java")
    assert java, "Java is missing: `make test` installs Debian's default-jre-headless."
    files = {}
    for index, (url, html) in enumerate(documents.items()):
        path = workdir / f"page-{index}.html"
        path.write_text(html, encoding="utf-8")
        files[path.name] = url
    result = subprocess.run(
        [
            java,
            "-jar",
            str(_vnu_jar()),
            "--errors-only",
            "--format",
            "json",
            *map(str, workdir.glob("page-*.html")),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    except json.JSONDecodeError as error:
        raise AssertionError(f"The HTML checker failed: {result.stderr[:2000]}") from error
    return [
        f"{files.get(Path(urlparse(m.get('url', '')).path).name)} line {m.get('lastLine')}: "
        f"{m['message']}"
        for m in messages
        if m.get("type") == "error"
    ]


def horizontal_overflow(page: Page) -> int:
    """How many CSS pixels the page is wider than the viewport (0 when it reflows)."""
    return int(
        page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    )


def log_in(page: Page, base_url: str, email: str, password: str) -> None:
    page.goto(f"{base_url}/inloggen/")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{base_url}/start/")
