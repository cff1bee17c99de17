"""No token of organisation B ever reaches organisation A's data through the API.

Every operation in the OpenAPI schema is called with A's ids, as a beheerder of a gemeente
(the role and kind with the most rights), with a valid body: the answer is 404 for an object
of A (and for the lists, only B's own objects), no answer holds A's marker, and A's data is
unchanged. The operations come from the schema, so a new endpoint is covered by itself; a
path parameter or a write without a sample here fails the test.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from zio.api.api import api
from zio.costs.models import CostLine, Tariff
from zio.grouping.models import Group
from zio.organisations.constants import OrganisationKind, Role
from zio.organisations.models import Membership, Organisation
from zio.organisations.tests.factories import OrganisationFactory
from zio.personas.models import Persona, PersonaItem
from zio.workshops.models import Action

from .conftest import ApiClient, World, make_world

pytestmark = pytest.mark.django_db

MARKER = "Marker-A-5R"

# A valid body per write, aimed at organisation A (region_id is filled in from A's samples).
BODIES: dict[str, dict[str, Any]] = {
    "persona_update": {
        "version": 0,
        "name": "Overgenomen",
        "group_size": 12,
        "age_min": 8,
        "age_max": 10,
        "school_types": ["sbo"],
        "avatar": "avatar-01",
        "status": "concept",
    },
    "section_save": {"version": 0, "items": [{"text": "Overgenomen"}]},
    "line_create": {
        "description": "Overgenomen",
        "funding_stream": "ondersteuningsbekostiging",
        "unit": "leerling_jaar",
        "rate": "1.00",
    },
    "line_update": {"description": "Overgenomen"},
    "tariff_create": {
        "region_id": "<region_id>",
        "year": 2026,
        "name": "Overgenomen",
        "funding_stream": "jeugdhulp-collectief",
        "unit": "groep_uur",
        "amount": "1.00",
        "source": "Overgenomen",
        "reference_date": "2026-01-01",
    },
    "tariff_update": {"amount": "1.00"},
    "action_update": {"status": "klaar"},
}


def operations() -> list[tuple[str, str, dict[str, Any]]]:
    schema = api.get_openapi_schema()
    return [
        (method.upper(), path, operation)
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    ]


def _request(
    method: str, path: str, operation: dict[str, Any], samples: dict[str, Any]
) -> tuple[str, Any]:
    names = re.findall(r"{(\w+)}", path)
    missing = [name for name in names if name not in samples]
    assert not missing, f"{method} {path}: add a sample of A's object for {missing}"
    url = path
    for name in names:
        url = url.replace(f"{{{name}}}", str(samples[name]))
    body = None
    if "requestBody" in operation:
        assert operation["operationId"] in BODIES, (
            f"{method} {path}: add a valid body for {operation['operationId']} to BODIES"
        )
        body = {
            key: samples["region_id"] if value == "<region_id>" else value
            for key, value in BODIES[operation["operationId"]].items()
        }
    return url, body


def _id_name_of_list(path: str) -> str:
    """The id parameter of the list's detail path ("/personas" -> "persona_id")."""
    for other in api.get_openapi_schema()["paths"]:
        found = re.fullmatch(re.escape(path) + r"/{(\w+)}(/.*)?", other)
        if found:
            return found.group(1)
    raise AssertionError(f"{path}: no detail path to check the list's ids against")


def _snapshot(org: Organisation) -> tuple[object, ...]:
    return (
        sorted(Persona.objects.filter(organisation=org).values_list("pk", "name", "versions")),
        sorted(PersonaItem.objects.filter(persona__organisation=org).values_list("pk", "text")),
        sorted(
            CostLine.objects.filter(scenario__persona__organisation=org).values_list(
                "pk", "description", "rate"
            )
        ),
        sorted(Tariff.objects.filter(region__organisations=org).values_list("pk", "amount")),
        sorted(Action.objects.filter(organisation=org).values_list("pk", "status")),
        sorted(Group.objects.filter(run__organisation=org).values_list("pk", "title")),
    )


@pytest.fixture
def a_and_b(make_member: Callable) -> tuple[World, Membership, ApiClient, ApiClient]:
    org_a = OrganisationFactory.create(name=f"{MARKER}-organisatie")
    beheerder_a = make_member(org_a, Role.BEHEERDER)
    world_a = make_world(org_a, MARKER, beheerder_a)
    org_b = OrganisationFactory.create(kind=OrganisationKind.GEMEENTE, school_type="")
    beheerder_b = make_member(org_b, Role.BEHEERDER)
    make_world(org_b, "Organisatie-B", beheerder_b)
    from zio.api import services

    _t, secret_a = services.api_token_create(user=beheerder_a.user, organisation=org_a, name="A")
    _t, secret_b = services.api_token_create(user=beheerder_b.user, organisation=org_b, name="B")
    return world_a, beheerder_a, ApiClient(secret_a), ApiClient(secret_b)


def test_every_operation_is_covered() -> None:
    ops = operations()
    assert len(ops) >= 20
    with_body = {op["operationId"] for _m, _p, op in ops if "requestBody" in op}
    assert with_body == set(BODIES), "BODIES must match the writes of the schema exactly"


@pytest.mark.parametrize(
    ("method", "path", "operation"), operations(), ids=[f"{m} {p}" for m, p, _o in operations()]
)
def test_a_token_of_b_never_reaches_a(
    a_and_b: tuple[World, Membership, ApiClient, ApiClient],
    method: str,
    path: str,
    operation: dict[str, Any],
) -> None:
    world_a, _beheerder_a, _client_a, client_b = a_and_b
    url, body = _request(method, path, operation, world_a.samples)
    before = _snapshot(world_a.organisation)
    answer = client_b.call(method, url, body)
    assert MARKER not in answer.text, f"B sees A's data at {method} {url}"
    points_at_a = "{" in path or (body is not None and "region_id" in body)
    if points_at_a:
        assert answer.status == 404, f"B's {method} {url} gave {answer.status}: {answer.text}"
        assert isinstance(answer.body["detail"], str)
    else:
        assert answer.status == 200, f"B's {method} {url} gave {answer.status}"
        assert answer.body["count"] >= 1  # B's own objects are there, A's are not
        ids = [item["id"] for item in answer.body["items"]]
        assert world_a.samples[_id_name_of_list(path)] not in ids, f"A's object in {url}"
    assert _snapshot(world_a.organisation) == before, f"B's {method} {url} changed A's data"


@pytest.mark.parametrize(
    ("method", "path", "operation"), operations(), ids=[f"{m} {p}" for m, p, _o in operations()]
)
def test_the_same_request_works_for_a(
    a_and_b: tuple[World, Membership, ApiClient, ApiClient],
    method: str,
    path: str,
    operation: dict[str, Any],
) -> None:
    """The control: with A's own token the same samples and bodies succeed, so B's 404s come
    from the scoping and not from a wrong sample."""
    world_a, beheerder_a, client_a, _client_b = a_and_b
    if operation["operationId"].startswith("tariff_") and method != "GET":
        # Only a regional beheerder of an SWV, gemeente or adviser changes tariffs.
        world_a.organisation.kind = OrganisationKind.SWV
        world_a.organisation.school_type = ""
        world_a.organisation.save()
    url, body = _request(method, path, operation, world_a.samples)
    answer = client_a.call(method, url, body)
    assert answer.status in {200, 201, 204}, f"A's {method} {url}: {answer.status} {answer.text}"
