from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from zio.grouping.models import GroupingRun, RunStatus
from zio.grouping.tests.test_services import import_screening, run_now
from zio.organisations.models import Membership, Organisation
from zio.personas.models import Persona

pytestmark = pytest.mark.django_db


def test_overview_without_screening_points_to_step_one(
    opsteller: Membership, client_for: Callable[..., Client]
) -> None:
    page = client_for(opsteller.user).get(reverse("grouping:overview")).content.decode()
    assert "Naar stap 1: Populatie" in page


def test_start_shows_the_groups(
    opsteller: Membership,
    client_for: Callable[..., Client],
    django_capture_on_commit_callbacks,
) -> None:
    screening = import_screening(opsteller.organisation)
    client = client_for(opsteller.user)
    assert "Groepen laten voorstellen" in client.get(reverse("grouping:overview")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("grouping:start"), {"screenings": [screening.pk], "k": "auto"}
        )
    run = GroupingRun.objects.get()
    assert response["Location"] == reverse("grouping:run", args=[run.pk])
    assert run.status == RunStatus.DONE
    page = client.get(response["Location"]).content.decode()
    assert "Hoe zeker zijn de groepen?" in page
    assert "van deze groep heeft" in page
    assert "Maak hier een persona van" in page


def test_a_too_small_screening_is_explained(
    opsteller: Membership, client_for: Callable[..., Client]
) -> None:
    screening = import_screening(opsteller.organisation, pupils=8)
    client = client_for(opsteller.user)
    assert (
        "te weinig leerlingen om te groeperen"
        in client.get(reverse("grouping:overview")).content.decode()
    )
    response = client.post(reverse("grouping:start"), {"screenings": [screening.pk], "k": "auto"})
    assert response.status_code == 400
    assert "minder dan 10 leerlingen" in response.content.decode()
    assert not GroupingRun.objects.exists()


def test_merge_and_persona_draft_through_the_page(
    opsteller: Membership, client_for: Callable[..., Client]
) -> None:
    run = run_now(opsteller.organisation, [import_screening(opsteller.organisation, groups=3)], k=3)
    one, two, _three = run.groups.order_by("number")
    client = client_for(opsteller.user)
    client.post(reverse("grouping:merge", args=[run.pk]), {"keep": one.pk, "absorb": two.pk})
    two.refresh_from_db()
    assert two.merged_into_id == one.pk
    response = client.post(reverse("grouping:persona_draft", args=[run.pk, one.pk]))
    persona = Persona.objects.get(source_group=one)
    assert response["Location"] == reverse("personas:detail", args=[persona.pk])
    detail = client.get(response["Location"]).content.decode()
    assert f"groep {one.number}" in detail.lower()


def test_meelezer_reads_but_cannot_change(
    meelezer: Membership, client_for: Callable[..., Client]
) -> None:
    run = run_now(meelezer.organisation, [import_screening(meelezer.organisation)])
    group = run.groups.first()
    assert group is not None
    client = client_for(meelezer.user)
    page = client.get(reverse("grouping:run", args=[run.pk])).content.decode()
    assert "Maak hier een persona van" not in page
    for url in (
        reverse("grouping:persona_draft", args=[run.pk, group.pk]),
        reverse("grouping:group_rename", args=[run.pk, group.pk]),
        reverse("grouping:merge", args=[run.pk]),
        reverse("grouping:rerun", args=[run.pk]),
        reverse("grouping:start"),
    ):
        assert client.post(url, {"title": "x"}).status_code == 403, url
    assert not Persona.objects.exists()


def test_another_organisation_gets_not_found(
    opsteller: Membership,
    other_organisation: Organisation,
    make_member: Callable,
    client_for: Callable[..., Client],
) -> None:
    run = run_now(opsteller.organisation, [import_screening(opsteller.organisation)])
    stranger = client_for(make_member(other_organisation).user)
    assert stranger.get(reverse("grouping:run", args=[run.pk])).status_code == 404


def test_progress_polling_refreshes_when_done(
    opsteller: Membership, client_for: Callable[..., Client]
) -> None:
    run = run_now(opsteller.organisation, [import_screening(opsteller.organisation)])
    response = client_for(opsteller.user).get(
        reverse("grouping:run", args=[run.pk]) + "?voortgang=1", headers={"HX-Request": "true"}
    )
    assert response.status_code == 204
    assert response["HX-Refresh"] == "true"


def test_a_run_whose_screening_was_deleted_says_why_instead_of_failing(
    opsteller: Membership, client_for: Callable[..., Client]
) -> None:
    from zio.screening.services import screening_delete

    first = import_screening(opsteller.organisation, seed=1)
    run = run_now(opsteller.organisation, [first])
    screening_delete(screening=first)
    response = client_for(opsteller.user).get(reverse("grouping:run", args=[run.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Een screening van deze groepering is verwijderd" in page
    assert "Maak hier een persona van" not in page
