from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from zio.costs import services
from zio.costs.constants import ScenarioKind, Unit
from zio.costs.models import CostLine, FundingStream, Scenario, Tariff
from zio.organisations.models import Organisation, Region
from zio.organisations.tests.factories import OrganisationFactory, RegionFactory
from zio.personas.models import Persona
from zio.personas.tests.factories import PersonaFactory

from .factories import CostLineFactory, ScenarioFactory, TariffFactory, payer, stream

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def persona(organisation: Organisation) -> Persona:
    return PersonaFactory.create(organisation=organisation, name="Noor", group_size=14)


@pytest.fixture
def region(organisation: Organisation) -> Region:
    region = RegionFactory.create(name="Regio Rijnvliet")
    region.organisations.add(organisation)
    return region


@pytest.fixture
def tariff(region: Region) -> Tariff:
    return TariffFactory.create(
        region=region,
        name="Jeugdhulp groep, mbo-niveau, per uur",
        funding_stream=stream("jeugdhulp-collectief"),
        unit=Unit.GROUP_HOUR,
        amount=D("51.00"),
    )


@pytest.fixture
def current(persona: Persona) -> Scenario:
    return ScenarioFactory.create(persona=persona, kind=ScenarioKind.CURRENT)


def errors_of(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return exc.value.message_dict


def line_fields(**overrides: object) -> dict:
    fields: dict = {
        "description": "Ondersteuningsbekostiging SBO",
        "funding_stream": stream("ondersteuningsbekostiging"),
        "unit": Unit.PUPIL_YEAR,
        "rate": D("6634.52"),
    }
    fields.update(overrides)
    return fields


# --- scenarios ------------------------------------------------------------------------------


def test_default_scenarios_are_made_once(persona: Persona) -> None:
    services.scenarios_ensure_defaults(persona=persona)
    services.scenarios_ensure_defaults(persona=persona)
    scenarios = sorted(persona.scenarios.values_list("kind", "label", "position"))
    assert scenarios == [
        (ScenarioKind.DESIRED, "A", 1),
        (ScenarioKind.CURRENT, "", 0),
        (ScenarioKind.IF_UNMET, "", services.IF_UNMET_POSITION),
    ]


def test_defaults_only_add_what_is_missing(persona: Persona, current: Scenario) -> None:
    ScenarioFactory.create(persona=persona, kind=ScenarioKind.DESIRED, label="C")
    services.scenarios_ensure_defaults(persona=persona)
    assert persona.scenarios.count() == 3
    assert not persona.scenarios.filter(label="A").exists()


def test_desired_scenarios_get_the_next_letter(persona: Persona) -> None:
    services.scenarios_ensure_defaults(persona=persona)
    b = services.scenario_add_desired(persona=persona, name="  Kleine groep  ")
    c = services.scenario_add_desired(persona=persona)
    assert (b.label, b.name, b.position) == ("B", "Kleine groep", 2)
    assert c.label == "C"
    services.scenario_delete(scenario=b)
    # A freed letter is not reused while later letters are free: B stays "the deleted one".
    assert services.scenario_add_desired(persona=persona).label == "D"


def test_after_z_a_freed_letter_is_used_and_then_it_stops(persona: Persona) -> None:
    for letter in "ABDEFGHIJKLMNOPQRSTUVWXYZ":
        ScenarioFactory.create(persona=persona, kind=ScenarioKind.DESIRED, label=letter)
    assert services.scenario_add_desired(persona=persona).label == "C"
    with pytest.raises(ValidationError) as exc:
        services.scenario_add_desired(persona=persona)
    assert exc.value.messages == [str(services.TOO_MANY_DESIRED)]


def test_rename_a_scenario(persona: Persona) -> None:
    scenario = services.scenario_add_desired(persona=persona)
    services.scenario_update(scenario=scenario, name=" Jeugdhulp op school ")
    scenario.refresh_from_db()
    assert scenario.name == "Jeugdhulp op school"
    assert scenario.title == "Gewenste situatie A: Jeugdhulp op school"
    with pytest.raises(ValidationError):
        services.scenario_update(scenario=scenario, name="x" * 121)


def test_only_desired_scenarios_can_be_deleted_and_one_stays(persona: Persona) -> None:
    services.scenarios_ensure_defaults(persona=persona)
    current = persona.scenarios.get(kind=ScenarioKind.CURRENT)
    a = persona.scenarios.get(kind=ScenarioKind.DESIRED)
    with pytest.raises(ValidationError) as exc:
        services.scenario_delete(scenario=current)
    assert exc.value.messages == [str(services.ONLY_DESIRED_CAN_BE_DELETED)]
    with pytest.raises(ValidationError) as exc:
        services.scenario_delete(scenario=a)
    assert exc.value.messages == [str(services.LAST_DESIRED)]
    b = services.scenario_add_desired(persona=persona)
    CostLineFactory.create(scenario=a)
    services.scenario_delete(scenario=a)
    assert list(persona.scenarios.filter(kind=ScenarioKind.DESIRED)) == [b]
    assert not CostLine.objects.filter(scenario__persona=persona).exists()


# --- cost lines -----------------------------------------------------------------------------


def test_create_a_line_with_its_own_rate(current: Scenario) -> None:
    first = services.cost_line_create(scenario=current, **line_fields())
    second = services.cost_line_create(
        scenario=current,
        **line_fields(description="Eigen middelen", funding_stream=stream("eigen-middelen")),
    )
    assert first.payer == payer("swv")  # the stream's usual payer
    assert second.payer == payer("school")
    assert (first.position, second.position) == (0, 1)
    assert first.quantity == D("1")
    assert first.tariff is None


def test_an_explicit_payer_wins_over_the_usual_one(current: Scenario) -> None:
    line = services.cost_line_create(scenario=current, **line_fields(payer=payer("school")))
    assert line.payer == payer("school")


def test_a_tariff_gives_amount_unit_and_stream(current: Scenario, tariff: Tariff) -> None:
    line = services.cost_line_create(
        scenario=current,
        description="Jeugdhulp op school",
        tariff=tariff,
        hours_per_week=D("8"),
        weeks=D("40"),
    )
    assert (line.rate, line.unit, line.funding_stream, line.payer) == (
        D("51.00"),
        Unit.GROUP_HOUR,
        stream("jeugdhulp-collectief"),
        payer("gemeente"),
    )
    assert line.tariff == tariff


def test_the_rate_of_a_tariff_can_be_overridden(current: Scenario, tariff: Tariff) -> None:
    line = services.cost_line_create(
        scenario=current,
        description="Jeugdhulp op school",
        tariff=tariff,
        unit=Unit.GROUP_HOUR,
        rate=D("55.00"),
        hours_per_week=D("8"),
        weeks=D("40"),
    )
    assert line.rate == D("55.00")
    assert line.tariff == tariff


def test_a_tariff_keeps_its_unit(current: Scenario, tariff: Tariff) -> None:
    with pytest.raises(ValidationError) as exc:
        services.cost_line_create(
            scenario=current, description="x", tariff=tariff, unit=Unit.PUPIL_YEAR
        )
    assert errors_of(exc)["unit"] == [
        str(services.UNIT_NOT_TARIFF_UNIT % {"unit": Unit.GROUP_HOUR.label})
    ]


def test_a_tariff_of_another_region_is_refused(current: Scenario) -> None:
    foreign = TariffFactory.create(region=RegionFactory.create(name="Elders"))
    foreign.region.organisations.add(OrganisationFactory.create())
    with pytest.raises(ValidationError) as exc:
        services.cost_line_create(
            scenario=current,
            description="x",
            tariff=foreign,
            hours_per_week=D("1"),
            weeks=D("40"),
        )
    assert errors_of(exc)["tariff"] == [str(services.TARIFF_NOT_IN_REGION)]
    assert not CostLine.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"description": "   "}, "description", services.DESCRIPTION_REQUIRED),
        ({"rate": None}, "rate", services.RATE_REQUIRED),
        ({"funding_stream": None}, "funding_stream", services.STREAM_REQUIRED),
        ({"unit": ""}, "unit", services.UNIT_REQUIRED),
        ({"unit": "per_maand"}, "unit", services.UNIT_INVALID),
        ({"rate": D("-1")}, "rate", services.NEGATIVE),
        ({"quantity": D("-1")}, "quantity", services.NEGATIVE),
        ({"pupils": -1}, "pupils", services.NEGATIVE),
        ({"pupils": 0}, "pupils", services.PUPILS_ZERO),
        ({"pupils": 141}, "pupils", services.PUPILS_ABSURD),  # group of 14: at most 140
        ({"rate": D("10000000.01")}, "rate", services.AMOUNT_TOO_HIGH),
        # 14 pupils × € 1.000.000 is € 14 million for one line
        ({"rate": D("1000000")}, "rate", services.LINE_TOTAL_TOO_HIGH),
        (
            {"unit": Unit.PUPIL_HOUR, "weeks": D("40")},
            "hours_per_week",
            services.HOURS_REQUIRED,
        ),
        ({"unit": Unit.GROUP_HOUR, "hours_per_week": D("8")}, "weeks", services.WEEKS_REQUIRED),
        (
            {"unit": Unit.GROUP_HOUR, "hours_per_week": D("-8"), "weeks": D("40")},
            "hours_per_week",
            services.NEGATIVE,
        ),
    ],
)
def test_bad_lines_are_refused_and_nothing_is_saved(
    current: Scenario, overrides: dict, field: str, message: object
) -> None:
    with pytest.raises(ValidationError) as exc:
        services.cost_line_create(scenario=current, **line_fields(**overrides))
    assert str(message) in errors_of(exc)[field]
    assert not CostLine.objects.exists()


def test_a_missing_stream_is_said_once(current: Scenario) -> None:
    with pytest.raises(ValidationError) as exc:
        services.cost_line_create(scenario=current, **line_fields(funding_stream=None))
    assert set(errors_of(exc)) == {"funding_stream"}  # no second message about the payer


def test_at_most_ten_times_the_group_is_fine(current: Scenario) -> None:
    line = services.cost_line_create(scenario=current, **line_fields(pupils=140, rate=D("10")))
    assert line.pupils == 140


def test_fields_that_do_not_count_for_the_unit_are_cleared(current: Scenario) -> None:
    yearly = services.cost_line_create(
        scenario=current, **line_fields(hours_per_week=D("8"), weeks=D("40"), pupils=3)
    )
    assert (yearly.hours_per_week, yearly.weeks, yearly.pupils) == (None, None, 3)
    group = services.cost_line_create(
        scenario=current,
        **line_fields(unit=Unit.GROUP_YEAR, rate=D("18000"), pupils=3),
    )
    assert group.pupils is None


def test_unknown_fields_are_a_programming_error(current: Scenario) -> None:
    with pytest.raises(TypeError):
        services.cost_line_create(scenario=current, **line_fields(colour="rood"))


def test_update_a_line(current: Scenario, tariff: Tariff) -> None:
    line = services.cost_line_create(scenario=current, **line_fields())
    updated = services.cost_line_update(line=line, rate=D("7000.00"), pupils=10)
    assert (updated.rate, updated.pupils, updated.pk) == (D("7000.00"), 10, line.pk)
    # Switching to a tariff brings its amount, unit and (since none is given) keeps the stream
    switched = services.cost_line_update(
        line=updated, tariff=tariff, hours_per_week=D("4"), weeks=D("40")
    )
    assert (switched.rate, switched.unit, switched.tariff) == (D("51.00"), Unit.GROUP_HOUR, tariff)
    assert CostLine.objects.count() == 1


def test_a_refused_update_changes_nothing(current: Scenario) -> None:
    line = services.cost_line_create(scenario=current, **line_fields())
    with pytest.raises(ValidationError):
        services.cost_line_update(line=line, rate=D("-5"), description="Nieuw")
    line.refresh_from_db()
    assert (line.rate, line.description) == (D("6634.52"), "Ondersteuningsbekostiging SBO")


def test_delete_a_line(current: Scenario) -> None:
    line = CostLineFactory.create(scenario=current)
    services.cost_line_delete(line=line)
    assert not CostLine.objects.exists()


def test_move_lines_up_and_down(current: Scenario) -> None:
    a, b, c = (CostLineFactory.create(scenario=current, position=0) for _ in range(3))

    def order() -> list[int]:
        return list(current.lines.order_by("position", "pk").values_list("pk", flat=True))

    services.cost_line_move(line=c, direction="up")
    assert order() == [a.pk, c.pk, b.pk]
    services.cost_line_move(line=a, direction="up")  # already at the top
    assert order() == [a.pk, c.pk, b.pk]
    services.cost_line_move(line=a, direction="down")
    assert order() == [c.pk, a.pk, b.pk]
    services.cost_line_move(line=b, direction="down")  # already at the bottom
    assert order() == [c.pk, a.pk, b.pk]
    with pytest.raises(ValidationError) as exc:
        services.cost_line_move(line=b, direction="opzij")
    assert exc.value.messages == [str(services.MOVE_DIRECTION_INVALID)]


# --- tariffs --------------------------------------------------------------------------------


def tariff_fields(**overrides: object) -> dict:
    fields: dict = {
        "year": 2025,
        "name": "Jeugdhulp ambulant",
        "funding_stream": stream("jeugdhulp-individueel"),
        "unit": Unit.PUPIL_HOUR,
        "amount": D("78.00"),
        "source": "Tarievenlijst gemeente Rijnvliet 2025",
        "reference_date": date(2025, 1, 1),
    }
    fields.update(overrides)
    return fields


def test_create_update_and_delete_a_tariff(region: Region, opsteller, current: Scenario) -> None:
    tariff = services.tariff_create(region=region, user=opsteller.user, **tariff_fields())
    assert (tariff.updated_by, tariff.is_indicative) == (opsteller.user, False)
    tariff = services.tariff_update(tariff=tariff, amount=D("80.00"), name=" Jeugdhulp hbo ")
    assert (tariff.amount, tariff.name) == (D("80.00"), "Jeugdhulp hbo")
    line = services.cost_line_create(
        scenario=current, description="x", tariff=tariff, hours_per_week=D("1"), weeks=D("40")
    )
    services.tariff_delete(tariff=tariff)
    line.refresh_from_db()
    assert (line.tariff, line.rate) == (None, D("80.00"))  # the line keeps its amount


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"name": "jeugdhulp AMBULANT"}, "name", services.TARIFF_NAME_TAKEN % {"year": 2025}),
        ({"amount": D("-1")}, "amount", services.NEGATIVE),
        ({"amount": D("10000001")}, "amount", services.AMOUNT_TOO_HIGH),
        ({"year": 1999}, "year", services.YEAR_INVALID),
    ],
)
def test_bad_tariffs_are_refused(
    region: Region, overrides: dict, field: str, message: object
) -> None:
    services.tariff_create(region=region, **tariff_fields())
    with pytest.raises(ValidationError) as exc:
        services.tariff_create(region=region, **tariff_fields(**overrides))
    assert str(message) in exc.value.message_dict[field]
    assert Tariff.objects.count() == 1


def test_the_same_name_is_fine_in_another_year(region: Region) -> None:
    services.tariff_create(region=region, **tariff_fields())
    services.tariff_create(region=region, **tariff_fields(year=2026))
    assert Tariff.objects.count() == 2


def test_seeding_indicative_tariffs_is_idempotent(region: Region) -> None:
    TariffFactory.create(region=region, year=2026, name="Jeugdhulp groep, mbo-niveau, per uur")
    added = services.tariffs_seed_indicative(region=region, year=2026, user=None)
    assert added == 8  # nine indicative tariffs, one was already there by name
    assert services.tariffs_seed_indicative(region=region, year=2026, user=None) == 0
    sbo = Tariff.objects.get(
        region=region, year=2026, name="Ondersteuningsbekostiging SBO per leerling"
    )
    assert sbo.amount == D("6634.52") and sbo.is_indicative
    assert sbo.reference_date == date(2024, 1, 1)


def test_seeding_is_all_or_nothing(region: Region) -> None:
    # A funding stream the seed needs has gone (e.g. renamed by platform staff); the four rows
    # before it in the list must not stay behind.
    FundingStream.objects.filter(code="basisbekostiging").update(code="basis-oud")
    with pytest.raises(ValidationError) as exc:
        services.tariffs_seed_indicative(region=region, year=2026)
    assert "basisbekostiging" in exc.value.messages[0]
    assert not Tariff.objects.exists()


def test_seeding_needs_a_sensible_year(region: Region) -> None:
    with pytest.raises(ValidationError) as exc:
        services.tariffs_seed_indicative(region=region, year=20255)
    assert exc.value.message_dict["year"] == [str(services.YEAR_INVALID)]


# --- history and copies ---------------------------------------------------------------------


def filled(persona: Persona, tariff: Tariff) -> None:
    services.scenarios_ensure_defaults(persona=persona)
    current = persona.scenarios.get(kind=ScenarioKind.CURRENT)
    desired = persona.scenarios.get(kind=ScenarioKind.DESIRED)
    services.cost_line_create(scenario=current, **line_fields())
    services.cost_line_create(
        scenario=desired,
        description="Jeugdhulp op school",
        tariff=tariff,
        hours_per_week=D("8"),
        weeks=D("40"),
    )
    services.scenario_update(scenario=desired, name="Jeugdhulp op school")


def test_snapshot_is_json_with_codes_and_text_amounts(persona: Persona, tariff: Tariff) -> None:
    filled(persona, tariff)
    snapshot = services.costs_snapshot(persona)
    assert json.loads(json.dumps(snapshot)) == snapshot
    assert [s["kind"] for s in snapshot] == ["huidig", "gewenst", "niets_verandert"]
    desired_line = snapshot[1]["lines"][0]
    assert desired_line == {
        "description": "Jeugdhulp op school",
        "funding_stream": "jeugdhulp-collectief",
        "payer": "gemeente",
        "unit": "groep_uur",
        "tariff": tariff.pk,
        "rate": "51.00",
        "quantity": "1.00",
        "hours_per_week": "8.00",
        "weeks": "40.0",
        "pupils": None,
        "position": 0,
    }


def test_restore_brings_back_an_earlier_version(persona: Persona, tariff: Tariff) -> None:
    filled(persona, tariff)
    before = services.costs_snapshot(persona)
    services.scenario_add_desired(persona=persona, name="Later toegevoegd")
    CostLine.objects.update(rate=D("1.00"))
    services.costs_restore(persona=persona, snapshot=before)
    assert services.costs_snapshot(persona) == before


def test_a_bad_snapshot_changes_nothing(persona: Persona, tariff: Tariff) -> None:
    filled(persona, tariff)
    before = services.costs_snapshot(persona)
    broken = json.loads(json.dumps(before))
    broken[2]["lines"] = [{"description": "zonder geldstroom", "rate": "1"}]
    with pytest.raises(ValidationError) as exc:
        services.costs_restore(persona=persona, snapshot=broken)
    assert exc.value.messages == [str(services.SNAPSHOT_INVALID)]
    assert services.costs_snapshot(persona) == before


def test_copy_to_another_organisation_drops_its_tariff_links(
    persona: Persona, tariff: Tariff
) -> None:
    filled(persona, tariff)
    own_copy = PersonaFactory.create(organisation=persona.organisation, group_size=14)
    services.costs_copy(source=persona, target=own_copy)
    assert services.costs_snapshot(own_copy) == services.costs_snapshot(persona)

    elsewhere = PersonaFactory.create(organisation=OrganisationFactory.create(), group_size=14)
    services.scenarios_ensure_defaults(persona=elsewhere)
    services.costs_copy(source=persona, target=elsewhere)
    copied = CostLine.objects.get(scenario__persona=elsewhere, description="Jeugdhulp op school")
    assert (copied.tariff, copied.rate) == (None, D("51.00"))
    assert elsewhere.scenarios.count() == 3
