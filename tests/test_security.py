"""Security basics: headers, CSRF, `check --deploy`, no inline script or style."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from zio.common.middleware import REFRESHED_KEY
from zio.organisations.constants import Role
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
    assert settings.SESSION_COOKIE_AGE <= 8 * 60 * 60
    assert settings.SESSION_REFRESH_SECONDS <= settings.SESSION_COOKIE_AGE / 60
    assert settings.SESSION_COOKIE_HTTPONLY is True


def _session_row(client: Client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


def test_an_inactive_session_ends_and_an_active_one_is_extended(
    meelezer: Membership, client_for: Callable
) -> None:
    client = client_for(meelezer.user)
    assert client.get(reverse("personas:list")).status_code == 200
    first = _session_row(client).expire_date

    # Within the refresh interval the session is not written again.
    assert client.get(reverse("personas:list")).status_code == 200
    assert _session_row(client).expire_date == first

    # After the interval, use moves the expiry on.
    session = client.session
    session[REFRESHED_KEY] = int(time.time()) - settings.SESSION_REFRESH_SECONDS - 1
    session.save()
    Session.objects.filter(session_key=session.session_key).update(
        expire_date=timezone.now() + timedelta(minutes=5)
    )
    assert client.get(reverse("personas:list")).status_code == 200
    extended = _session_row(client).expire_date
    assert extended > timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)

    # A session whose expiry has passed is over: back to the log-in page.
    Session.objects.filter(session_key=session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    response = client.get(reverse("personas:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_an_anonymous_visit_makes_no_session(client: Client, db: None) -> None:
    client.get(reverse("accounts:login"))
    assert not Session.objects.exists()


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


def test_private_files_live_outside_every_web_root_and_only_a_checked_view_serves_them(
    beheerder: Membership, make_member: Callable, client_for: Callable
) -> None:
    """Uploads and made exports are written under PRIVATE_UPLOAD_ROOT: not in a folder that
    WhiteNoise (or nginx, see docs/deployment.md) serves, with no URL of their own; the only
    way to a made file is the download view, which checks the organisation."""
    from zio.exports import services as export_services
    from zio.exports.document import Audience
    from zio.organisations.tests.factories import OrganisationFactory
    from zio.personas.tests.factories import PersonaFactory

    persona = PersonaFactory.create(organisation=beheerder.organisation, name="Geheim-Bestand-7")
    job = export_services.export_start(
        organisation=beheerder.organisation,
        user=beheerder.user,
        format_key="json",
        audience=Audience.INTERNAL,
        persona_ids=[persona.pk],
    )
    path = export_services.export_path(job).resolve()
    assert path.is_file()
    private = Path(settings.PRIVATE_UPLOAD_ROOT).resolve()
    assert private in path.parents
    served = [Path(d).resolve() for d in settings.STATICFILES_DIRS]
    if settings.STATIC_ROOT:
        served.append(Path(settings.STATIC_ROOT).resolve())
    for folder in served:
        assert folder not in path.parents and path not in folder.parents
        assert private != folder and folder not in private.parents
    # No URL reaches the file by its name or place.
    client = client_for(beheerder.user)
    relative = (
        path.relative_to(Path(settings.BASE_DIR).resolve())
        if Path(settings.BASE_DIR).resolve() in path.parents
        else Path("private") / path.name
    )
    for url in (
        f"/{relative}",
        f"/static/{relative}",
        f"/static/../{relative}",
        f"/media/{path.name}",
        f"/{settings.STATIC_URL.strip('/')}/{path.name}",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
    # The checked view serves it to the organisation, and not to another one.
    download = reverse("exports:download", args=[job.pk])
    response = client.get(download)
    assert response.status_code == 200
    body = b"".join(response) if response.streaming else response.content
    assert b"Geheim-Bestand-7" in body
    stranger = make_member(OrganisationFactory.create(), Role.BEHEERDER)
    assert client_for(stranger.user).get(download).status_code == 404
