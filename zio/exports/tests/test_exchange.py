"""The JSON exchange format: the schema, export, import with its errors, and the round trip."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.test import override_settings
from jsonschema import Draft202012Validator

from zio.accounts.models import User
from zio.costs.constants import ScenarioKind, Unit
from zio.costs.models import CostLine
from zio.costs.services import HOURS_REQUIRED
from zio.costs.tests.factories import TariffFactory
from zio.exports.document import Audience, persona_document
from zio.exports.exchange import (
    MAX_COST_LINES,
    MAX_REPORTED,
    ExchangeError,
    ExchangeProblem,
    exchange_schema,
    json_path,
    persona_export_data,
    persona_import,
    persona_json,
)
from zio.exports.formats import FORMATS_BY_KEY, ExportContext
from zio.exports.tests.factories import HOSTILE_TEXTS, filled_persona
from zio.organisations.constants import SchoolType
from zio.organisations.models import Membership, Organisation
from zio.organisations.tests.factories import RegionFactory
from zio.personas.avatars import AVATARS
from zio.personas.constants import MAX_ITEMS_PER_SECTION, PersonaStatus, Section
from zio.personas.models import Persona, PersonaItem, Signal, SignalDomain
from zio.personas.services import persona_snapshot
from zio.personas.tests.factories import PersonaFactory

MADE_AT = datetime(2026, 3, 1, 13, 30, tzinfo=UTC)


def context(audience: Audience) -> ExportContext:
    return ExportContext(
        audience=audience, organisation="SBO Het Anker", title="Persona's", made_at=MADE_AT
    )


def export(persona: Persona, audience: Audience = Audience.INTERNAL) -> bytes:
    rendered = FORMATS_BY_KEY["json"].render(
        [persona_document(persona, audience)], context(audience)
    )
    return rendered.content


def schema_problems(data: Any) -> list[str]:
    validator = Draft202012Validator(exchange_schema())
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(data)]


@pytest.fixture
def importer(other_organisation: Organisation, make_member: Callable[..., Membership]) -> User:
    return make_member(other_organisation).user


# --- the schema --------------------------------------------------------------------------------


def test_schema_is_a_valid_draft_2020_12_schema() -> None:
    schema = exchange_schema()
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].endswith(":1.0")
    assert schema["properties"]["version"]["const"] == "1.0"


def test_schema_matches_the_models_constants() -> None:
    # The schema is a hand-kept document: this test notices when the code moves on without it.
    defs = exchange_schema()["$defs"]
    persona = defs["persona"]["properties"]
    assert persona["school_types"]["items"]["enum"] == SchoolType.values
    assert persona["avatar"]["enum"] == list(AVATARS)
    assert persona["status"]["enum"] == PersonaStatus.values
    assert list(persona["sections"]["properties"]) == Section.values
    assert persona["name"]["maxLength"] == Persona._meta.get_field("name").max_length
    assert defs["sectionItems"]["maxItems"] == MAX_ITEMS_PER_SECTION
    assert defs["item"]["properties"]["text"]["maxLength"] == 500
    assert defs["item"]["properties"]["text"]["maxLength"] == (
        PersonaItem._meta.get_field("text").max_length
    )
    line = defs["costLine"]["properties"]
    assert line["unit"]["enum"] == Unit.values
    assert line["description"]["maxLength"] == CostLine._meta.get_field("description").max_length
    assert defs["scenario"]["properties"]["kind"]["enum"] == ScenarioKind.values


def test_every_property_is_documented() -> None:
    def undocumented(node: Any, where: str) -> list[str]:
        found = []
        if isinstance(node, dict):
            for name, sub in node.get("properties", {}).items():
                if "description" not in sub:
                    found.append(f"{where}.{name}")
            for key, sub in node.items():
                # Conditions only restate properties that are documented where they are defined.
                if key not in ("if", "then", "else", "not"):
                    found += undocumented(sub, f"{where}.{key}")
        elif isinstance(node, list):
            for sub in node:
                found += undocumented(sub, where)
        return found

    assert undocumented(exchange_schema(), "$") == []


# --- export ------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("audience", list(Audience))
def test_export_validates_against_the_schema(
    audience: Audience, organisation: Organisation
) -> None:
    persona = filled_persona(organisation)
    content = export(persona, audience)
    data = json.loads(content.decode("utf-8"))
    assert schema_problems(data) == []
    assert list(data) == ["format", "version", "exported_at", "audience", "persona"]
    assert data["format"] == "zio-persona"
    assert data["version"] == "1.0"
    assert data["audience"] == audience.value
    assert data["exported_at"] == "2026-03-01T13:30:00+00:00"


@pytest.mark.django_db
def test_export_is_complete_pretty_and_stable(organisation: Organisation) -> None:
    persona = filled_persona(organisation)
    content = export(persona)
    assert content == export(persona)  # byte for byte: keys in a fixed order
    assert content.startswith(b'{\n  "format": "zio-persona",')
    data = json.loads(content)["persona"]
    assert data["name"] == "Esra"
    assert list(data["sections"]) == Section.values
    assert [i["text"] for i in data["sections"]["behoeften"]] == [
        "Voorspelbaarheid en structuur.",
        "Een rustige plek.",
    ]
    assert [(s["kind"], s["label"]) for s in data["scenarios"]] == [
        ("huidig", ""),
        ("gewenst", "A"),
        ("niets_verandert", ""),
    ]
    hourly = data["scenarios"][1]["lines"][0]
    assert hourly == {
        "description": "Jeugdhulpverlener in de groep",
        "funding_stream": "jeugdhulp-collectief",
        "payer": "gemeente",
        "unit": "groep_uur",
        "rate": "50.00",
        "quantity": "1.00",
        "hours_per_week": "8.00",
        "weeks": "40.0",
        "pupils": None,
    }


@pytest.mark.django_db
def test_export_for_parents_leaves_out_costs(organisation: Organisation) -> None:
    data = json.loads(export(filled_persona(organisation), Audience.PARENTS))
    assert data["audience"] == "ouders"
    assert "scenarios" not in data["persona"]
    assert "kosten_huidig" not in data["persona"]["sections"]
    assert "kosten_gewenst" not in data["persona"]["sections"]
    assert data["persona"]["sections"]["wie"]  # the rest is all there


@pytest.mark.django_db
def test_export_names_signals_and_tariffs_not_ids(organisation: Organisation) -> None:
    persona = PersonaFactory.create(organisation=organisation)
    signal = Signal.objects.get(name="Overprikkeling", organisation=None)
    PersonaItem.objects.create(persona=persona, section=Section.PROBLEMS, text="x", signal=signal)
    data = persona_export_data(persona, Audience.INTERNAL)
    assert data["persona"]["sections"]["problemen"] == [
        {"text": "x", "signal": {"name": "Overprikkeling", "domain": "prikkelverwerking"}}
    ]


@pytest.mark.django_db
def test_writer_takes_exactly_one_persona(organisation: Organisation) -> None:
    document = persona_document(filled_persona(organisation), Audience.INTERNAL)
    with pytest.raises(ValueError, match="exactly one"):
        persona_json([document, document], context(Audience.INTERNAL))


# --- round trip --------------------------------------------------------------------------------


def comparable(persona: Persona, *, keep_tariffs: bool = False) -> dict[str, Any]:
    """persona_snapshot without what differs between organisations by nature: signal and
    tariff ids (signals compared by name), and the position numbers of scenarios and lines
    (the factories number them freely; their order is compared, as the order of the lists)."""
    snapshot = persona_snapshot(persona)
    names = dict(Signal.objects.values_list("pk", "name"))
    for items in snapshot["items"].values():
        for item in items:
            item["signal"] = names.get(item.pop("signal_id"))
    for scenario in snapshot["costs"]:
        scenario.pop("position")
        for line in scenario["lines"]:
            line.pop("position")
            if not keep_tariffs:
                line.pop("tariff")
    return snapshot


@pytest.fixture
def linked_persona(organisation: Organisation) -> Persona:
    """filled_persona with lines linked to a shared and to an own catalogue signal, and a cost
    line that uses a tariff of the organisation's region."""
    persona = filled_persona(organisation, extra_texts=HOSTILE_TEXTS)
    domain = SignalDomain.objects.get(code="gezin")
    own = Signal.objects.create(domain=domain, name="Mantelzorg thuis", organisation=organisation)
    shared = Signal.objects.get(name="Overprikkeling", organisation=None)
    problems = persona.items.filter(section=Section.PROBLEMS).order_by("position")
    problems.filter(text="Overprikkeling").update(signal=shared)
    PersonaItem.objects.create(
        persona=persona,
        section=Section.PROBLEMS,
        text="Zorgt voor broertje",
        signal=own,
        position=99,
    )
    region = RegionFactory.create()
    region.organisations.add(organisation)
    tariff = TariffFactory.create(region=region, name="Jeugdhulp groep", unit=Unit.GROUP_HOUR)
    CostLine.objects.filter(scenario__persona=persona, unit=Unit.GROUP_HOUR).update(tariff=tariff)
    return persona


@pytest.mark.django_db
def test_round_trip_into_another_organisation_gives_the_same_persona(
    linked_persona: Persona, other_organisation: Organisation, importer: User
) -> None:
    # The other organisation has its own signal of the same name: the link goes there.
    Signal.objects.create(
        domain=SignalDomain.objects.get(code="gezin"),
        name="Mantelzorg thuis",
        organisation=other_organisation,
    )
    linked_persona.status = PersonaStatus.ADOPTED
    linked_persona.save()

    imported = persona_import(
        organisation=other_organisation, user=importer, raw=export(linked_persona)
    )

    assert imported.pk != linked_persona.pk
    assert imported.organisation == other_organisation
    assert imported.created_by == importer
    assert comparable(imported) == comparable(linked_persona)
    assert imported.status == PersonaStatus.ADOPTED  # kept as in the file
    own = imported.items.get(text="Zorgt voor broertje").signal
    assert own is not None and own.organisation == other_organisation
    # Tariffs belong to the first organisation's region: the link is dropped, the rate kept.
    assert not CostLine.objects.filter(scenario__persona=imported, tariff__isnull=False).exists()
    revision = imported.revisions.get()
    assert revision.summary == "Geïmporteerd uit een JSON-bestand"
    assert revision.author == importer
    assert revision.snapshot == persona_snapshot(imported)


@pytest.mark.django_db
def test_round_trip_in_the_same_organisation_keeps_tariff_links(
    linked_persona: Persona, organisation: Organisation, make_member: Callable[..., Membership]
) -> None:
    user = make_member(organisation).user
    imported = persona_import(organisation=organisation, user=user, raw=export(linked_persona))
    assert comparable(imported, keep_tariffs=True) == comparable(linked_persona, keep_tariffs=True)
    # A second export of the copy is the same file, apart from nothing at all.
    assert export(imported) == export(linked_persona)


@pytest.mark.django_db
def test_unknown_signal_keeps_the_text_and_drops_the_link(
    linked_persona: Persona, other_organisation: Organisation, importer: User
) -> None:
    imported = persona_import(
        organisation=other_organisation, user=importer, raw=export(linked_persona)
    )
    item = imported.items.get(text="Zorgt voor broertje")
    assert item.signal is None
    assert imported.items.get(text="Overprikkeling").signal is not None  # shared: kept
    assert "1 signaal staat niet in de catalogus" in imported.revisions.get().summary


@pytest.mark.django_db
def test_hidden_shared_signal_counts_as_missing(
    linked_persona: Persona, other_organisation: Organisation, importer: User
) -> None:
    from zio.personas.services import signal_retire

    signal_retire(
        organisation=other_organisation,
        signal=Signal.objects.get(name="Overprikkeling", organisation=None),
    )
    imported = persona_import(
        organisation=other_organisation, user=importer, raw=export(linked_persona)
    )
    assert imported.items.get(text="Overprikkeling").signal is None


@pytest.mark.django_db
def test_round_trip_of_a_file_for_parents(
    organisation: Organisation, other_organisation: Organisation, importer: User
) -> None:
    source = filled_persona(organisation)
    imported = persona_import(
        organisation=other_organisation, user=importer, raw=export(source, Audience.PARENTS)
    )
    original, copy_ = comparable(source), comparable(imported)
    for key in ("kosten_huidig", "kosten_gewenst"):
        original["items"][key] = []
    assert copy_["items"] == original["items"]
    assert copy_["meta"] == original["meta"]
    # Without costs the persona still gets the scenarios the cost page expects, empty.
    assert [(s["kind"], s["lines"]) for s in copy_["costs"]] == [
        ("huidig", []),
        ("gewenst", []),
        ("niets_verandert", []),
    ]


@pytest.mark.django_db
def test_hostile_texts_round_trip_as_plain_text(
    organisation: Organisation, other_organisation: Organisation, importer: User
) -> None:
    source = filled_persona(organisation, name="=cmd|' /C calc'!A0", extra_texts=HOSTILE_TEXTS)
    CostLine.objects.filter(scenario__persona=source).update(description=HOSTILE_TEXTS[0])
    content = export(source)
    # Plain UTF-8 text in the file: not HTML-escaped and not \u-escaped.
    assert b"<script>alert('x')</script> & <b>vet</b>" in content
    assert "😀".encode() in content
    imported = persona_import(organisation=other_organisation, user=importer, raw=content)
    texts = list(imported.items.filter(section=Section.WHO).values_list("text", flat=True))
    assert texts[-len(HOSTILE_TEXTS) :] == list(HOSTILE_TEXTS)
    assert imported.name == "=cmd|' /C calc'!A0"
    assert set(
        CostLine.objects.filter(scenario__persona=imported).values_list("description", flat=True)
    ) == {HOSTILE_TEXTS[0]}


@pytest.mark.django_db
def test_a_hand_written_minimal_file_is_accepted(
    other_organisation: Organisation, importer: User
) -> None:
    # Optional parts left out: no payer (the stream's usual one), no quantity (1), no sections.
    data = {
        "format": "zio-persona",
        "version": "1.0",
        "exported_at": "2026-03-01T14:30:00+01:00",
        "audience": "partners",
        "persona": {
            "name": "Noor",
            "group_size": 8,
            "age_min": 6,
            "age_max": 8,
            "school_types": [],
            "avatar": "avatar-04",
            "status": "concept",
            "sections": {"wie": [{"text": "Gaat graag naar school."}]},
            "scenarios": [
                {
                    "kind": "gewenst",
                    "label": "A",
                    "name": "",
                    "lines": [
                        {
                            "description": "Begeleiding",
                            "funding_stream": "ondersteuningsbekostiging",
                            "unit": "leerling_jaar",
                            "rate": "1000",
                        }
                    ],
                }
            ],
        },
    }
    persona = persona_import(
        organisation=other_organisation, user=importer, raw=json.dumps(data).encode()
    )
    line = CostLine.objects.get(scenario__persona=persona)
    assert line.payer.code == "swv"
    assert line.quantity == Decimal("1")
    assert sorted(persona.scenarios.values_list("kind", flat=True)) == sorted(ScenarioKind.values)


# --- bad input ---------------------------------------------------------------------------------


def valid_data(organisation: Organisation) -> dict[str, Any]:
    return json.loads(export(filled_persona(organisation)))


def refused(organisation: Organisation, user: User, raw: bytes) -> list[ExchangeProblem]:
    before = (Persona.objects.count(), CostLine.objects.count(), PersonaItem.objects.count())
    with pytest.raises(ExchangeError) as caught:
        persona_import(organisation=organisation, user=user, raw=raw)
    after = (Persona.objects.count(), CostLine.objects.count(), PersonaItem.objects.count())
    assert after == before  # nothing stored, not even part of it
    assert caught.value.errors
    return caught.value.errors


def line_of(data: dict[str, Any], scenario: int, line: int) -> dict[str, Any]:
    lines: list[dict[str, Any]] = data["persona"]["scenarios"][scenario]["lines"]
    return lines[line]


Mutation = Callable[[dict[str, Any]], None]


def _set_line(scenario: int, line: int, field: str, value: Any) -> Mutation:
    def change(data: dict[str, Any]) -> None:
        line_of(data, scenario, line)[field] = value

    return change


def _set_persona(field: str, value: Any) -> Mutation:
    def change(data: dict[str, Any]) -> None:
        data["persona"][field] = value

    return change


def _del_persona(field: str) -> Mutation:
    def change(data: dict[str, Any]) -> None:
        del data["persona"][field]

    return change


def _too_many_items(data: dict[str, Any]) -> None:
    data["persona"]["sections"]["problemen"] = [{"text": f"Regel {n}"} for n in range(26)]


def _long_text(data: dict[str, Any]) -> None:
    data["persona"]["sections"]["wie"][0]["text"] = "x" * 501


def _unknown_section(data: dict[str, Any]) -> None:
    data["persona"]["sections"]["hobby"] = [{"text": "Voetbal"}]


def _top(field: str, value: Any) -> Mutation:
    def change(data: dict[str, Any]) -> None:
        data[field] = value

    return change


def _no_hours(data: dict[str, Any]) -> None:
    line_of(data, 1, 0)["hours_per_week"] = None


def _for_parents_with_costs(data: dict[str, Any]) -> None:
    data["audience"] = "ouders"


def _second_current(data: dict[str, Any]) -> None:
    data["persona"]["scenarios"].append(copy.deepcopy(data["persona"]["scenarios"][0]))


def _desired_without_letter(data: dict[str, Any]) -> None:
    data["persona"]["scenarios"][1]["label"] = ""


def _nul_character(data: dict[str, Any]) -> None:
    data["persona"]["sections"]["wie"][1]["text"] = "Woont\x00 bij moeder"


BAD_DATA: list[tuple[str, Mutation, str, str]] = [
    # id, change, path, part of the Dutch message
    ("wrong-format", _top("format", "iets-anders"), "format", "geen persona-bestand"),
    ("wrong-version", _top("version", "2.0"), "version", "versie '2.0'"),
    ("missing-name", _del_persona("name"), "persona.name", "Dit veld ontbreekt"),
    ("blank-name", _set_persona("name", "   "), "persona.name", "Dit mag niet leeg zijn"),
    ("text-too-long", _long_text, "persona.sections.wie[0].text", "501 tekens lang; hooguit 500"),
    ("too-many-items", _too_many_items, "persona.sections.problemen", "hooguit 25 regels"),
    (
        "bad-rate",
        _set_line(0, 1, "rate", "12,5"),
        "persona.scenarios[0].lines[1].rate",
        "'12,5' is geen bedrag (gebruik een punt, bijvoorbeeld 12.50).",
    ),
    (
        "rate-as-number",
        _set_line(0, 0, "rate", 12.5),
        "persona.scenarios[0].lines[0].rate",
        'als tekst, tussen aanhalingstekens: bijvoorbeeld "12.50"',
    ),
    (
        "unknown-stream",
        _set_line(2, 0, "funding_stream", "toverstaf"),
        "persona.scenarios[2].lines[0].funding_stream",
        "De geldstroom 'toverstaf' bestaat niet",
    ),
    (
        "unknown-payer",
        _set_line(0, 0, "payer", "sinterklaas"),
        "persona.scenarios[0].lines[0].payer",
        "De betaler 'sinterklaas' bestaat niet",
    ),
    (
        "unknown-unit",
        _set_line(0, 0, "unit", "per_maand"),
        "persona.scenarios[0].lines[0].unit",
        "'per_maand' is geen geldige waarde",
    ),
    ("unknown-section", _unknown_section, "persona.sections.hobby", "geen onderdeel"),
    ("ages-reversed", _set_persona("age_min", 12), "persona.age_max", "lager dan 'vanaf'"),
    ("age-out-of-range", _set_persona("age_max", 30), "persona.age_max", "30 is te groot"),
    ("unknown-avatar", _set_persona("avatar", "foto.jpg"), "persona.avatar", "'foto.jpg'"),
    (
        "hourly-without-hours",
        _no_hours,
        "persona.scenarios[1].lines[0].hours_per_week",
        str(HOURS_REQUIRED),
    ),
    (
        "absurd-pupils",
        _set_line(0, 1, "pupils", 5000),
        "persona.scenarios[0].lines[1].pupils",
        "tien keer zoveel leerlingen",
    ),
    ("parents-with-costs", _for_parents_with_costs, "persona.scenarios", "voor ouders"),
    (
        "parents-with-cost-section",
        _for_parents_with_costs,
        "persona.sections.kosten_huidig",
        "voor ouders",
    ),
    ("second-current", _second_current, "persona.scenarios[3]", "staat er twee keer in"),
    (
        "desired-without-letter",
        _desired_without_letter,
        "persona.scenarios[1].label",
        "Een gewenste situatie heeft een letter van A tot en met Z.",
    ),
    ("nul-character", _nul_character, "persona.sections.wie[1].text", "nul-teken"),
    ("unknown-top-field", _top("organisation", "X"), "organisation", "bestaat niet in versie 1.0"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "path", "message"), [b[1:] for b in BAD_DATA], ids=[b[0] for b in BAD_DATA]
)
def test_bad_data_is_refused_with_its_path(
    change: Mutation,
    path: str,
    message: str,
    organisation: Organisation,
    other_organisation: Organisation,
    importer: User,
) -> None:
    data = valid_data(organisation)
    change(data)
    problems = refused(other_organisation, importer, json.dumps(data).encode())
    matching = [p for p in problems if p.path == path]
    assert matching, problems
    assert any(message in p.message for p in matching), problems
    assert all(str(p).startswith(f"Op {p.path}: ") for p in problems if p.path)


BAD_FILES: list[tuple[str, bytes, str]] = [
    ("not-json", b'{"format": "zio-persona", ', "geen geldige JSON: het gaat mis op regel 1"),
    ("empty", b"  \n", "leeg"),
    ("wrong-encoding", '{"format": "zio-persona", "x": "é"}'.encode("latin-1"), "UTF-8"),
    ("not-an-object", b"[1, 2]", "één JSON-object"),
    ("duplicate-key", b'{"format": "zio-persona", "format": "x"}', "'format' staat twee keer"),
    ("nan", b'{"format": NaN}', "NaN is geen getal"),
    ("deep", b"[" * 100_000 + b"]" * 100_000, "te diep genest"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("raw", "message"), [b[1:] for b in BAD_FILES], ids=[b[0] for b in BAD_FILES]
)
def test_unreadable_files_are_refused(
    raw: bytes, message: str, other_organisation: Organisation, importer: User
) -> None:
    with override_settings(EXCHANGE_IMPORT_MAX_BYTES=1_000_000):
        problems = refused(other_organisation, importer, raw)
    assert len(problems) == 1
    assert problems[0].path == ""
    assert message in problems[0].message
    assert str(problems[0]) == problems[0].message


@pytest.mark.django_db
def test_too_large_file_is_refused_before_reading(
    organisation: Organisation, other_organisation: Organisation, importer: User
) -> None:
    raw = export(filled_persona(organisation))
    with override_settings(EXCHANGE_IMPORT_MAX_BYTES=1000):
        problems = refused(other_organisation, importer, raw)
    assert [p.path for p in problems] == [""]
    assert "te groot" in problems[0].message
    assert "hooguit 1000\xa0bytes" in problems[0].message


@pytest.mark.django_db
def test_a_bom_is_accepted(
    organisation: Organisation, other_organisation: Organisation, importer: User
) -> None:
    raw = "\ufeff".encode() + export(filled_persona(organisation))
    assert persona_import(organisation=other_organisation, user=importer, raw=raw).name == "Esra"


@pytest.mark.django_db
def test_all_problems_are_reported_at_once(
    organisation: Organisation, other_organisation: Organisation, importer: User
) -> None:
    data = valid_data(organisation)
    del data["persona"]["name"]
    line_of(data, 0, 1)["rate"] = "12,5"
    _long_text(data)
    _unknown_section(data)
    problems = refused(other_organisation, importer, json.dumps(data).encode())
    assert [p.path for p in problems] == [
        "persona.name",
        "persona.scenarios[0].lines[1].rate",
        "persona.sections.hobby",
        "persona.sections.wie[0].text",
    ]


@pytest.mark.django_db
def test_rule_problems_of_several_lines_are_reported_together(
    organisation: Organisation, other_organisation: Organisation, importer: User
) -> None:
    # Problems found while storing (the cost line rules) roll back what was stored before them.
    data = valid_data(organisation)
    _no_hours(data)
    line_of(data, 2, 0)["pupils"] = 5000
    line_of(data, 0, 0)["funding_stream"] = "toverstaf"
    problems = refused(other_organisation, importer, json.dumps(data).encode())
    assert [p.path for p in problems] == [
        "persona.scenarios[0].lines[0].funding_stream",
        "persona.scenarios[1].lines[0].hours_per_week",
        "persona.scenarios[2].lines[0].pupils",
    ]


@pytest.mark.django_db
def test_problem_reads_as_a_dutch_sentence(
    organisation: Organisation, other_organisation: Organisation, importer: User
) -> None:
    data = valid_data(organisation)
    line_of(data, 0, 1)["rate"] = "12,5"
    (problem,) = refused(other_organisation, importer, json.dumps(data).encode())
    assert str(problem) == (
        "Op persona.scenarios[0].lines[1].rate: '12,5' is geen bedrag (gebruik een punt, "
        "bijvoorbeeld 12.50)."
    )


def test_json_path_notation() -> None:
    assert json_path([]) == ""
    assert json_path(["persona", "scenarios", 0, "lines", 2, "rate"]) == (
        "persona.scenarios[0].lines[2].rate"
    )
    assert json_path(["persona", "sections", "met spatie"]) == 'persona.sections["met spatie"]'


@pytest.mark.django_db
def test_a_repeated_scenario_is_reported_once(
    organisation: Organisation, other_organisation: Organisation, importer: User
) -> None:
    data = valid_data(organisation)
    _second_current(data)
    (problem,) = refused(other_organisation, importer, json.dumps(data).encode())
    assert str(problem) == (
        "Op persona.scenarios[3]: Het scenario 'Huidige situatie' staat er twee keer in; elk "
        "scenario komt één keer voor."
    )


@pytest.mark.django_db
def test_too_many_cost_lines_in_all_are_refused_before_storing(
    organisation: Organisation, other_organisation: Organisation, importer: User
) -> None:
    data = valid_data(organisation)
    line = line_of(data, 0, 0)
    data["persona"]["scenarios"] = [
        {"kind": "gewenst", "label": letter, "name": "", "lines": [line] * 50}
        for letter in "ABCDEF"
    ]
    (problem,) = refused(other_organisation, importer, json.dumps(data).encode())
    assert problem.path == "persona.scenarios"
    assert f"300 kostenregels; een bestand mag er hooguit {MAX_COST_LINES}" in problem.message
    assert (
        str(MAX_COST_LINES)
        in (exchange_schema()["$defs"]["persona"]["properties"]["scenarios"]["description"])
    )


@pytest.mark.django_db
def test_a_flood_of_problems_is_cut_short(
    organisation: Organisation, other_organisation: Organisation, importer: User
) -> None:
    data = valid_data(organisation)
    for key in Section.values:
        data["persona"]["sections"][key] = [{"text": " "}] * MAX_ITEMS_PER_SECTION
    problems = refused(other_organisation, importer, json.dumps(data).encode())
    assert len(problems) == MAX_REPORTED + 1
    assert problems[-1].path == ""
    assert problems[-1].message == "En nog 50 andere problemen."


@pytest.mark.django_db
def test_the_example_in_the_documentation_is_valid_and_imports(
    other_organisation: Organisation, importer: User
) -> None:
    text = (settings.BASE_DIR / "docs" / "persona-exchange.md").read_text(encoding="utf-8")
    example = text.split("```json\n", 1)[1].split("```", 1)[0]
    assert schema_problems(json.loads(example)) == []
    persona = persona_import(
        organisation=other_organisation, user=importer, raw=example.encode("utf-8")
    )
    assert persona.items.get(text="Overprikkeling").signal is not None
    line = CostLine.objects.get(scenario__persona=persona, unit=Unit.GROUP_HOUR)
    assert line.tariff is None  # not a tariff of this organisation's regions


@pytest.mark.django_db
def test_deep_nesting_inside_a_file_is_refused_calmly(
    organisation: Organisation, other_organisation: Organisation, importer: User
) -> None:
    data = valid_data(organisation)
    data["persona"]["school_types"] = ["$deep"]
    raw = json.dumps(data).encode().replace(b'"$deep"', b"[" * 900 + b"]" * 900)
    problems = refused(other_organisation, importer, raw)
    assert [p.path for p in problems] == ["persona.school_types[0]"]
