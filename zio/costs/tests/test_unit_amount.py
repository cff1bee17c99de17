"""`CostLine.unit_amount_cents` stays true on every way the ORM writes cost lines: the region
view adds lines up from it in the database, so a stale figure would show wrong money."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db.models import F

from zio.costs import calculations
from zio.costs.constants import ScenarioKind, Unit
from zio.costs.models import CostLine
from zio.personas.tests.factories import PersonaFactory

from .factories import CostLineFactory, ScenarioFactory

pytestmark = pytest.mark.django_db


def _stored_matches_fields() -> None:
    lines = list(CostLine.objects.all())
    assert lines
    for line in lines:
        expected = calculations.unit_amount_cents(
            line.unit, line.rate, line.quantity, line.hours_per_week, line.weeks
        )
        assert line.unit_amount_cents == expected, line.description


@pytest.fixture
def scenario():
    persona = PersonaFactory.create(group_size=14)
    return ScenarioFactory.create(persona=persona, kind=ScenarioKind.CURRENT)


def test_save_prices_the_line_with_the_cost_rounding(scenario) -> None:
    line = CostLineFactory.create(
        scenario=scenario,
        unit=Unit.PUPIL_HOUR,
        rate=Decimal("33.33"),
        hours_per_week=Decimal("1.5"),
        weeks=Decimal("38.5"),
    )
    # 33.33 × 1.5 × 38.5 = 1924.8075 → 1924.81
    assert CostLine.objects.get(pk=line.pk).unit_amount_cents == 192481
    line.rate = "10"  # text, as code may set it
    line.save(update_fields=["rate"])
    assert CostLine.objects.get(pk=line.pk).unit_amount_cents == 57750
    _stored_matches_fields()


def test_bulk_create_bulk_update_and_update_keep_it_true(scenario) -> None:
    made = CostLine.objects.bulk_create(
        CostLineFactory.build(scenario=scenario, rate=Decimal(n) + Decimal("0.25"), quantity=n)
        for n in range(1, 4)
    )
    _stored_matches_fields()
    for line in made:
        line.quantity = Decimal("0.5")
    CostLine.objects.bulk_update(made, ["quantity"])
    _stored_matches_fields()
    CostLine.objects.filter(pk=made[0].pk).update(rate=F("rate") * 3)
    _stored_matches_fields()
    CostLine.objects.update(unit=Unit.GROUP_YEAR, description="Anders")
    _stored_matches_fields()
    # A write that touches no priced field leaves the figure alone.
    before = list(CostLine.objects.values_list("unit_amount_cents", flat=True))
    CostLine.objects.update(description="Nog eens anders")
    assert list(CostLine.objects.values_list("unit_amount_cents", flat=True)) == before
