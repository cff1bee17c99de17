"""The region view: only persona's a school chose to share, summed over the region per payer
and per funding stream, small groups suppressed; the same in the Excel and PDF files; and
nobody outside the region sees anything."""

from __future__ import annotations

import html
import io
import subprocess
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from zio.costs.constants import ScenarioKind, Unit
from zio.costs.models import Payer
from zio.costs.selectors import persona_cost_overview
from zio.costs.tests.factories import CostLineFactory, ScenarioFactory, payer, stream
from zio.exports.tests.factories import filled_persona
from zio.organisations.constants import OrganisationKind, Role, SchoolType
from zio.organisations.models import Membership, Organisation, Region
from zio.organisations.tests.factories import OrganisationFactory, RegionFactory
from zio.personas.constants import PersonaStatus
from zio.personas.models import Persona
from zio.personas.tests.factories import PersonaFactory
from zio.regions import selectors, services
from zio.regions.models import RegionShare

pytestmark = pytest.mark.django_db

PAYERS = ["school", "swv", "gemeente", "zorgkantoor", "zorgverzekeraar"]
STREAMS = ["basisbekostiging", "ondersteuningsbekostiging", "jeugdhulp-collectief", "wlz", "zvw"]


@pytest.fixture
def region(organisation: Organisation) -> Region:
    region = RegionFactory.create(name="Regio Rijnvliet")
    region.organisations.add(organisation)
    return region


def _school(region: Region, name: str) -> Organisation:
    school = OrganisationFactory.create(name=name, kind=OrganisationKind.SCHOOL)
    region.organisations.add(school)
    return school


def _shared(region: Region, school: Organisation, name: str, size: int = 12, **kw) -> Persona:
    persona = filled_persona(school, name=name, group_size=size)
    for key, value in kw.items():
        setattr(persona, key, value)
    persona.save()
    services.persona_shares_set(persona=persona, regions=[region], user=None)
    return persona


def test_only_shared_persona_s_of_the_region_count_and_sums_are_per_payer(
    region: Region,
) -> None:
    a = _school(region, "Basisschool A")
    b = _school(region, "SBO B")
    _shared(region, a, "Esra", 12)
    _shared(region, b, "Daan", 20)
    filled_persona(a, name="Niet gedeeld")  # not shared
    elsewhere = RegionFactory.create(name="Andere regio")
    other = OrganisationFactory.create(name="School elders")
    elsewhere.organisations.add(other)
    _shared(elsewhere, other, "Elders")
    overview = selectors.region_overview(region)
    assert [r.name for r in overview.rows] == ["Esra", "Daan"]
    # filled_persona: current 22,000 for 12 pupils (SWV 1,000 per pupil, gemeente 10,000);
    # desired A 25,000 (gemeente 16,000, SWV 500 per pupil, school 3,000).
    esra, daan = overview.rows
    assert (esra.current, esra.desired) == (Decimal("22000.00"), Decimal("25000.00"))
    assert (daan.current, daan.desired) == (Decimal("30000.00"), Decimal("29000.00"))
    assert overview.total_current == Decimal("52000.00")
    assert overview.total_difference == Decimal("2000.00")
    payers = {p.name: (p.current, p.desired, p.difference) for p in overview.payers}
    assert payers["Samenwerkingsverband"] == (
        Decimal("32000.00"),
        Decimal("16000.00"),
        Decimal("-16000.00"),
    )
    assert payers["Gemeente"] == (Decimal("20000.00"), Decimal("32000.00"), Decimal("12000.00"))
    assert payers["School / bevoegd gezag"] == (
        Decimal("0.00"),
        Decimal("6000.00"),
        Decimal("6000.00"),
    )
    assert sum(s.current for s in overview.streams) == overview.total_current
    assert str(overview.group_total) == "32"


def test_small_groups_are_suppressed_also_against_the_total(region: Region) -> None:
    school = _school(region, "Basisschool A")
    _shared(region, school, "Klein", 4)
    _shared(region, school, "Groot", 30)
    _shared(region, school, "Middel", 15)
    sizes = [str(r.group_size) for r in selectors.region_overview(region).rows]
    # "Klein" alone hidden would follow from the total minus the others: one more is hidden.
    assert "4" not in sizes and sizes.count("×") == 2


def test_withdrawing_archiving_and_leaving_the_region_take_a_persona_out(region: Region) -> None:
    school = _school(region, "Basisschool A")
    esra = _shared(region, school, "Esra")
    daan = _shared(region, school, "Daan")
    lotte = _shared(region, school, "Lotte")
    services.persona_shares_set(persona=esra, regions=[], user=None)
    daan.archived_at = daan.updated_at
    daan.save()
    assert [r.name for r in selectors.region_overview(region).rows] == ["Lotte"]
    region.organisations.remove(school)
    assert selectors.region_overview(region).rows == []
    assert RegionShare.objects.filter(persona=lotte).exists()  # the choice itself is kept


def test_a_school_cannot_share_with_a_region_it_is_not_in(region: Region) -> None:
    school = _school(region, "Basisschool A")
    persona = filled_persona(school)
    other = RegionFactory.create(name="Andere regio")
    with pytest.raises(ValidationError):
        services.persona_shares_set(persona=persona, regions=[region, other], user=None)
    assert not RegionShare.objects.exists()


def test_filters(region: Region) -> None:
    a = _school(region, "Basisschool A")
    b = _school(region, "VSO B")
    _shared(region, a, "Esra", school_types=[SchoolType.PO])
    _shared(region, b, "Daan", school_types=[SchoolType.VSO], status=PersonaStatus.ADOPTED)

    def names(**filters: object) -> list[str]:
        overview = selectors.region_overview(region, selectors.Filters(**filters))  # type: ignore[arg-type]
        return [r.name for r in overview.rows]

    assert names(school_type=SchoolType.VSO) == ["Daan"]
    assert names(status=PersonaStatus.ADOPTED) == ["Daan"]
    assert names(organisation_id=a.pk) == ["Esra"]
    schools, _signals = selectors.filter_options(region)
    assert [s.name for s in schools] == ["Basisschool A", "VSO B"]


def test_the_number_of_queries_does_not_grow_with_the_region(region: Region) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            selectors.region_overview(region)
            selectors.filter_options(region)
        return len(captured)

    _shared(region, _school(region, "School 1"), "P1")
    few = queries()
    for number in range(2, 8):
        school = _school(region, f"School {number}")
        for n in range(3):
            _shared(region, school, f"P{number}-{n}")
    assert queries() == few


def test_the_sums_are_those_of_each_cost_page(region: Region) -> None:
    """The region adds lines up in the database (whole cents); every figure must equal what
    the cost page of each persona shows, also for hourly lines, odd rates, lines for some of
    the pupils, a desired B before its A in id order, and an empty current scenario."""
    school = _school(region, "Basisschool Oneven")
    odd = [
        (Unit.PUPIL_HOUR, {"rate": "33.33", "hours_per_week": "1.5", "weeks": "38.5"}, None),
        (Unit.PUPIL_DAY, {"rate": "17.17", "quantity": "3.33"}, 5),
        (Unit.GROUP_HOUR, {"rate": "61.01", "hours_per_week": "2.25", "weeks": "40.0"}, None),
        (Unit.GROUP_YEAR, {"rate": "999.99", "quantity": "0.33"}, None),
        (Unit.PUPIL_YEAR, {"rate": "0.01", "quantity": "0.50"}, 0),
    ]
    personas = []
    for number, size in enumerate((1, 7, 23)):
        persona = PersonaFactory.create(
            organisation=school, name=f"Oneven {number}", group_size=size
        )
        current = ScenarioFactory.create(persona=persona, kind=ScenarioKind.CURRENT)
        later_b = ScenarioFactory.create(persona=persona, kind=ScenarioKind.DESIRED, label="B")
        desired_a = ScenarioFactory.create(persona=persona, kind=ScenarioKind.DESIRED, label="A")
        for index, (unit, fields, pupils) in enumerate(odd):
            for scenario in (current, desired_a, later_b)[: 3 if number else 2]:
                if number == 2 and scenario == current:
                    continue  # nothing counted now
                CostLineFactory.create(
                    scenario=scenario,
                    unit=unit,
                    pupils=pupils,
                    funding_stream=stream(STREAMS[(index + number) % len(STREAMS)]),
                    payer=payer(PAYERS[(index * 2 + number) % len(PAYERS)]),
                    # B costs more than A: the comparison must take A.
                    **{
                        k: Decimal(v) * (2 if scenario == later_b and k == "rate" else 1)
                        for k, v in fields.items()
                    },
                )
        services.persona_shares_set(persona=persona, regions=[region], user=None)
        personas.append(persona)

    overview = selectors.region_overview(region)
    expected_payers: dict[str, list[Decimal]] = {}
    for persona, row in zip(personas, overview.rows, strict=True):
        page = persona_cost_overview(persona)
        by_kind = {}
        for view in page.scenarios:
            key = (view.scenario.kind, view.scenario.label)
            by_kind[key] = view.totals
        now = by_kind[(ScenarioKind.CURRENT, "")]
        wanted = by_kind[(ScenarioKind.DESIRED, "A")]
        assert (row.current, row.desired) == (now.total, wanted.total), persona.name
        for totals, column in ((now, 0), (wanted, 1)):
            for code, amount in totals.per_payer.items():
                name = Payer.objects.get(code=code).name
                expected_payers.setdefault(name, [Decimal("0.00"), Decimal("0.00")])
                expected_payers[name][column] += amount
    assert {p.name: [p.current, p.desired] for p in overview.payers} == expected_payers
    assert sum(p.desired for p in overview.payers) == overview.total_desired


def test_the_page_and_the_files(
    region: Region, meelezer: Membership, client_for: Callable[..., Client]
) -> None:
    school = _school(region, "Basisschool A")
    _shared(region, school, "Esra <script>")
    _shared(region, school, '=HYPERLINK("x")')
    client = client_for(meelezer.user)
    page = client.get(reverse("regions:overview", args=[region.pk])).content.decode()
    assert "Esra &lt;script&gt;" in page and "<script>" not in page.split("</head>")[1]
    assert "€\u00a044.000,00" in page
    xlsx = client.get(reverse("regions:export", args=[region.pk, "xlsx"]))
    assert xlsx["Content-Disposition"].startswith('attachment; filename="regio-regio-rijnvliet')
    sheet = load_workbook(io.BytesIO(xlsx.content))["Persona's"]
    values = [cell.value for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert '\'=HYPERLINK("x")' in values  # made safe: never a formula
    assert Decimal("22000") in [
        Decimal(str(v)) for v in values if isinstance(v, (int, float, Decimal))
    ]
    pdf = client.get(reverse("regions:export", args=[region.pk, "pdf"]))
    assert pdf.content.startswith(b"%PDF")
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf.content, capture_output=True, check=True
    ).stdout.decode()
    assert "Esra <script>" in text and "Samenwerkingsverband" in text
    # Filters go along into the files.
    filtered = client.get(reverse("regions:export", args=[region.pk, "xlsx"]), {"school": 999999})
    assert filtered.status_code == 200  # an unknown school: the filter is ignored, not an error


def test_an_organisation_outside_the_region_sees_nothing(
    region: Region,
    other_organisation: Organisation,
    make_member: Callable[..., Membership],
    client_for: Callable[..., Client],
) -> None:
    _shared(region, _school(region, "Basisschool A"), "Geheim-Esra")
    outsider = client_for(make_member(other_organisation, Role.BEHEERDER).user)
    for url in (
        reverse("regions:overview", args=[region.pk]),
        reverse("regions:export", args=[region.pk, "xlsx"]),
        reverse("regions:export", args=[region.pk, "pdf"]),
    ):
        response = outsider.get(url)
        assert response.status_code == 404 and b"Geheim-Esra" not in response.content
    assert b"Regio Rijnvliet" not in outsider.get(reverse("regions:list")).content


def test_an_opsteller_shares_and_withdraws_from_the_persona_page(
    region: Region, opsteller: Membership, meelezer: Membership, client_for
) -> None:
    persona = filled_persona(opsteller.organisation, name="Esra")
    url = reverse("regions:persona_share", args=[persona.pk])
    assert client_for(meelezer.user).post(url, {"regions": [region.pk]}).status_code == 403
    client = client_for(opsteller.user)
    assert "Regio Rijnvliet" in client.get(url).content.decode()
    assert client.post(url, {"regions": [region.pk]}).status_code == 302
    assert RegionShare.objects.filter(persona=persona, region=region).exists()
    assert client.post(url, {}).status_code == 302
    assert not RegionShare.objects.exists()
    bad = client.post(url, {"regions": [999999]})
    assert bad.status_code == 400
    assert "Kies regio's uit de lijst." in html.unescape(bad.content.decode())
