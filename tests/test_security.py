"""Security basics: headers, CSRF, `check --deploy`, no inline script or style."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from zio.organisations.models import Membership

from .urlwalk import all_routes, is_admin

ROOT = Path(settings.BASE_DIR)


@pytest.mark.django_db
def test_security_headers_on_a_page(client: Client) -> None:
    response = client.get(reverse("accounts:login"), secure=True)
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "max-age=31536000" in response["Strict-Transport-Security"]


def test_deploy_check_is_clean_with_production_settings(tmp_path: Path) -> None:
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "false",
        "SECRET_KEY": "x" * 30 + "production-like-secret-key-0123456789",
        "ALLOWED_HOSTS": "zio.example.nl",
        "PUPIL_CODE_KEY": "production-like-pupil-code-key-0123456789",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key() -> None:
    env = {"PATH": os.environ["PATH"], "DEBUG": "false", "SECRET_KEY": ""}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_sessions_expire_after_inactivity() -> None:
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_COOKIE_AGE <= 8 * 60 * 60
    assert settings.SESSION_COOKIE_HTTPONLY is True


@pytest.mark.parametrize(
    "route", [r for r in all_routes() if not is_admin(r) and not r.kwargs], ids=str
)
def test_every_post_without_csrf_token_is_refused(
    route, beheerder: Membership, client_for: Callable
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(beheerder.user, backend="django.contrib.auth.backends.ModelBackend")
    response = client.post(reverse(route.name), {"role": "meelezer"})
    if route.name.startswith("api:v1:") and response.status_code == 401:
        # The JSON API ignores the session (token only, so no CSRF): refused as unauthenticated.
        assert "detail" in response.json()
        return
    assert response.status_code in {403, 405}, f"POST {route} without CSRF token was accepted"
    if response.status_code == 403:
        assert "Het formulier is verlopen" in response.content.decode()


def test_object_urls_refuse_posts_without_csrf_token(
    beheerder: Membership, opsteller: Membership
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(beheerder.user, backend="django.contrib.auth.backends.ModelBackend")
    for name in ("organisations:membership_role", "organisations:membership_remove"):
        response = client.post(reverse(name, args=[opsteller.pk]), {"role": "meelezer"})
        assert response.status_code == 403
    opsteller.refresh_from_db()
    assert Membership.objects.filter(pk=opsteller.pk, role="opsteller").exists()


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
INLINE_STYLE = re.compile(r"(<style\b|\sstyle\s*=)", re.IGNORECASE)


def test_templates_have_no_inline_script_or_style() -> None:
    # Our CSP allows scripts and styles only from our own files; inline ones would be blocked.
    offenders = []
    for template in (ROOT / "zio").rglob("templates/**/*.html"):
        text = template.read_text()
        for pattern in (INLINE_SCRIPT, INLINE_HANDLER, INLINE_STYLE):
            if pattern.search(text):
                offenders.append(f"{template.relative_to(ROOT)}: {pattern.pattern}")
    assert offenders == []
