from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest

from zio.costs import chart, selectors, services
from zio.costs.constants import ScenarioKind, Unit
from zio.organisations.constants import OrganisationKind, Role
from zio.organisations.models import Membership, Organisation
from zio.organisations.tests.factories import GemeenteFactory, OrganisationFactory, RegionFactory
from zio.personas.models import Persona
from zio.personas.tests.factories import PersonaFactory

from .factories import TariffFactory, stream

pytestmark = pytest.mark.django_db
D = Decimal
NBSP = "\u00a0"


@pytest.fixture
def persona(organisation: Organisation) -> Persona:
    """Noor, 14 pupils, with costs calculated by hand below."""
    persona = PersonaFactory.create(organisation=organisation, name="Noor", group_size=14)
    services.scenarios_ensure_defaults(persona=persona)
    scenarios = {s.kind + s.label: s for s in persona.scenarios.all()}
    current = scenarios[ScenarioKind.CURRENT]
    desired_a = scenarios[ScenarioKind.DESIRED + "A"]
    services.scenario_add_desired(persona=persona, name="Niets extra")  # B stays empty
    if_unmet = scenarios[ScenarioKind.IF_UNMET]

    def add(scenario, **fields) -> None:
        services.cost_line_create(scenario=scenario, **fields)

    support = {
        "description": "Ondersteuningsbekostiging SBO",
        "funding_stream": stream("ondersteuningsbekostiging"),
        "unit": Unit.PUPIL_YEAR,
        "rate": D("6634.52"),
    }
    # current: 14 × 6634,52 = 92883,28 (swv); 3 × 2 h × 40 wk × 78 = 18720,00 (gemeente);
    # a fixed 5000,00 from the school's own means
    add(current, **support)
    add(
        current,
        description="Individuele jeugdhulp",
        funding_stream=stream("jeugdhulp-individueel"),
        unit=Unit.PUPIL_HOUR,
        rate=D("78"),
        hours_per_week=D("2"),
        weeks=D("40"),
        pupils=3,
    )
    add(
        current,
        description="Extra begeleiding",
        funding_stream=stream("eigen-middelen"),
        unit=Unit.GROUP_YEAR,
        rate=D("5000"),
    )
    # desired A: 92883,28 (swv); 8 h × 40 wk × 51 = 16320,00 (gemeente)
    add(desired_a, **support)
    add(
        desired_a,
        description="Jeugdhulp op school",
        funding_stream=stream("jeugdhulp-collectief"),
        unit=Unit.GROUP_HOUR,
        rate=D("51"),
        hours_per_week=D("8"),
        weeks=D("40"),
    )
    # if nothing changes: 8 × 3 h × 40 wk × 78 = 74880,00 (gemeente);
    # 4 × 31419,53 = 125678,12 (swv)
    add(
        if_unmet,
        description="Meer beschikkingen",
        funding_stream=stream("jeugdhulp-individueel"),
        unit=Unit.PUPIL_HOUR,
        rate=D("78"),
        hours_per_week=D("3"),
        weeks=D("40"),
        pupils=8,
    )
    add(
        if_unmet,
        description="Verwijzing SO cluster 4",
        funding_stream=stream("ondersteuningsbekostiging"),
        unit=Unit.PUPIL_YEAR,
        rate=D("31419.53"),
        pupils=4,
    )
    return persona


def test_scenarios_come_in_the_method_order(persona: Persona) -> None:
    overview = selectors.persona_cost_overview(persona)
    assert [v.title for v in overview.scenarios] == [
        "Huidige situatie",
        "Gewenste situatie A",
        "Gewenste situatie B: Niets extra",
        "Als er niets verandert",
    ]
    assert [v.title for v in overview.compared] == [
        "Gewenste situatie A",
        "Gewenste situatie B: Niets extra",
        "Als er niets verandert",
    ]


def test_lines_with_their_cost_and_calculation(persona: Persona) -> None:
    current = selectors.persona_cost_overview(persona).scenarios[0]
    rows = [
        (v.line.description, v.calculation, v.cost.per_pupil, v.cost.total) for v in current.lines
    ]
    assert rows == [
        (
            "Ondersteuningsbekostiging SBO",
            f"1 jaar × €{NBSP}6.634,52 per leerling, voor de hele groep",
            D("6634.52"),
            D("92883.28"),
        ),
        (
            "Individuele jeugdhulp",
            f"2 uur × 40 weken × €{NBSP}78,00, voor 3 leerlingen",
            D("6240.00"),
            D("18720.00"),
        ),
        (
            "Extra begeleiding",
            f"1 jaar × €{NBSP}5.000,00 voor de hele groep",
            D("357.14"),  # 5000 / 14 = 357,142…, an average
            D("5000.00"),
        ),
    ]


def test_totals_per_scenario_to_the_cent(persona: Persona) -> None:
    overview = selectors.persona_cost_overview(persona)
    totals = [(v.totals.total, v.totals.per_pupil) for v in overview.scenarios]
    assert totals == [
        (D("116603.28"), D("8328.81")),  # 116603,28 / 14 = 8328,805…
        (D("109203.28"), D("7800.23")),  # 109203,28 / 14 = 7800,234…
        (D("0.00"), D("0.00")),
        (D("200558.12"), D("14325.58")),  # 200558,12 / 14 = 14325,58
    ]
    desired = overview.scenarios[1]
    assert [(a.payer.code, a.amount, a.per_pupil) for a in desired.payers] == [
        ("swv", D("92883.28"), D("6634.52")),
        ("gemeente", D("16320.00"), D("1165.71")),
    ]


def test_comparison_table_per_payer(persona: Persona) -> None:
    overview = selectors.persona_cost_overview(persona)
    assert [(r.label, r.cells) for r in overview.payer_rows] == [
        ("School / bevoegd gezag", [D("5000.00"), D("0.00"), D("0.00"), D("0.00")]),
        (
            "Samenwerkingsverband",
            [D("92883.28"), D("92883.28"), D("0.00"), D("125678.12")],
        ),
        ("Gemeente", [D("18720.00"), D("16320.00"), D("0.00"), D("74880.00")]),
    ]
    assert overview.total_row.cells == [
        D("116603.28"),
        D("109203.28"),
        D("0.00"),
        D("200558.12"),
    ]
    # every column adds up
    for index, total in enumerate(overview.total_row.cells):
        assert sum(row.cells[index] for row in overview.payer_rows) == total


def test_who_pays_more_and_who_saves(persona: Persona) -> None:
    overview = selectors.persona_cost_overview(persona)
    rows = {r.label: [c.amount for c in r.cells] for r in overview.difference_rows}
    # columns: desired A, desired B, if nothing changes; each minus the current situation
    assert rows == {
        "School / bevoegd gezag": [D("-5000.00"), D("-5000.00"), D("-5000.00")],
        "Samenwerkingsverband": [D("0.00"), D("-92883.28"), D("32794.84")],
        "Gemeente": [D("-2400.00"), D("-18720.00"), D("56160.00")],
    }
    assert [c.amount for c in overview.difference_total.cells] == [
        D("-7400.00"),
        D("-116603.28"),
        D("83954.84"),
    ]
    directions = [c.direction for c in overview.difference_rows[2].cells]
    assert directions == ["less", "less", "more"]
    assert overview.difference_rows[1].cells[0].direction == "same"


def test_totals_per_funding_stream(persona: Persona) -> None:
    overview = selectors.persona_cost_overview(persona)
    assert [(r.label, r.cells) for r in overview.stream_rows] == [
        (
            "Ondersteuningsbekostiging (SBO-bedrag of TLV-categorie)",
            [D("92883.28"), D("92883.28"), D("0.00"), D("125678.12")],
        ),
        ("Collectieve jeugdhulp op school", [D("0.00"), D("16320.00"), D("0.00"), D("0.00")]),
        (
            "Individuele beschikking jeugdhulp",
            [D("18720.00"), D("0.00"), D("0.00"), D("74880.00")],
        ),
        ("Eigen middelen school", [D("5000.00"), D("0.00"), D("0.00"), D("0.00")]),
    ]


def test_summary_for_the_persona_page(persona: Persona) -> None:
    overview = selectors.persona_cost_overview(persona)
    assert [
        (name, before, after, cell.amount) for name, before, after, cell in overview.summary_rows
    ] == [
        ("School / bevoegd gezag", D("5000.00"), D("0.00"), D("-5000.00")),
        ("Samenwerkingsverband", D("92883.28"), D("92883.28"), D("0.00")),
        ("Gemeente", D("18720.00"), D("16320.00"), D("-2400.00")),
    ]
    assert overview.summary_total is not None
    assert overview.summary_total.amount == D("-7400.00")


def test_chart_bars_follow_the_totals(persona: Persona) -> None:
    overview = selectors.persona_cost_overview(persona)
    bars = overview.chart.bars
    assert [b.total for b in bars] == overview.total_row.cells
    assert bars[2].segments == []  # an empty scenario has no bar
    # The largest scenario fills the bar area; the others are to scale.
    last = bars[3].segments[-1]
    assert last.x + last.width + chart.STROKE // 2 == chart.BAR_AREA
    # the payers keep one colour everywhere: school, swv, gemeente are 1, 2, 3
    assert [s.series for s in bars[0].segments] == [1, 2, 3]
    assert "Huidige situatie: €" in overview.chart_summary


def test_an_overview_without_scenarios(organisation: Organisation) -> None:
    persona = PersonaFactory.create(organisation=organisation)
    overview = selectors.persona_cost_overview(persona)
    assert overview.scenarios == [] and overview.compared == []
    assert overview.summary_rows == [] and overview.summary_total is None
    assert not overview.has_amounts


# --- tariffs --------------------------------------------------------------------------------


def test_tariffs_of_the_organisations_regions_newest_year_first(
    organisation: Organisation,
) -> None:
    own = RegionFactory.create(name="Eigen regio")
    own.organisations.add(organisation)
    other = RegionFactory.create(name="Andere regio")
    other.organisations.add(OrganisationFactory.create())
    old = TariffFactory.create(region=own, year=2024, name="Oud")
    new = TariffFactory.create(
        region=own, year=2026, name="Nieuw", funding_stream=stream("basisbekostiging")
    )
    TariffFactory.create(region=other, year=2026, name="Niet van ons")
    assert list(selectors.tariffs_for_organisation(organisation)) == [new, old]


@pytest.mark.parametrize(
    ("kind", "role", "may_edit"),
    [
        (OrganisationKind.SWV, Role.BEHEERDER, True),
        (OrganisationKind.GEMEENTE, Role.BEHEERDER, True),
        (OrganisationKind.ADVIES, Role.BEHEERDER, True),
        (OrganisationKind.GEMEENTE, Role.OPSTELLER, False),
        (OrganisationKind.SCHOOL, Role.BEHEERDER, False),
        (OrganisationKind.JEUGDHULP, Role.BEHEERDER, False),
    ],
)
def test_who_may_edit_a_regions_tariffs(
    make_member: Callable[..., Membership], kind: str, role: Role, may_edit: bool
) -> None:
    organisation = (
        OrganisationFactory.create()
        if kind == OrganisationKind.SCHOOL
        else GemeenteFactory.create(kind=kind)
    )
    member = make_member(organisation, role)
    region = RegionFactory.create()
    region.organisations.add(organisation)
    elsewhere = RegionFactory.create()
    assert selectors.can_edit_region_tariffs(member, region) is may_edit
    assert selectors.can_edit_region_tariffs(member, elsewhere) is False
    assert list(selectors.regions_with_editable_tariffs(member)) == ([region] if may_edit else [])


def test_tariff_tables_by_region_and_year(
    organisation: Organisation, beheerder: Membership
) -> None:
    first = RegionFactory.create(name="A-regio")
    second = RegionFactory.create(name="B-regio")
    for region in (first, second):
        region.organisations.add(organisation)
    TariffFactory.create(region=first, year=2025, name="x")
    TariffFactory.create(region=first, year=2026, name="y")
    TariffFactory.create(region=first, year=2026, name="z")
    tables = selectors.tariff_tables(beheerder)
    assert [t.region.name for t in tables] == ["A-regio", "B-regio"]
    assert [(y.year, [t.name for t in y.tariffs]) for y in tables[0].years] == [
        (2026, ["y", "z"]),
        (2025, ["x"]),
    ]
    assert tables[1].years == []
    assert not tables[0].can_edit  # a school's beheerder reads them
