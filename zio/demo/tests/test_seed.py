import pytest
from django.core.management import call_command

from zio.accounts.models import User
from zio.demo import content
from zio.demo.services import demo_seed
from zio.organisations.constants import OrganisationKind, Role, SchoolType
from zio.organisations.models import Membership, Organisation, Region
from zio.personas.constants import Section
from zio.personas.models import Persona

pytestmark = pytest.mark.django_db


def _snapshot() -> tuple[int, ...]:
    return (
        Organisation.objects.count(),
        Region.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
        Persona.objects.count(),
    )


def test_demo_has_the_region_its_partners_and_two_schools() -> None:
    demo_seed()
    region = Region.objects.get()
    kinds = sorted(region.organisations.values_list("kind", flat=True))
    assert kinds == sorted(
        [
            OrganisationKind.SWV,
            OrganisationKind.GEMEENTE,
            OrganisationKind.JEUGDHULP,
            OrganisationKind.SCHOOL,
            OrganisationKind.SCHOOL,
        ]
    )
    vso = Organisation.objects.get(school_type=SchoolType.VSO)
    assert vso.clusters == [4]
    assert Organisation.objects.filter(school_type=SchoolType.SBO).exists()


def test_demo_has_a_user_for_every_role_and_someone_in_two_organisations() -> None:
    demo_seed()
    assert set(Membership.objects.values_list("role", flat=True)) == set(Role.values)
    user = User.objects.get(email="beleid@rijnvliet.example")
    assert user.memberships.count() >= 2
    assert user.check_password(content.DEMO_PASSWORD)


def test_demo_persona_is_complete() -> None:
    demo_seed()
    persona = Persona.objects.get(name="Noor")
    assert persona.organisation.school_type == SchoolType.SBO
    filled = set(persona.items.values_list("section", flat=True))
    assert filled == set(Section.values)


def test_seeding_twice_changes_nothing() -> None:
    demo_seed()
    before = _snapshot()
    report = demo_seed()
    assert report.created == []
    assert _snapshot() == before


def test_command_prints_the_demo_logins(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert content.DEMO_PASSWORD in out
    for email, _, _ in content.USERS:
        assert email in out
