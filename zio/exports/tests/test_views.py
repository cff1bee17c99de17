"""The export page, downloads and the JSON import, through the web."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from zio.exports.models import ExportJob
from zio.exports.tests.factories import filled_persona
from zio.organisations.models import Membership, Organisation
from zio.personas.models import Persona

pytestmark = pytest.mark.django_db


def test_the_page_offers_every_persona_and_ticks_the_one_asked_for(
    meelezer: Membership, client_for: Callable[..., Client]
) -> None:
    esra = filled_persona(meelezer.organisation, name="Esra")
    noor = filled_persona(meelezer.organisation, name="Noor")
    client = client_for(meelezer.user)
    page = client.get(reverse("exports:overview")).content.decode()
    assert page.count('name="personas"') == 2
    assert page.count("checked") >= 2 + 2  # both persona's, one audience, one format
    page = client.get(reverse("exports:overview"), {"persona": noor.pk}).content.decode()
    ticked = re.findall(r'<input type="checkbox" name="personas" value="(\d+)"[^>]* checked', page)
    assert ticked == [str(noor.pk)], esra.pk
    # Meelezers may take persona's along, but not import them.
    assert reverse("exports:import") not in page


def test_without_personas_the_page_points_to_step_three(
    meelezer: Membership, client_for: Callable[..., Client]
) -> None:
    page = client_for(meelezer.user).get(reverse("exports:overview")).content.decode()
    assert "Naar stap 3: Persona" in page


def test_an_excel_export_downloads_at_once(
    meelezer: Membership, client_for: Callable[..., Client]
) -> None:
    esra = filled_persona(meelezer.organisation)
    response = client_for(meelezer.user).post(
        reverse("exports:export"),
        {"personas": [esra.pk], "audience": "partners", "format": "xlsx"},
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="xlsx-esra-')
    assert response["Cache-Control"] == "private, no-store"
    assert response.content[:2] == b"PK"


def test_a_pdf_export_goes_through_a_page_with_the_download(
    meelezer: Membership, client_for: Callable[..., Client]
) -> None:
    esra = filled_persona(meelezer.organisation)
    client = client_for(meelezer.user)
    response = client.post(
        reverse("exports:export"),
        {"personas": [esra.pk], "audience": "ouders", "format": "waaier"},
    )
    job = ExportJob.objects.get()
    assert response["Location"] == reverse("exports:job", args=[job.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Het bestand is klaar." in page
    assert "voor: Ouders" in page
    download = client.get(reverse("exports:download", args=[job.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download.content.startswith(b"%PDF")


def test_bad_choices_get_dutch_messages_and_make_nothing(
    meelezer: Membership,
    other_organisation: Organisation,
    client_for: Callable[..., Client],
) -> None:
    filled_persona(meelezer.organisation)
    theirs = filled_persona(other_organisation, name="Geheim")
    client = client_for(meelezer.user)
    response = client.post(reverse("exports:export"), {"audience": "x", "format": "exe"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Kies minstens één persona." in page
    assert "Kies voor wie het is uit de lijst." in page
    assert "Kies een formaat uit de lijst." in page
    response = client.post(
        reverse("exports:export"),
        {"personas": [theirs.pk], "audience": "intern", "format": "json"},
    )
    assert response.status_code == 400
    assert "Kies persona&#x27;s uit de lijst." in response.content.decode()
    assert theirs.name not in response.content.decode()
    assert not ExportJob.objects.exists()


def test_another_organisations_export_cannot_be_seen_or_downloaded(
    opsteller: Membership,
    other_organisation: Organisation,
    make_member: Callable[..., Membership],
    client_for: Callable[..., Client],
) -> None:
    esra = filled_persona(opsteller.organisation)
    client_for(opsteller.user).post(
        reverse("exports:export"),
        {"personas": [esra.pk], "audience": "intern", "format": "blad"},
    )
    job = ExportJob.objects.get()
    outsider = client_for(make_member(other_organisation).user)
    assert outsider.get(reverse("exports:job", args=[job.pk])).status_code == 404
    assert outsider.get(reverse("exports:download", args=[job.pk])).status_code == 404


def test_importing_a_persona_file_makes_a_concept_persona(
    opsteller: Membership,
    other_organisation: Organisation,
    make_member: Callable[..., Membership],
    client_for: Callable[..., Client],
) -> None:
    esra = filled_persona(other_organisation)
    exported = client_for(make_member(other_organisation).user).post(
        reverse("exports:export"),
        {"personas": [esra.pk], "audience": "intern", "format": "json"},
    )
    client = client_for(opsteller.user)
    upload = SimpleUploadedFile("esra.json", exported.content, "application/json")
    response = client.post(reverse("exports:import"), {"file": upload})
    copy = Persona.objects.get(organisation=opsteller.organisation)
    assert response["Location"] == reverse("personas:detail", args=[copy.pk])
    assert copy.name == esra.name
    assert copy.items.count() == esra.items.count()


def test_a_bad_persona_file_is_refused_with_the_place_of_each_problem(
    opsteller: Membership, client_for: Callable[..., Client]
) -> None:
    data = {"format": "zio-persona", "version": "1.0", "persona": {"name": ""}}
    upload = SimpleUploadedFile("kapot.json", json.dumps(data).encode(), "application/json")
    response = client_for(opsteller.user).post(reverse("exports:import"), {"file": upload})
    page = response.content.decode()
    assert response.status_code == 400
    assert "niet geïmporteerd" in page
    assert "<code>persona" in page
    assert not Persona.objects.exists()


def test_meelezers_cannot_import(meelezer: Membership, client_for: Callable[..., Client]) -> None:
    assert client_for(meelezer.user).get(reverse("exports:import")).status_code == 403
