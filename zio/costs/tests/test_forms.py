from __future__ import annotations

from decimal import Decimal

import pytest

from zio.costs import forms, services
from zio.costs.constants import ScenarioKind, Unit
from zio.costs.models import Scenario
from zio.organisations.models import Organisation
from zio.organisations.tests.factories import RegionFactory
from zio.personas.tests.factories import PersonaFactory

from .factories import ScenarioFactory, TariffFactory, stream


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("12,5", "12.5"),
        ("12.5", "12.5"),
        ("1.234,56", "1234.56"),
        ("1,234.56", "1234.56"),
        ("€ 6.634,52", "6634.52"),
        ("1.234", "1234"),  # Dutch thousands, not three decimals
        ("12.000.000", "12000000"),
        ("40", "40"),
        (" 8 ", "8"),
        ("-3", "-3"),
        ("twaalf", "twaalf"),  # left for the field to refuse
    ],
)
def test_numbers_are_read_the_dutch_way(typed: str, read: str) -> None:
    assert forms.normalise_number(typed) == read


@pytest.fixture
def scenario(organisation: Organisation) -> Scenario:
    persona = PersonaFactory.create(organisation=organisation, group_size=14)
    return ScenarioFactory.create(persona=persona, kind=ScenarioKind.CURRENT)


@pytest.mark.django_db
def test_a_valid_hourly_line(scenario: Scenario) -> None:
    form = forms.CostLineForm(
        {
            "description": "Jeugdhulp op school",
            "funding_stream": stream("jeugdhulp-collectief").pk,
            "unit": Unit.GROUP_HOUR,
            "rate": "51,00",
            "hours_per_week": "7,5",
            "weeks": "40",
        },
        scenario=scenario,
    )
    assert form.is_valid(), form.errors
    fields = form.service_fields()
    assert (fields["rate"], fields["hours_per_week"], fields["quantity"]) == (
        Decimal("51.00"),
        Decimal("7.5"),
        None,  # the service makes it 1
    )


@pytest.mark.django_db
def test_each_problem_is_named_once_next_to_its_field(scenario: Scenario) -> None:
    form = forms.CostLineForm(
        {
            "description": "Jeugdhulp",
            "funding_stream": stream("jeugdhulp-collectief").pk,
            "unit": Unit.PUPIL_HOUR,
            "rate": "veel",
            "weeks": "-2",
        },
        scenario=scenario,
    )
    assert not form.is_valid()
    assert form.errors == {
        "rate": [str(forms.NUMBER_INVALID)],
        "weeks": [str(services.NEGATIVE)],
        "hours_per_week": [str(services.HOURS_REQUIRED)],
    }


@pytest.mark.django_db
def test_only_tariffs_of_the_organisations_regions_are_offered(
    scenario: Scenario, organisation: Organisation
) -> None:
    own_region = RegionFactory.create()
    own_region.organisations.add(organisation)
    own = TariffFactory.create(region=own_region)
    foreign = TariffFactory.create()
    form = forms.CostLineForm(scenario=scenario)
    assert list(form.fields["tariff"].queryset) == [own]  # type: ignore[attr-defined]
    bound = forms.CostLineForm(
        {"description": "x", "tariff": foreign.pk, "hours_per_week": "1", "weeks": "40"},
        scenario=scenario,
    )
    assert not bound.is_valid()
    assert bound.errors == {"tariff": [str(services.TARIFF_NOT_IN_REGION)]}
