"""Factories for the cost models. Payers and funding streams are seeded reference data: the
factories look them up by code instead of creating them."""

from datetime import date
from decimal import Decimal

import factory

from zio.costs.constants import ScenarioKind, Unit
from zio.costs.models import CostLine, FundingStream, Payer, Scenario, Tariff
from zio.organisations.tests.factories import RegionFactory
from zio.personas.tests.factories import PersonaFactory


def stream(code: str) -> FundingStream:
    return FundingStream.objects.select_related("default_payer").get(code=code)


def payer(code: str) -> Payer:
    return Payer.objects.get(code=code)


class TariffFactory(factory.django.DjangoModelFactory[Tariff]):
    class Meta:
        model = Tariff

    region = factory.SubFactory(RegionFactory)
    year = 2025
    name = factory.Sequence(lambda n: f"Tarief {n}")
    funding_stream = factory.LazyFunction(lambda: stream("jeugdhulp-collectief"))
    unit = Unit.GROUP_HOUR
    amount = Decimal("51.00")
    source = "Tarievenlijst jeugdhulp van de gemeente"
    reference_date = date(2025, 1, 1)


class ScenarioFactory(factory.django.DjangoModelFactory[Scenario]):
    class Meta:
        model = Scenario

    persona = factory.SubFactory(PersonaFactory)
    kind = ScenarioKind.CURRENT
    label = ""
    position = 0


class CostLineFactory(factory.django.DjangoModelFactory[CostLine]):
    class Meta:
        model = CostLine

    scenario = factory.SubFactory(ScenarioFactory)
    description = factory.Sequence(lambda n: f"Kostenregel {n}")
    funding_stream = factory.LazyFunction(lambda: stream("ondersteuningsbekostiging"))
    payer = factory.LazyAttribute(lambda line: line.funding_stream.default_payer)
    unit = Unit.PUPIL_YEAR
    rate = Decimal("6634.52")
    quantity = Decimal("1")
    position = factory.Sequence(int)
