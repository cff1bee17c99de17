from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from zio.accounts.models import User
from zio.costs import forms, selectors, services
from zio.costs.constants import ScenarioKind, Unit
from zio.costs.models import CostLine, Scenario, Tariff
from zio.organisations.constants import Role
from zio.organisations.models import Membership, Organisation, Region
from zio.organisations.tests.factories import GemeenteFactory, OrganisationFactory, RegionFactory
from zio.personas.models import Persona
from zio.personas.tests.factories import PersonaFactory

from .factories import CostLineFactory, TariffFactory, stream

pytestmark = pytest.mark.django_db
D = Decimal
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def persona(organisation: Organisation) -> Persona:
    persona = PersonaFactory.create(organisation=organisation, name="Noor", group_size=14)
    services.scenarios_ensure_defaults(persona=persona)
    return persona


@pytest.fixture
def current(persona: Persona) -> Scenario:
    return persona.scenarios.get(kind=ScenarioKind.CURRENT)


@pytest.fixture
def desired(persona: Persona) -> Scenario:
    return persona.scenarios.get(kind=ScenarioKind.DESIRED)


@pytest.fixture
def line(current: Scenario) -> CostLine:
    return CostLineFactory.create(scenario=current, description="Ondersteuningsbekostiging SBO")


@pytest.fixture
def region(organisation: Organisation) -> Region:
    region = RegionFactory.create(name="Regio Rijnvliet")
    region.organisations.add(organisation)
    return region


@pytest.fixture
def tariff(region: Region) -> Tariff:
    return TariffFactory.create(region=region, name="Jeugdhulp groep, mbo-niveau, per uur")


@pytest.fixture
def gemeente_beheerder(region: Region, make_member: Callable[..., Membership]) -> Membership:
    gemeente = GemeenteFactory.create(name="Gemeente Rijnvliet")
    region.organisations.add(gemeente)
    return make_member(gemeente, Role.BEHEERDER)


def costs_url(persona: Persona) -> str:
    return reverse("costs:persona_costs", args=[persona.pk])


def add_url(scenario: Scenario) -> str:
    return reverse("costs:line_create", args=[scenario.persona_id, scenario.pk])


def line_post(scenario: Scenario, **fields: str) -> dict[str, str]:
    data = {
        "description": "Ondersteuningsbekostiging SBO",
        "funding_stream": str(stream("ondersteuningsbekostiging").pk),
        "unit": Unit.PUPIL_YEAR,
        "rate": "6.634,52",
        "quantity": "1",
    }
    data.update(fields)
    return {f"scenario-{scenario.pk}-{key}": value for key, value in data.items()}


def text(response) -> str:
    return response.content.decode()


# --- the cost page --------------------------------------------------------------------------


def test_cost_page_shows_scenarios_lines_and_comparison(
    opsteller: Membership, client_for: Callable[[User], Client], line: CostLine
) -> None:
    persona = line.scenario.persona
    response = client_for(opsteller.user).get(costs_url(persona))
    assert response.status_code == 200
    page = text(response)
    for expected in (
        "Kosten van Noor",
        "Huidige situatie",
        "Gewenste situatie A",
        "Als er niets verandert",
        "Ondersteuningsbekostiging SBO",
        "1 jaar × €\u00a06.634,52 per leerling, voor de hele groep",
        "€\u00a092.883,28",  # 14 × 6634,52
        'role="img"',
        "Wie betaalt meer, wie bespaart?",
        "Regel toevoegen",
    ):
        assert expected in page, expected


def test_first_visit_of_an_opsteller_sets_up_the_scenarios(
    organisation: Organisation, opsteller: Membership, meelezer: Membership, client_for
) -> None:
    persona = PersonaFactory.create(organisation=organisation)
    response = client_for(meelezer.user).get(costs_url(persona))
    assert "nog geen kosten ingevuld" in text(response)
    assert not persona.scenarios.exists()  # reading changes nothing
    client_for(opsteller.user).get(costs_url(persona))
    assert persona.scenarios.count() == 3


def test_meelezer_sees_everything_but_no_edit_controls(
    meelezer: Membership, client_for, line: CostLine
) -> None:
    page = text(client_for(meelezer.user).get(costs_url(line.scenario.persona)))
    assert "Ondersteuningsbekostiging SBO" in page and "Wie betaalt wat?" in page
    for control in ("Regel toevoegen", ">Wijzigen<", "Verwijderen", "Omhoog", "data-hx-post"):
        assert control not in page, control
    assert 'method="post" action="/personas/' not in page
    assert "/kosten/regels/" not in page and "/kosten/scenarios/" not in page
    assert "Wijzigen kan een opsteller of beheerder" in page


def test_meelezer_gets_403_on_every_edit_url(
    meelezer: Membership, client_for, line: CostLine, desired: Scenario, tariff: Tariff
) -> None:
    client = client_for(meelezer.user)
    persona = line.scenario.persona
    urls = [
        add_url(desired),
        reverse("costs:line_edit", args=[persona.pk, line.pk]),
        reverse("costs:line_delete", args=[persona.pk, line.pk]),
        reverse("costs:line_move", args=[persona.pk, line.pk]),
        reverse("costs:scenario_create", args=[persona.pk]),
        reverse("costs:scenario_edit", args=[persona.pk, desired.pk]),
        reverse("costs:scenario_delete", args=[persona.pk, desired.pk]),
        reverse("costs:tariff_create", args=[tariff.region_id]),
        reverse("costs:tariff_edit", args=[tariff.pk]),
        reverse("costs:tariff_delete", args=[tariff.pk]),
        reverse("costs:tariffs_seed", args=[tariff.region_id]),
    ]
    for url in urls:
        for method in ("get", "post"):
            response = getattr(client, method)(url, {"direction": "up", "name": "x"})
            assert response.status_code in {403, 405}, f"{method} {url}"
            if method == "post":
                assert response.status_code == 403, url
    assert CostLine.objects.get(pk=line.pk).description == "Ondersteuningsbekostiging SBO"
    assert persona.scenarios.count() == 3
    assert Tariff.objects.count() == 1


def test_another_organisation_gets_404(
    other_organisation: Organisation,
    make_member: Callable[..., Membership],
    client_for,
    line: CostLine,
    desired: Scenario,
    tariff: Tariff,
) -> None:
    stranger = make_member(other_organisation, Role.BEHEERDER)
    client = client_for(stranger.user)
    persona = line.scenario.persona
    for url in [
        costs_url(persona),
        reverse("costs:line_edit", args=[persona.pk, line.pk]),
        reverse("costs:line_delete", args=[persona.pk, line.pk]),
        reverse("costs:scenario_edit", args=[persona.pk, desired.pk]),
        reverse("costs:tariff_edit", args=[tariff.pk]),
        reverse("costs:tariff_create", args=[tariff.region_id]),
    ]:
        assert client.get(url).status_code == 404, url
    for url in [
        add_url(desired),
        reverse("costs:line_move", args=[persona.pk, line.pk]),
        reverse("costs:tariff_delete", args=[tariff.pk]),
    ]:
        assert client.post(url, {"direction": "up"}).status_code == 404, url
    assert "Jeugdhulp groep" not in text(client.get(reverse("costs:tariffs")))


def test_a_line_of_another_persona_is_not_reachable_through_mine(
    organisation: Organisation, opsteller: Membership, client_for, line: CostLine
) -> None:
    # Same organisation, but the URL pairs the line with a persona it does not belong to.
    other = PersonaFactory.create(organisation=organisation)
    url = reverse("costs:line_edit", args=[other.pk, line.pk])
    assert client_for(opsteller.user).get(url).status_code == 404


# --- adding and changing lines ----------------------------------------------------------------


def test_add_a_line_without_javascript_with_dutch_numbers(
    opsteller: Membership, client_for, current: Scenario
) -> None:
    response = client_for(opsteller.user).post(add_url(current), line_post(current))
    assert response.status_code == 302
    assert response["Location"] == f"{costs_url(current.persona)}#scenario-{current.pk}"
    line = CostLine.objects.get()
    assert (line.rate, line.payer.code) == (D("6634.52"), "swv")


def test_add_an_hourly_line_with_a_decimal_comma(
    opsteller: Membership, client_for, desired: Scenario
) -> None:
    post = line_post(
        desired,
        description="Jeugdhulp op school",
        funding_stream=str(stream("jeugdhulp-collectief").pk),
        unit=Unit.GROUP_HOUR,
        rate="51,00",
        hours_per_week="12,5",
        weeks="40",
    )
    assert client_for(opsteller.user).post(add_url(desired), post).status_code == 302
    line = CostLine.objects.get()
    assert (line.hours_per_week, line.weeks) == (D("12.5"), D("40"))


def test_add_a_line_with_htmx_swaps_the_card_and_the_comparison(
    opsteller: Membership, client_for, current: Scenario
) -> None:
    response = client_for(opsteller.user).post(add_url(current), line_post(current), **HTMX)
    assert response.status_code == 200
    page = text(response)
    assert "<html" not in page
    assert page.lstrip().startswith(
        f'<section class="card cost-scenario" id="scenario-{current.pk}"'
    )
    assert 'id="kosten-vergelijking"' in page and 'data-hx-swap-oob="true"' in page
    assert "Regel toegevoegd aan Huidige situatie." in page
    assert "€\u00a092.883,28" in page  # the new line's group total (14 pupils)


def test_adding_a_line_is_noted_in_the_persona_history(
    opsteller: Membership, client_for, current: Scenario
) -> None:
    before = current.persona.revisions.count()
    client_for(opsteller.user).post(add_url(current), line_post(current))
    revision = current.persona.revisions.order_by("-number").first()
    assert current.persona.revisions.count() == before + 1
    assert revision is not None and "Ondersteuningsbekostiging SBO" in revision.summary
    assert revision.snapshot["costs"][0]["lines"][0]["rate"] == "6634.52"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"rate": "twaalf"}, forms.NUMBER_INVALID),
        ({"rate": "-3"}, services.NEGATIVE),
        ({"rate": "12.000.000"}, services.AMOUNT_TOO_HIGH),
        ({"rate": "1,234"}, forms.TWO_DECIMALS),
        ({"rate": ""}, services.RATE_REQUIRED),
        ({"pupils": "drie"}, forms.WHOLE_NUMBER_INVALID),
        ({"pupils": "0"}, services.PUPILS_ZERO),
        ({"pupils": "500"}, services.PUPILS_ABSURD),
        ({"unit": Unit.PUPIL_HOUR, "hours_per_week": ""}, services.HOURS_REQUIRED),
        ({"unit": Unit.PUPIL_HOUR, "hours_per_week": "80"}, forms.HOURS_TOO_HIGH),
        ({"unit": Unit.GROUP_HOUR, "hours_per_week": "2", "weeks": ""}, services.WEEKS_REQUIRED),
        ({"unit": Unit.GROUP_HOUR, "hours_per_week": "2", "weeks": "60"}, forms.WEEKS_TOO_HIGH),
        ({"funding_stream": ""}, services.STREAM_REQUIRED),
        ({"description": ""}, services.DESCRIPTION_REQUIRED),
    ],
)
def test_bad_input_gives_dutch_messages_next_to_the_field(
    opsteller: Membership, client_for, current: Scenario, fields: dict, message: object
) -> None:
    client = client_for(opsteller.user)
    response = client.post(add_url(current), line_post(current, **fields))
    assert response.status_code == 400
    assert str(message) in text(response)
    assert "Er is iets niet goed ingevuld" in text(response)
    htmx = client.post(add_url(current), line_post(current, **fields), **HTMX)
    assert htmx.status_code == 200 and str(message) in text(htmx)
    assert not CostLine.objects.exists()


def test_a_tariff_of_another_region_is_refused(
    opsteller: Membership, client_for, current: Scenario, tariff: Tariff
) -> None:
    foreign = TariffFactory.create(region=RegionFactory.create(name="Elders"))
    response = client_for(opsteller.user).post(
        add_url(current), line_post(current, tariff=str(foreign.pk), rate="")
    )
    assert response.status_code == 400
    assert "Dit tarief hoort niet bij een regio van jouw organisatie." in text(response)
    assert "Jeugdhulp groep" in text(response)  # own tariffs are offered in the list


def test_pick_a_tariff(
    opsteller: Membership, client_for, desired: Scenario, tariff: Tariff
) -> None:
    post = line_post(
        desired,
        description="Jeugdhulp op school",
        tariff=str(tariff.pk),
        funding_stream="",
        unit="",
        rate="",
        hours_per_week="8",
        weeks="40",
    )
    assert client_for(opsteller.user).post(add_url(desired), post).status_code == 302
    line = CostLine.objects.get()
    assert (line.tariff, line.rate, line.unit) == (tariff, D("51.00"), Unit.GROUP_HOUR)


def test_edit_a_line(opsteller: Membership, client_for, line: CostLine) -> None:
    client = client_for(opsteller.user)
    persona = line.scenario.persona
    url = reverse("costs:line_edit", args=[persona.pk, line.pk])
    form_page = text(client.get(url))
    assert 'value="6634,52"' in form_page  # shown the Dutch way
    response = client.post(
        url,
        {
            "description": "SBO-bedrag",
            "funding_stream": str(line.funding_stream_id),
            "unit": Unit.PUPIL_YEAR,
            "rate": "7000",
            "quantity": "1",
            "pupils": "10",
        },
    )
    assert response.status_code == 302
    line.refresh_from_db()
    assert (line.description, line.rate, line.pupils) == ("SBO-bedrag", D("7000"), 10)
    bad = client.post(url, {"description": "x", "funding_stream": "", "rate": "-1"})
    assert bad.status_code == 400 and str(services.NEGATIVE) in text(bad)


def test_delete_a_line_after_confirming(opsteller: Membership, client_for, line: CostLine) -> None:
    client = client_for(opsteller.user)
    url = reverse("costs:line_delete", args=[line.scenario.persona_id, line.pk])
    assert "„Ondersteuningsbekostiging SBO” verwijderen?" in text(client.get(url))
    assert CostLine.objects.exists()
    assert client.post(url).status_code == 302
    assert not CostLine.objects.exists()


def test_move_a_line(opsteller: Membership, client_for, current: Scenario) -> None:
    first = CostLineFactory.create(scenario=current, description="Eerste", position=0)
    second = CostLineFactory.create(scenario=current, description="Tweede", position=1)
    client = client_for(opsteller.user)
    url = reverse("costs:line_move", args=[current.persona_id, second.pk])
    assert client.post(url, {"direction": "up"}).status_code == 302
    assert list(current.lines.order_by("position").values_list("pk", flat=True)) == [
        second.pk,
        first.pk,
    ]
    response = client.post(url, {"direction": "down"}, **HTMX)
    assert response.status_code == 200
    page = text(response)
    assert page.index("Eerste") < page.index("Tweede")


# --- scenarios ------------------------------------------------------------------------------


def test_add_rename_and_delete_a_desired_scenario(
    opsteller: Membership, client_for, persona: Persona
) -> None:
    client = client_for(opsteller.user)
    response = client.post(
        reverse("costs:scenario_create", args=[persona.pk]), {"nieuw-name": "Kleine groep"}
    )
    assert response.status_code == 302
    b = persona.scenarios.get(label="B")
    assert b.name == "Kleine groep"
    edit = reverse("costs:scenario_edit", args=[persona.pk, b.pk])
    assert client.post(edit, {"name": "Deel van de week"}).status_code == 302
    b.refresh_from_db()
    assert b.name == "Deel van de week"
    assert client.post(edit, {"name": "x" * 121}).status_code == 400
    delete = reverse("costs:scenario_delete", args=[persona.pk, b.pk])
    assert "verwijderen?" in text(client.get(delete))
    assert client.post(delete).status_code == 302
    assert not persona.scenarios.filter(label="B").exists()


def test_the_current_situation_cannot_be_deleted(
    opsteller: Membership, client_for, current: Scenario
) -> None:
    client = client_for(opsteller.user)
    url = reverse("costs:scenario_delete", args=[current.persona_id, current.pk])
    assert "kun je niet verwijderen" in text(client.get(url))
    response = client.post(url, follow=True)
    assert str(services.ONLY_DESIRED_CAN_BE_DELETED) in text(response)
    assert Scenario.objects.filter(pk=current.pk).exists()


# --- tariffs --------------------------------------------------------------------------------


def test_school_reads_the_regions_tariffs(
    beheerder: Membership, client_for, tariff: Tariff
) -> None:
    client = client_for(beheerder.user)
    page = text(client.get(reverse("costs:tariffs")))
    assert "Regio Rijnvliet" in page and tariff.name in page
    assert "Tarief toevoegen" not in page and "Alleen lezen" in page
    assert client.get(reverse("costs:tariff_create", args=[tariff.region_id])).status_code == 403


def test_gemeente_edits_the_regions_tariffs(
    gemeente_beheerder: Membership, client_for, region: Region
) -> None:
    client = client_for(gemeente_beheerder.user)
    create = reverse("costs:tariff_create", args=[region.pk])
    response = client.post(
        create,
        {
            "name": "Jeugdhulp ambulant",
            "year": "2026",
            "funding_stream": str(stream("jeugdhulp-individueel").pk),
            "unit": Unit.PUPIL_HOUR,
            "amount": "1.234,56",
            "source": "Tarievenlijst 2026",
            "reference_date": "2026-01-01",
            "is_indicative": "on",
        },
    )
    assert response.status_code == 302
    tariff = Tariff.objects.get()
    assert (tariff.amount, tariff.is_indicative, tariff.updated_by) == (
        D("1234.56"),
        True,
        gemeente_beheerder.user,
    )
    page = text(client.get(reverse("costs:tariffs")))
    assert "Tarief toevoegen" in page and "indicatief" in page and "€\u00a01.234,56" in page

    duplicate = client.post(
        create,
        {
            "name": "jeugdhulp ambulant",
            "year": "2026",
            "funding_stream": str(stream("jeugdhulp-individueel").pk),
            "unit": Unit.PUPIL_HOUR,
            "amount": "abc",
            "source": "x",
            "reference_date": "morgen",
        },
    )
    assert duplicate.status_code == 400
    assert str(forms.NUMBER_INVALID) in text(duplicate)
    assert str(forms.DATE_INVALID) in text(duplicate)

    edit = reverse("costs:tariff_edit", args=[tariff.pk])
    assert 'value="1234,56"' in text(client.get(edit))
    data = {
        "name": "Jeugdhulp ambulant",
        "year": "2026",
        "funding_stream": str(stream("jeugdhulp-individueel").pk),
        "unit": Unit.PUPIL_HOUR,
        "amount": "80",
        "source": "Tarievenlijst 2026",
        "reference_date": "2026-01-01",
    }
    assert client.post(edit, data).status_code == 302
    tariff.refresh_from_db()
    assert (tariff.amount, tariff.is_indicative) == (D("80"), False)

    delete = reverse("costs:tariff_delete", args=[tariff.pk])
    assert "verwijderen?" in text(client.get(delete))
    assert client.post(delete).status_code == 302
    assert not Tariff.objects.exists()


def test_fill_a_year_with_indicative_tariffs(
    gemeente_beheerder: Membership, client_for, region: Region
) -> None:
    client = client_for(gemeente_beheerder.user)
    url = reverse("costs:tariffs_seed", args=[region.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"year": "2026"}, follow=True)
    assert "9 indicatieve tarieven toegevoegd aan 2026." in text(response)
    assert Tariff.objects.filter(region=region, year=2026, is_indicative=True).count() == 9
    again = client.post(url, {"year": "2026"}, follow=True)
    assert "stonden al in 2026" in text(again)
    bad = client.post(url, {"year": "tweeduizend"})
    assert bad.status_code == 400 and str(forms.YEAR_INVALID) in text(bad)


def test_a_region_the_organisation_is_not_in_gives_404(
    gemeente_beheerder: Membership, client_for
) -> None:
    elsewhere = RegionFactory.create(name="Elders")
    elsewhere.organisations.add(OrganisationFactory.create())
    client = client_for(gemeente_beheerder.user)
    for name in ("costs:tariff_create", "costs:tariffs_seed"):
        assert client.get(reverse(name, args=[elsewhere.pk])).status_code == 404


# --- the summary for the persona page ---------------------------------------------------------


def test_summary_partial_shows_who_pays_more_and_who_saves(
    current: Scenario, desired: Scenario
) -> None:
    CostLineFactory.create(scenario=current, rate=D("1000"))  # swv, 14 pupils: 14.000
    CostLineFactory.create(
        scenario=desired,
        funding_stream=stream("jeugdhulp-collectief"),
        unit=Unit.GROUP_YEAR,
        rate=D("5000"),
    )
    html = render_to_string(
        "costs/_summary.html", {"overview": selectors.persona_cost_overview(current.persona)}
    )
    assert "−\u00a0€" not in html  # the sign is separated by a normal space
    assert "− €\u00a014.000,00" in html and "bespaart" in html
    assert "+ €\u00a05.000,00" in html and "betaalt meer" in html
    assert "goedkoper" in html  # 5.000 instead of 14.000 in total


def test_costs_of_an_archived_persona_cannot_be_changed(opsteller, client_for) -> None:
    from django.urls import reverse

    from zio.personas import services as persona_services

    persona = persona_services.persona_create(
        organisation=opsteller.organisation, name="Oud", group_size=10, age_min=6, age_max=8
    )
    persona_services.persona_archive(persona=persona, user=opsteller.user)
    client = client_for(opsteller.user)
    page = client.get(reverse("costs:persona_costs", args=[persona.pk])).content.decode()
    assert "Regel toevoegen" not in page
    scenario = persona.scenarios.get(kind="huidig")
    response = client.post(
        reverse("costs:line_create", args=[persona.pk, scenario.pk]), {"description": "x"}
    )
    assert response.status_code == 403
    assert "gearchiveerd" in response.content.decode()
    assert not scenario.lines.exists()
