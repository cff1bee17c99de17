import factory

from zio.accounts.tests.factories import UserFactory
from zio.organisations.constants import OrganisationKind, Role, SchoolType
from zio.organisations.models import Membership, Organisation, Region


class OrganisationFactory(factory.django.DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"School {n}")
    slug = factory.Sequence(lambda n: f"school-{n}")
    kind = OrganisationKind.SCHOOL
    school_type: str = SchoolType.SBO.value


class GemeenteFactory(OrganisationFactory):
    name = factory.Sequence(lambda n: f"Gemeente {n}")
    slug = factory.Sequence(lambda n: f"gemeente-{n}")
    kind = OrganisationKind.GEMEENTE
    school_type = ""


class RegionFactory(factory.django.DjangoModelFactory[Region]):
    class Meta:
        model = Region

    name = factory.Sequence(lambda n: f"Regio {n}")


class MembershipFactory(factory.django.DjangoModelFactory[Membership]):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.OPSTELLER
