"""Each operation: reads give what the pages show; writes go through the services, land in the
persona's history, and respect roles; bad input gives 422 with `detail`."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest

from zio.costs.selectors import persona_cost_overview
from zio.costs.services import TARIFF_NOT_IN_REGION, TARIFFS_READ_ONLY
from zio.costs.tests.factories import TariffFactory
from zio.organisations.constants import OrganisationKind, Role
from zio.organisations.models import Membership
from zio.organisations.tests.factories import OrganisationFactory
from zio.personas.constants import PersonaStatus, Section
from zio.personas.models import Persona
from zio.personas.services import ARCHIVED, persona_archive
from zio.personas.tests.factories import PersonaFactory, PersonaItemFactory
from zio.screening.models import Screening
from zio.screening.selectors import population, statistics_as_dict
from zio.workshops.constants import ActionStatus
from zio.workshops.models import Action

from .conftest import ApiClient, World

pytestmark = pytest.mark.django_db

V1 = "/api/v1"


# --- persona's ---------------------------------------------------------------------------------


def test_the_list_filters_paginates_and_suppresses_group_sizes(
    world: World, opsteller: Membership, meelezer: Membership, api_for: Callable
) -> None:
    org = world.organisation
    PersonaFactory.create(organisation=org, name="Bram", group_size=4, school_types=["po"])
    noor = PersonaFactory.create(
        organisation=org, name="Noor", status=PersonaStatus.ADOPTED, school_types=["vso"]
    )
    PersonaItemFactory.create(persona=noor, section=Section.WHO, text="Houdt van paarden")
    reader = api_for(meelezer)
    page = reader.get(f"{V1}/personas", limit=2)
    assert page.status == 200
    assert page.body["count"] == 3
    assert [p["name"] for p in page.body["items"]] == ["Bram", "Noor"]
    bram = page.body["items"][0]
    assert bram["group_size_shown"] == "< 10" and bram["group_size"] is None
    assert reader.get(f"{V1}/personas", limit=2, offset=2).body["items"][0]["name"] == (
        world.persona.name
    )
    names = lambda answer: [p["name"] for p in answer.body["items"]]  # noqa: E731
    assert names(reader.get(f"{V1}/personas", status="vastgesteld")) == ["Noor"]
    assert names(reader.get(f"{V1}/personas", school_type="po")) == ["Bram"]
    assert names(reader.get(f"{V1}/personas", q="paarden")) == ["Noor"]
    assert names(reader.get(f"{V1}/personas", q="bra")) == ["Bram"]
    # An editor sees the exact size, as on the edit form.
    editor_items = api_for(opsteller).get(f"{V1}/personas", q="Bram").body["items"]
    assert editor_items[0]["group_size"] == 4


def test_archived_persona_s_only_on_request(world: World, opsteller: Membership, api_for) -> None:
    persona_archive(persona=world.persona, user=opsteller.user)
    client = api_for(opsteller)
    assert client.get(f"{V1}/personas").body["count"] == 0
    archived = client.get(f"{V1}/personas", archived="true").body["items"]
    assert [p["id"] for p in archived] == [world.persona.pk]


def test_the_detail_has_sections_and_the_cost_page_s_totals(
    world: World, meelezer: Membership, api_for: Callable
) -> None:
    answer = api_for(meelezer).get(f"{V1}/personas/{world.persona.pk}")
    assert answer.status == 200
    body = answer.body
    assert [s["section"] for s in body["sections"]] == [s.value for s in Section]
    assert body["sections"][0]["items"] == [{"text": "Wereld-A-7Q-regel", "signal_id": None}]
    overview = persona_cost_overview(Persona.objects.get(pk=world.persona.pk))
    assert [s["id"] for s in body["scenarios"]] == [v.scenario.pk for v in overview.scenarios]
    current = body["scenarios"][0]
    assert current["kind"] == "huidig"
    assert Decimal(current["totals"]["total"]) == overview.scenarios[0].totals.total
    assert current["totals"]["total"] == str(overview.scenarios[0].totals.total)
    line = current["lines"][0]
    assert line["description"] == "Wereld-A-7Q-kostenregel"
    assert Decimal(line["total"]) == overview.scenarios[0].lines[0].cost.total
    assert line["calculation"] == overview.scenarios[0].lines[0].calculation


def test_saving_a_section_uses_the_version_and_a_conflict_is_409(
    world: World, opsteller: Membership, api_for: Callable
) -> None:
    client = api_for(opsteller)
    path = f"{V1}/personas/{world.persona.pk}/sections/problemen"
    saved = client.call("put", path, {"version": 0, "items": [{"text": "Overprikkeling"}]})
    assert saved.status == 200
    problems = next(s for s in saved.body["sections"] if s["section"] == "problemen")
    assert problems["version"] == 1 and problems["items"][0]["text"] == "Overprikkeling"
    latest = world.persona.revisions.first()
    assert latest is not None and latest.author == opsteller.user
    stale = client.call("put", path, {"version": 0, "items": [{"text": "Iets anders"}]})
    assert stale.status == 409
    assert stale.body["current_version"] == 1 and stale.body["detail"]
    assert world.persona.items.filter(section="problemen").get().text == "Overprikkeling"


def test_a_service_refusal_is_422_with_detail_per_problem(
    world: World, opsteller: Membership, api_for: Callable
) -> None:
    client = api_for(opsteller)
    path = f"{V1}/personas/{world.persona.pk}/sections/problemen"
    answer = client.call(
        "put", path, {"version": 0, "items": [{"text": "Iets", "signal_id": 999999}]}
    )
    assert answer.status == 422
    assert answer.body["detail"][0]["loc"] == ["body"]
    assert "catalogus" in answer.body["detail"][0]["msg"]


def test_validation_errors_are_422_with_detail(world: World, opsteller, api_for) -> None:
    client = api_for(opsteller)
    answer = client.call("put", f"{V1}/personas/{world.persona.pk}/sections/onzin", {})
    assert answer.status == 422
    assert isinstance(answer.body["detail"], list) and answer.body["detail"][0]["loc"]
    assert client.get(f"{V1}/personas", limit=1000).status == 422
    assert client.get(f"{V1}/personas/abc").status == 422
    bad_json = client.client.put(
        f"{V1}/personas/{world.persona.pk}",
        "{niet json",
        content_type="application/json",
        headers={"Authorization": f"Bearer {client.token}"},
    )
    assert bad_json.status_code == 400 and "JSON" in bad_json.json()["detail"]


def test_updating_the_data_of_a_persona(world: World, opsteller: Membership, api_for) -> None:
    client = api_for(opsteller)
    body = {
        "version": 0,
        "name": "Sam",
        "group_size": 30,
        "age_min": 6,
        "age_max": 9,
        "school_types": ["po", "sbo"],
        "avatar": "avatar-02",
        "status": "in_bespreking",
    }
    answer = client.call("put", f"{V1}/personas/{world.persona.pk}", body)
    assert answer.status == 200 and answer.body["name"] == "Sam"
    assert answer.body["meta_version"] == 1
    world.persona.refresh_from_db()
    assert world.persona.school_types == ["po", "sbo"] and world.persona.group_size == 30
    wrong_ages = client.call(
        "put", f"{V1}/personas/{world.persona.pk}", {**body, "version": 1, "age_min": 12}
    )
    assert wrong_ages.status == 422
    assert wrong_ages.body["detail"][0]["loc"] == ["body", "age_max"]


def test_a_meelezer_may_not_write_and_an_archived_persona_is_409(
    world: World, meelezer: Membership, opsteller: Membership, api_for
) -> None:
    path = f"{V1}/personas/{world.persona.pk}/sections/wie"
    denied = api_for(meelezer).call("put", path, {"version": 0, "items": []})
    assert denied.status == 403
    persona_archive(persona=world.persona, user=opsteller.user)
    archived = api_for(opsteller).call("put", path, {"version": 0, "items": []})
    assert archived.status == 409 and archived.body["detail"] == str(ARCHIVED)
    assert world.persona.items.count() == 1


# --- cost lines --------------------------------------------------------------------------------


def test_adding_changing_and_deleting_a_cost_line(
    world: World, opsteller: Membership, api_for: Callable
) -> None:
    client = api_for(opsteller)
    persona_id = world.persona.pk
    revisions = world.persona.revisions.count()
    added = client.call(
        "post",
        f"{V1}/personas/{persona_id}/scenarios/{world.scenario.pk}/lines",
        {
            "description": "Ambulante begeleiding",
            "funding_stream": "jeugdhulp-collectief",
            "unit": "groep_uur",
            "rate": "51.00",
            "hours_per_week": "4",
            "weeks": "40",
        },
    )
    assert added.status == 201, added.text
    assert added.body["total"] == "8160.00" and added.body["payer"] == "gemeente"
    line_id = added.body["id"]
    changed = client.call(
        "patch", f"{V1}/personas/{persona_id}/lines/{line_id}", {"hours_per_week": 2}
    )
    assert changed.status == 200 and changed.body["total"] == "4080.00"
    assert changed.body["description"] == "Ambulante begeleiding"
    deleted = client.call("delete", f"{V1}/personas/{persona_id}/lines/{line_id}")
    assert deleted.status == 204
    assert world.persona.revisions.count() == revisions + 3
    gone = client.call("delete", f"{V1}/personas/{persona_id}/lines/{line_id}")
    assert gone.status == 404 and gone.body["detail"]


def test_a_cost_line_refuses_unknown_codes_and_foreign_tariffs(
    world: World, opsteller: Membership, api_for: Callable
) -> None:
    client = api_for(opsteller)
    path = f"{V1}/personas/{world.persona.pk}/scenarios/{world.scenario.pk}/lines"
    unknown = client.call("post", path, {"description": "X", "funding_stream": "bestaat-niet"})
    assert unknown.status == 422 and unknown.body["detail"][0]["loc"] == ["body", "funding_stream"]
    foreign = TariffFactory.create()  # a region the organisation is not in
    refused = client.call("post", path, {"description": "X", "tariff_id": foreign.pk})
    assert refused.status == 422
    assert {"loc": ["body", "tariff_id"], "msg": str(TARIFF_NOT_IN_REGION), "type": "refused"} in (
        refused.body["detail"]
    )
    missing = client.call("post", path, {"description": "Zonder bedrag", "unit": "groep_jaar"})
    assert missing.status == 422
    assert world.scenario.lines.count() == 1


# --- tariffs -----------------------------------------------------------------------------------


def test_tariffs_are_read_by_everyone_and_changed_only_by_a_regional_beheerder(
    world: World, beheerder: Membership, make_member: Callable, api_for: Callable
) -> None:
    region_id = world.samples["region_id"]
    tariff_id = world.samples["tariff_id"]
    school = api_for(beheerder)  # a school's beheerder: reads only
    listed = school.get(f"{V1}/tariffs", region_id=region_id)
    assert [t["id"] for t in listed.body["items"]] == [tariff_id]
    assert listed.body["items"][0]["can_edit"] is False
    refused = school.call("patch", f"{V1}/tariffs/{tariff_id}", {"amount": "60"})
    assert refused.status == 403 and refused.body["detail"] == str(TARIFFS_READ_ONLY)

    gemeente = OrganisationFactory.create(kind=OrganisationKind.GEMEENTE, school_type="")
    gemeente.regions.add(region_id)
    editor = api_for(make_member(gemeente, Role.BEHEERDER))
    assert editor.get(f"{V1}/tariffs/{tariff_id}").body["can_edit"] is True
    changed = editor.call("patch", f"{V1}/tariffs/{tariff_id}", {"amount": "60.50"})
    assert changed.status == 200 and changed.body["amount"] == "60.50"
    created = editor.call(
        "post",
        f"{V1}/tariffs",
        {
            "region_id": region_id,
            "year": 2026,
            "name": "Schoolmaatschappelijk werk",
            "funding_stream": "jeugdhulp-collectief",
            "unit": "groep_uur",
            "amount": "48.00",
            "source": "Tarievenlijst 2026",
            "reference_date": "2026-01-01",
        },
    )
    assert created.status == 201, created.text
    duplicate = editor.call("post", f"{V1}/tariffs", {**created.body, "region_id": region_id})
    assert duplicate.status == 422
    assert editor.call("delete", f"{V1}/tariffs/{created.body['id']}").status == 204
    opsteller_of_gemeente = api_for(make_member(gemeente, Role.OPSTELLER))
    assert opsteller_of_gemeente.call("delete", f"{V1}/tariffs/{tariff_id}").status == 403


# --- screening and grouping --------------------------------------------------------------------


def test_screening_statistics_are_the_suppressed_figures_of_the_page(
    world: World, meelezer: Membership, api_for: Callable
) -> None:
    client = api_for(meelezer)
    screenings = client.get(f"{V1}/screenings").body["items"]
    assert screenings[0]["pupils"] == 30 and screenings[0]["current"] is True
    screening = Screening.objects.get(pk=world.samples["screening_id"])
    answer = client.get(f"{V1}/screenings/{screening.pk}/statistics")
    assert answer.status == 200
    expected = statistics_as_dict(screening, population(screening))
    assert {k: answer.body[k] for k in expected} == expected
    # The rare second signal (3 pupils) is suppressed, as on the page.
    assert "< 10" in [s["pupils"] for s in answer.body["signals"]]
    assert "LL0001" not in answer.text and "code" not in answer.text.lower()


def test_a_grouping_run_with_its_groups_as_the_page_shows_them(
    world: World, meelezer: Membership, api_for: Callable
) -> None:
    client = api_for(meelezer)
    runs = client.get(f"{V1}/grouping-runs").body["items"]
    assert [r["id"] for r in runs] == [world.samples["run_id"]]
    assert runs[0]["screening_ids"] == [world.samples["screening_id"]]
    detail = client.get(f"{V1}/grouping-runs/{world.samples['run_id']}").body
    assert detail["status"] == "klaar" and detail["unavailable"] == ""
    titles = [g["title"] for g in detail["groups"]]
    assert "Wereld-A-7Q-groep" in titles
    for group in detail["groups"]:
        assert group["pupils"] is None or group["pupils"] == "< 10" or group["pupils"] >= 10


def test_a_run_whose_screening_is_gone_shows_no_groups(
    world: World, meelezer: Membership, api_for: Callable
) -> None:
    from zio.screening.services import screening_delete

    screening_delete(screening=Screening.objects.get(pk=world.samples["screening_id"]))
    detail = api_for(meelezer).get(f"{V1}/grouping-runs/{world.samples['run_id']}").body
    assert detail["groups"] == [] and detail["unavailable"]


# --- doen-sessies and actions ------------------------------------------------------------------


def test_workshops_and_actions(world: World, meelezer: Membership, opsteller, api_for) -> None:
    reader = api_for(meelezer)
    workshops = reader.get(f"{V1}/workshops").body["items"]
    assert [w["id"] for w in workshops] == [world.samples["workshop_id"]]
    assert "join_code" not in workshops[0]
    detail = reader.get(f"{V1}/workshops/{world.samples['workshop_id']}").body
    assert detail["next_steps"][0]["what"] == "Wereld-A-7Q-wat"
    assert detail["next_steps"][0]["action_id"] == world.samples["action_id"]
    actions = reader.get(f"{V1}/actions", status="open").body["items"]
    assert [a["id"] for a in actions] == [world.samples["action_id"]]
    path = f"{V1}/actions/{world.samples['action_id']}"
    assert reader.call("patch", path, {"status": "klaar"}).status == 403
    done = api_for(opsteller).call("patch", path, {"status": "klaar", "owner": "Fatima"})
    assert done.status == 200 and done.body["status"] == "klaar" and done.body["owner"] == "Fatima"
    action = Action.objects.get(pk=world.samples["action_id"])
    assert action.status == ActionStatus.DONE
    assert reader.get(f"{V1}/actions", status="open").body["count"] == 0


def test_a_persona_of_another_organisation_is_404_even_for_its_beheerder_s_other_token(
    world: World, api_for: Callable, make_member: Callable
) -> None:
    other = OrganisationFactory.create()
    member_elsewhere = make_member(other, Role.BEHEERDER)
    answer = api_for(member_elsewhere).get(f"{V1}/personas/{world.persona.pk}")
    assert answer.status == 404 and answer.body == {"detail": answer.body["detail"]}


def test_the_schema_and_docs_need_no_token(client) -> None:
    schema = client.get(f"{V1}/openapi.json")
    assert schema.status_code == 200
    assert schema.json()["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"
    docs = client.get(f"{V1}/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    for path, methods in schema.json()["paths"].items():
        for method in methods:
            assert f'id="{methods[method]["operationId"]}"' in html, f"{method} {path}"


def test_api_client_without_token_is_the_same_as_anonymous() -> None:
    assert ApiClient(None).get(f"{V1}/personas").status == 401
