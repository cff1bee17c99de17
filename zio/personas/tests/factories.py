import factory

from zio.organisations.tests.factories import OrganisationFactory
from zio.personas.constants import Section
from zio.personas.models import Persona, PersonaItem


class PersonaFactory(factory.django.DjangoModelFactory[Persona]):
    class Meta:
        model = Persona

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Persona {n}")
    group_size = 12
    age_min = 8
    age_max = 11
    school_types = factory.LazyFunction(lambda: ["sbo"])


class PersonaItemFactory(factory.django.DjangoModelFactory[PersonaItem]):
    class Meta:
        model = PersonaItem

    persona = factory.SubFactory(PersonaFactory)
    section = Section.PROBLEMS
    text = factory.Sequence(lambda n: f"Signaal {n}")
    position = factory.Sequence(int)
