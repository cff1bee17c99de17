"""Fixtures shared by the whole suite."""

from collections.abc import Callable, Iterator

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from zio.accounts.models import User
from zio.accounts.tests.factories import UserFactory
from zio.organisations.constants import Role
from zio.organisations.models import Membership, Organisation
from zio.organisations.tests.factories import MembershipFactory, OrganisationFactory


def pytest_report_header(config: pytest.Config) -> str:
    # Makes each run say which database it used: the suite runs on SQLite and on PostgreSQL.
    db = settings.DATABASES["default"]
    return f"database: {db['ENGINE'].rsplit('.', 1)[-1]} ({db.get('HOST') or db['NAME']})"


@pytest.fixture(autouse=True)
def dutch() -> Iterator[None]:
    # A request in an earlier test may have left another language active in this thread.
    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture
def organisation(db: None) -> Organisation:
    return OrganisationFactory.create(name="SBO Het Anker")


@pytest.fixture
def other_organisation(db: None) -> Organisation:
    return OrganisationFactory.create(name="VSO Buiten Bereik")


@pytest.fixture
def make_member(db: None) -> Callable[..., Membership]:
    def make(
        organisation: Organisation, role: Role = Role.OPSTELLER, user: User | None = None
    ) -> Membership:
        return MembershipFactory.create(
            organisation=organisation, role=role, user=user or UserFactory.create()
        )

    return make


@pytest.fixture
def client_for() -> Callable[[User], Client]:
    """A test client logged in as the given user."""

    def make(user: User) -> Client:
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return make


@pytest.fixture
def beheerder(organisation: Organisation, make_member: Callable[..., Membership]) -> Membership:
    return make_member(organisation, Role.BEHEERDER)


@pytest.fixture
def opsteller(organisation: Organisation, make_member: Callable[..., Membership]) -> Membership:
    return make_member(organisation, Role.OPSTELLER)


@pytest.fixture
def meelezer(organisation: Organisation, make_member: Callable[..., Membership]) -> Membership:
    return make_member(organisation, Role.MEELEZER)


@pytest.fixture(autouse=True)
def reference_data(request: pytest.FixtureRequest) -> None:
    """Seeded reference data (payers, funding streams, signal catalogue) for every test that
    uses the database. Data migrations put it there, but a transactional test (browser tests)
    empties the tables when it ends, so tests that run after one would miss it."""
    names = set(request.fixturenames)
    if not ({"db", "transactional_db"} & names or request.node.get_closest_marker("django_db")):
        return
    request.getfixturevalue("transactional_db" if "transactional_db" in names else "db")
    from zio.costs.models import FundingStream, Payer
    from zio.costs.reference_data import seed_payers_and_streams
    from zio.personas.catalogue import seed_catalogue
    from zio.personas.models import Signal, SignalDomain

    if not Payer.objects.exists():
        seed_payers_and_streams(Payer, FundingStream)
    if not SignalDomain.objects.exists():
        seed_catalogue(SignalDomain, Signal)
