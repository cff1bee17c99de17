"""Every kind of bad file, uploaded through the web page: a clear Dutch message, no server
error, and the database exactly as it was."""

from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from zio.organisations.models import Membership
from zio.screening import services
from zio.screening.models import ImportStatus, Screening, ScreeningImport
from zio.screening.spec import Limits
from zio.screening.tests.badfiles import BAD_FILES, LIMITED_BAD_FILES, SPEC

pytestmark = pytest.mark.django_db

CASES = [(name, f, d, k, Limits()) for name, (f, d, k) in BAD_FILES.items()] + [
    (name, f, d, k, limits) for name, (f, d, k, limits) in LIMITED_BAD_FILES.items()
]


def test_there_are_at_least_25_kinds_of_bad_files() -> None:
    assert len({kind for *_, kind, _ in CASES}) >= 25


@pytest.mark.parametrize(
    ("name", "filename", "data", "kind", "limits"), CASES, ids=[c[0] for c in CASES]
)
def test_bad_file_through_the_page(
    name: str,
    filename: str,
    data: bytes,
    kind: str,
    limits: Limits,
    opsteller: Membership,
    client_for: Callable[..., Client],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(services, "screening_spec", lambda organisation, scale="janee": SPEC)
    monkeypatch.setattr(services, "screening_limits", lambda: limits)
    client = client_for(opsteller.user)
    response = client.post(
        reverse("screening:upload"),
        {"school_year": "2026-2027", "file": SimpleUploadedFile(filename, data)},
        follow=True,
    )
    page = response.content.decode()
    if not data:
        # An empty upload is already refused by the form, before any import starts.
        assert response.status_code == 400
        assert "Dit bestand is leeg" in page
        assert not ScreeningImport.objects.exists()
        assert not Screening.objects.exists()
        return
    assert response.status_code == 200, name
    job = ScreeningImport.objects.get()
    assert job.status == ImportStatus.FAILED
    assert kind in {p["kind"] for p in job.problems}
    wanted = next(p for p in job.problems if p["kind"] == kind)
    assert escape(wanted["message"][:40]) in page
    assert "Het bestand is niet opgeslagen" in page
    assert not Screening.objects.exists()
