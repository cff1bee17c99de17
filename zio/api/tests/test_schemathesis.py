"""Schemathesis against the API's own OpenAPI schema, in-process through the WSGI app: for
every operation, generated requests (valid and invalid) never cause a server error, and every
answer matches the schema (status code, content type, body), errors included.

Half of the generated ids are swapped for ids of real objects, so that the 200 answers (and
the writes) are exercised too, not only 404s.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from zio.api import services
from zio.api.api import api
from zio.organisations.constants import OrganisationKind, Role
from zio.organisations.tests.factories import MembershipFactory, OrganisationFactory

from .conftest import make_world

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def keep_connection() -> Iterator[None]:
    """Requests through the WSGI app close the database connection when they finish, which
    would end the test's transaction (PostgreSQL); Django's test client avoids that the same
    way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def caller(db: None, settings: Any, keep_connection: None) -> tuple[str, dict[str, Any]]:
    """A beheerder of a samenwerkingsverband (so every write is allowed, tariffs too) with
    one of everything, and its token."""
    # The WSGI client of schemathesis calls itself "localhost".
    settings.ALLOWED_HOSTS = ["localhost"]
    swv = OrganisationFactory.create(kind=OrganisationKind.SWV, school_type="")
    member = MembershipFactory.create(organisation=swv, role=Role.BEHEERDER)
    world = make_world(swv, "Schema", member)
    _token, secret = services.api_token_create(user=member.user, organisation=swv, name="Fuzz")
    return secret, world.samples


# The schema as the app serves it. Loaded at import (schemathesis' lazy loading from a fixture
# does not work with this pytest), which needs no database: Ninja builds it from the code.
schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
schema.app = get_wsgi_application()


@schema.parametrize()
@hypothesis_settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_the_api_keeps_to_its_schema(case: Any, caller: tuple[str, dict[str, Any]]) -> None:
    secret, samples = caller
    for name, value in (case.path_parameters or {}).items():
        if name in samples and isinstance(value, int) and value % 2 == 0:
            case.path_parameters[name] = samples[name]
    case.call_and_validate(headers={"Authorization": f"Bearer {secret}"}, checks=CHECKS)
