"""Fixtures for the API tests: a client that sends a token, and an organisation with one of
everything the API shows."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from zio.api import services
from zio.costs.constants import ScenarioKind
from zio.costs.models import CostLine, Scenario
from zio.costs.tests.factories import CostLineFactory, TariffFactory
from zio.organisations.models import Membership, Organisation
from zio.organisations.tests.factories import RegionFactory
from zio.personas import services as persona_services
from zio.personas.constants import Section
from zio.personas.models import Persona


@dataclass
class ApiAnswer:
    status: int
    body: Any
    text: str
    headers: Any


class ApiClient:
    """Calls the API in-process with a bearer token (or none)."""

    def __init__(self, token: str | None) -> None:
        self.token = token
        self.client = Client()

    def call(self, method: str, path: str, body: Any = None, **query: Any) -> ApiAnswer:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        kwargs: dict[str, Any] = {"headers": headers}
        if body is not None:
            kwargs["data"] = json.dumps(body)
            kwargs["content_type"] = "application/json"
        elif query:
            kwargs["data"] = query
        response = getattr(self.client, method.lower())(path, **kwargs)
        text = response.content.decode()
        try:
            parsed = json.loads(text) if text else None
        except json.JSONDecodeError:
            parsed = None
        return ApiAnswer(response.status_code, parsed, text, response)

    def get(self, path: str, **query: Any) -> ApiAnswer:
        return self.call("get", path, **query)


@pytest.fixture
def api_for() -> Callable[[Membership], ApiClient]:
    """A client with a fresh token for this membership."""

    def make(membership: Membership) -> ApiClient:
        _token, secret = services.api_token_create(
            user=membership.user, organisation=membership.organisation, name="Test"
        )
        return ApiClient(secret)

    return make


@dataclass
class World:
    organisation: Organisation
    persona: Persona
    scenario: Scenario
    line: CostLine
    samples: dict[str, Any]


def make_world(organisation: Organisation, marker: str, author: Membership) -> World:
    """A persona with lines and costs, a region with a tariff, a screening, a grouping run and
    a doen-sessie with an action, all named with `marker`."""
    from zio.grouping import services as grouping_services
    from zio.screening import services as screening_services
    from zio.screening.tests.helpers import population_csv
    from zio.workshops import services as workshop_services
    from zio.workshops.constants import Round, Starter

    persona = persona_services.persona_create(
        organisation=organisation,
        name=f"{marker}-persona",
        group_size=24,
        age_min=8,
        age_max=11,
        school_types=["sbo"],
        sections={Section.WHO: [f"{marker}-regel"]},
        created_by=author.user,
    )
    region = RegionFactory.create(name=f"{marker}-regio")
    region.organisations.add(organisation)
    tariff = TariffFactory.create(region=region, name=f"{marker}-tarief")
    scenario = persona.scenarios.get(kind=ScenarioKind.CURRENT)
    line = CostLineFactory.create(scenario=scenario, description=f"{marker}-kostenregel")
    job = screening_services.screening_import_start(
        organisation=organisation,
        school_year="2026-2027",
        filename="s.csv",
        data=population_csv(organisation, pupils=30),
        user=author.user,
    )
    assert job.screening is not None
    run = grouping_services.grouping_start(
        organisation=organisation, screenings=[job.screening], user=None, k=2, seed=1
    )
    run = grouping_services.grouping_execute(run_id=run.pk)
    group = run.groups.order_by("number").first()
    assert group is not None
    grouping_services.group_rename(group=group, title=f"{marker}-groep", user=author.user)
    workshop = workshop_services.workshop_create(
        organisation=organisation, user=author.user, title=f"{marker}-sessie"
    )
    table = workshop.tables.get()
    workshop_services.round_start(table=table, user=author.user, round=Round.NEXT_STEPS)
    step = workshop_services.next_step_add(
        table=table,
        participant=workshop.participants.get(),
        starter=Starter.SUPPORT,
        who=f"{marker}-wie",
        what=f"{marker}-wat",
        when="morgen",
    )
    return World(
        organisation=organisation,
        persona=persona,
        scenario=scenario,
        line=line,
        samples={
            "persona_id": persona.pk,
            "scenario_id": scenario.pk,
            "line_id": line.pk,
            "section": Section.WHO.value,
            "tariff_id": tariff.pk,
            "region_id": region.pk,
            "screening_id": job.screening.pk,
            "run_id": run.pk,
            "workshop_id": workshop.pk,
            "action_id": step.action.pk,
        },
    )


@pytest.fixture
def world(organisation: Organisation, beheerder: Membership) -> World:
    return make_world(organisation, "Wereld-A-7Q", beheerder)
