"""The open JSON exchange format: one persona, complete, to take to another installation or to
another program, and back.

The contract is the JSON Schema in `docs/persona-exchange.schema.json` (described in
`docs/persona-exchange.md`); it is the single source and this module reads it at run time.
Unlike the other exports this one is not a text for a table but a copy of the persona itself,
so it is built from the model and not from a `PersonaDocument`.

Import is strict and all or nothing: the file is checked completely against the schema, then
against what the schema cannot know (codes of funding streams and payers, the order of the ages,
the business rules of a cost line), and every problem is reported with its JSON path. Only a
file without problems creates a persona.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, ngettext_lazy
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError as SchemaError

from zio.costs import services as costs_services
from zio.costs.constants import ScenarioKind
from zio.costs.models import CostLine, FundingStream, Payer, Scenario, Tariff
from zio.organisations.models import Organisation
from zio.personas.constants import Section
from zio.personas.models import Persona, PersonaItem, Signal
from zio.personas.services import TOO_MANY_ITEMS, persona_changed

from .document import COST_SECTIONS, Audience, PersonaDocument
from .formats import ExportContext, Rendered

if TYPE_CHECKING:
    from zio.accounts.models import User

FORMAT = "zio-persona"
VERSION = "1.0"
SCHEMA_PATH = Path(settings.BASE_DIR) / "docs" / "persona-exchange.schema.json"
DEFAULT_MAX_BYTES = 2 * 1024 * 1024
# A broken file can break every line; beyond this many, more messages do not help anyone.
MAX_REPORTED = 200
# Every cost line is checked by the same rules as in the form, a few queries each: this bounds
# the time an import takes (about a second on PostgreSQL), far above what a persona needs.
MAX_COST_LINES = 250

# --- messages (Dutch; after "Op <path>: " when they are about one place in the file) --------

AT_PATH = gettext_lazy("Op %(path)s: %(message)s")
FILE_EMPTY = gettext_lazy("Het bestand is leeg.")
FILE_TOO_LARGE = gettext_lazy(
    "Het bestand is te groot (%(size)s). Een persona-bestand mag hooguit %(max)s zijn."
)
NOT_UTF8 = gettext_lazy(
    "Het bestand is geen UTF-8-tekst (onleesbaar teken bij byte %(position)s). Sla het op als "
    "UTF-8 en probeer het opnieuw."
)
NOT_JSON = gettext_lazy(
    "Het bestand is geen geldige JSON: het gaat mis op regel %(line)s, teken %(column)s."
)
NOT_JSON_CONSTANT = gettext_lazy("Het bestand is geen geldige JSON: %(value)s is geen getal.")
DUPLICATE_KEY = gettext_lazy(
    "Het bestand is niet eenduidig: de sleutel '%(key)s' staat twee keer in hetzelfde object."
)
TOO_DEEP = gettext_lazy("Het bestand is te diep genest om te lezen.")
NOT_AN_OBJECT = gettext_lazy(
    "Het bestand moet één JSON-object bevatten (tussen { en }) met één persona."
)
WRONG_FORMAT = gettext_lazy(
    "Dit is geen persona-bestand van ZiO Persona's: hier hoort 'zio-persona' te staan."
)
WRONG_VERSION = gettext_lazy(
    "Dit bestand heeft versie %(version)s van het uitwisselformaat; deze installatie leest "
    "alleen versie %(supported)s."
)
MISSING = gettext_lazy("Dit veld ontbreekt.")
UNKNOWN_FIELD = gettext_lazy("Dit veld bestaat niet in versie %(version)s van het formaat.")
UNKNOWN_SECTION = gettext_lazy(
    "Dit is geen onderdeel van het persona-sjabloon. Kies uit: %(choices)s."
)
WRONG_TYPE = gettext_lazy("Hier hoort %(expected)s, maar er staat %(actual)s.")
DECIMAL_AS_NUMBER = gettext_lazy(
    'Schrijf dit getal als tekst, tussen aanhalingstekens: bijvoorbeeld "%(example)s".'
)
NOT_IN_LIST = gettext_lazy("%(value)s is geen geldige waarde. Kies uit: %(choices)s.")
NOT_CONSTANT = gettext_lazy("Hier hoort %(expected)s te staan.")
EMPTY = gettext_lazy("Dit mag niet leeg zijn.")
TEXT_TOO_LONG = gettext_lazy("De tekst is %(length)s tekens lang; hooguit %(max)s tekens.")
NOT_AN_AMOUNT = gettext_lazy(
    "%(value)s is geen bedrag (gebruik een punt, bijvoorbeeld %(example)s)."
)
NOT_A_NUMBER = gettext_lazy(
    "%(value)s is geen getal in de goede vorm (gebruik een punt, bijvoorbeeld %(example)s)."
)
NOT_A_CODE = gettext_lazy(
    "%(value)s is geen code: gebruik alleen letters, cijfers, streepjes en liggende streepjes."
)
NOT_A_DATETIME = gettext_lazy(
    "%(value)s is geen datum en tijd in de vorm 2026-03-01T14:30:00+01:00."
)
BAD_FORM = gettext_lazy("%(value)s heeft niet de goede vorm.")
DESIRED_NEEDS_LETTER = gettext_lazy("Een gewenste situatie heeft een letter van A tot en met Z.")
ONLY_DESIRED_HAS_LETTER = gettext_lazy(
    "Alleen een gewenste situatie heeft een letter; laat dit leeg."
)
NUMBER_TOO_SMALL = gettext_lazy("%(value)s is te klein: minstens %(limit)s.")
NUMBER_TOO_LARGE = gettext_lazy("%(value)s is te groot: hooguit %(limit)s.")
LIST_TOO_LONG = gettext_lazy("De lijst heeft %(count)s elementen; hooguit %(max)s.")
LIST_DUPLICATES = gettext_lazy("Dezelfde waarde staat er twee keer in.")
PARENTS_NO_COSTS = gettext_lazy(
    "Een bestand voor ouders bevat geen kosten. Laat dit weg, of kies als publiek 'partners' "
    "of 'intern'."
)
SCHEMA_OTHER = gettext_lazy("Dit klopt niet met het schema (regel '%(keyword)s').")
BAD_CHARACTERS = gettext_lazy(
    "De tekst bevat een teken dat niet kan worden opgeslagen (een nul-teken of een losse "
    "surrogaat)."
)
UNKNOWN_STREAM = gettext_lazy(
    "De geldstroom '%(code)s' bestaat niet in deze installatie. Bekende geldstromen: %(codes)s."
)
UNKNOWN_PAYER = gettext_lazy(
    "De betaler '%(code)s' bestaat niet in deze installatie. Bekende betalers: %(codes)s."
)
DUPLICATE_SCENARIO = gettext_lazy(
    "Het scenario '%(title)s' staat er twee keer in; elk scenario komt één keer voor."
)
TOO_MANY_COST_LINES = gettext_lazy(
    "Deze persona heeft %(count)s kostenregels; een bestand mag er hooguit %(max)s hebben."
)
MORE_PROBLEMS = ngettext_lazy(
    "En nog %(count)s ander probleem.", "En nog %(count)s andere problemen.", "count"
)
IMPORTED = gettext_lazy("Geïmporteerd uit een JSON-bestand")

TYPE_NAMES = {
    "string": gettext_lazy("tekst"),
    "integer": gettext_lazy("een geheel getal"),
    "number": gettext_lazy("een getal"),
    "array": gettext_lazy("een lijst [ ]"),
    "object": gettext_lazy("een object { }"),
    "boolean": gettext_lazy("true of false"),
    "null": gettext_lazy("null"),
}


@dataclass(frozen=True)
class ExchangeProblem:
    """One thing wrong with an imported file, and where."""

    path: str  # JSON path such as "persona.scenarios[0].lines[2].rate"; "" for the whole file
    message: str  # Dutch; completes "Op <path>: " when there is a path

    def __str__(self) -> str:
        if not self.path:
            return self.message
        return str(AT_PATH % {"path": self.path, "message": self.message})


class ExchangeError(Exception):
    """The file cannot be imported; `errors` says everything that is wrong with it."""

    def __init__(self, errors: list[ExchangeProblem]) -> None:
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = errors


# --- the schema --------------------------------------------------------------------------------


@cache
def exchange_schema() -> dict[str, Any]:
    """The JSON Schema of the format, as published in docs/ (also for a download link)."""
    with SCHEMA_PATH.open(encoding="utf-8") as f:
        schema: dict[str, Any] = json.load(f)
    return schema


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(
        exchange_schema(), format_checker=Draft202012Validator.FORMAT_CHECKER
    )


# --- export ------------------------------------------------------------------------------------


def _decimal(value: Decimal | None) -> str | None:
    # format "f": never an exponent ("0E-2"), which the schema's patterns would refuse.
    return None if value is None else format(value, "f")


def _items(persona: Persona, sections: Sequence[Section]) -> dict[str, list[dict[str, Any]]]:
    result: dict[str, list[dict[str, Any]]] = {s.value: [] for s in sections}
    items = persona.items.select_related("signal__domain").order_by("position", "pk")
    for item in items:
        if item.section not in result:
            continue
        data: dict[str, Any] = {"text": item.text}
        if item.signal is not None:
            # By name, not id: ids differ between installations, names are what people share.
            data["signal"] = {"name": item.signal.name, "domain": item.signal.domain.code}
        result[item.section].append(data)
    return result


def _line_data(line: CostLine) -> dict[str, Any]:
    data: dict[str, Any] = {
        "description": line.description,
        "funding_stream": line.funding_stream.code,
        "payer": line.payer.code,
        "unit": line.unit,
        "rate": _decimal(line.rate),
        "quantity": _decimal(line.quantity),
        "hours_per_week": _decimal(line.hours_per_week),
        "weeks": _decimal(line.weeks),
        "pupils": line.pupils,
    }
    if line.tariff is not None:
        data["tariff"] = {
            "name": line.tariff.name,
            "year": line.tariff.year,
            "source": line.tariff.source,
        }
    return data


def _scenarios(persona: Persona) -> list[dict[str, Any]]:
    scenarios = persona.scenarios.order_by("position", "pk").prefetch_related(
        "lines__funding_stream", "lines__payer", "lines__tariff"
    )
    return [
        {
            "kind": scenario.kind,
            "label": scenario.label,
            "name": scenario.name,
            "lines": [
                _line_data(line)
                for line in sorted(scenario.lines.all(), key=lambda x: (x.position, x.pk))
            ],
        }
        for scenario in scenarios
    ]


def persona_export_data(
    persona: Persona, audience: Audience | str, *, exported_at: datetime | None = None
) -> dict[str, Any]:
    """The persona in the exchange format, as JSON-ready data with keys in a fixed order.

    For parents the cost model and the cost sections are left out, as in every other export.
    The persona must have been looked up through the user's organisation.
    """
    audience = Audience(audience)
    for_parents = audience == Audience.PARENTS
    moment = exported_at or timezone.now()
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    sections = [s for s in Section if not (for_parents and s in COST_SECTIONS)]
    # A group smaller than the small-cell threshold leaves the organisation only as "unknown":
    # files for parents and partners go out of our hands.
    small = persona.group_size < settings.SMALL_CELL_THRESHOLD
    data: dict[str, Any] = {
        "name": persona.name,
        "group_size": None if small and audience != Audience.INTERNAL else persona.group_size,
        "age_min": persona.age_min,
        "age_max": persona.age_max,
        "school_types": list(persona.school_types),
        "avatar": persona.avatar,
        "status": persona.status,
        "sections": _items(persona, sections),
    }
    if not for_parents:
        data["scenarios"] = _scenarios(persona)
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": moment.isoformat(timespec="seconds"),
        "audience": audience.value,
        "persona": data,
    }


def persona_json(documents: Sequence[PersonaDocument], context: ExportContext) -> Rendered:
    """Writer of the `json` export format: one persona per file (the registry zips several)."""
    if len(documents) != 1:
        raise ValueError("The JSON exchange format holds exactly one persona per file.")
    document = documents[0]
    data = persona_export_data(document.persona, document.audience, exported_at=context.made_at)
    # Plain UTF-8 text, not \u escapes: the file is meant to be readable. It is a download
    # (application/json), never inserted into a page, so "<" needs no escaping here.
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    return Rendered(content=text.encode("utf-8"))


# --- import: reading ---------------------------------------------------------------------------


class _Refused(Exception):  # noqa: N818 - internal: a problem that stops reading at once
    def __init__(self, problem: ExchangeProblem) -> None:
        self.problem = problem


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # json.loads keeps the last of two equal keys without a word; a file that says two
    # things is refused instead of guessed.
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _Refused(ExchangeProblem("", str(DUPLICATE_KEY % {"key": _short(key)})))
        result[key] = value
    return result


def _no_constants(value: str) -> Any:
    # NaN and Infinity are not JSON, although Python's reader accepts them.
    raise _Refused(ExchangeProblem("", str(NOT_JSON_CONSTANT % {"value": value})))


def _parse(raw: bytes) -> Any:
    limit = int(getattr(settings, "EXCHANGE_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))
    if len(raw) > limit:
        message = FILE_TOO_LARGE % {"size": filesizeformat(len(raw)), "max": filesizeformat(limit)}
        raise _Refused(ExchangeProblem("", str(message)))
    if not raw.strip():
        raise _Refused(ExchangeProblem("", str(FILE_EMPTY)))
    try:
        text = raw.decode("utf-8-sig")  # a BOM, as Windows Notepad writes it, is harmless
    except UnicodeDecodeError as exc:
        raise _Refused(ExchangeProblem("", str(NOT_UTF8 % {"position": exc.start}))) from exc
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constants)
    except json.JSONDecodeError as exc:
        message = NOT_JSON % {"line": exc.lineno, "column": exc.colno}
        raise _Refused(ExchangeProblem("", str(message))) from exc
    except RecursionError as exc:
        raise _Refused(ExchangeProblem("", str(TOO_DEEP))) from exc


# --- import: checking against the schema ---------------------------------------------------------

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def json_path(parts: Sequence[str | int]) -> str:
    """`["persona", "scenarios", 0, "rate"]` -> `persona.scenarios[0].rate`."""
    path = ""
    for part in parts:
        if isinstance(part, int):
            path += f"[{part}]"
        elif _IDENTIFIER.fullmatch(part):
            path += f".{part}" if path else part
        else:
            path += f"[{json.dumps(part, ensure_ascii=False)}]"
    return path


def _short(value: Any, limit: int = 40) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _shown(value: Any) -> str:
    return f"'{_short(value)}'" if isinstance(value, str) else _short(value)


def _type_name(value: Any) -> str:
    if isinstance(value, bool):
        return str(TYPE_NAMES["boolean"])
    for name, kind in (
        ("null", type(None)),
        ("string", str),
        ("integer", int),
        ("number", float),
        ("array", list),
        ("object", dict),
    ):
        if isinstance(value, kind):
            return str(TYPE_NAMES[name])
    return type(value).__name__


def _describe(error: SchemaError) -> Iterator[ExchangeProblem]:
    """The schema error in Dutch, at the path of the value it is about."""
    parts: list[str | int] = list(error.absolute_path)
    path = json_path(parts)
    keyword = error.validator
    expected: Any = error.validator_value
    value: Any = error.instance
    schema = error.schema if isinstance(error.schema, dict) else {}
    field = parts[-1] if parts else ""

    if keyword == "required":
        # One error per missing property; its message starts with the property's name.
        missing = [p for p in expected if p not in value]
        named = [p for p in missing if error.message.startswith(repr(p))]
        for name in named or missing:
            yield ExchangeProblem(json_path([*parts, name]), str(MISSING))
        return
    if keyword == "additionalProperties":
        known = schema.get("properties", {})
        for key in value:
            if key in known:
                continue
            if field == "sections":
                message = UNKNOWN_SECTION % {"choices": ", ".join(Section.values)}
            else:
                message = UNKNOWN_FIELD % {"version": VERSION}
            yield ExchangeProblem(json_path([*parts, key]), str(message))
        return
    if keyword == "not":
        # The only "not" in the schema: no costs in a file for parents.
        keys = ["scenarios"] if field == "persona" else [s.value for s in COST_SECTIONS]
        for key in keys:
            if key in value:
                yield ExchangeProblem(json_path([*parts, key]), str(PARENTS_NO_COSTS))
        return
    yield ExchangeProblem(path, _message(keyword, expected, value, schema, field))


def _message(keyword: Any, expected: Any, value: Any, schema: dict[str, Any], field: Any) -> str:
    example = (schema.get("examples") or ["12.50"])[0]
    if keyword == "type":
        if "pattern" in schema and isinstance(value, int | float) and not isinstance(value, bool):
            return str(DECIMAL_AS_NUMBER % {"example": example})
        names = [expected] if isinstance(expected, str) else list(expected)
        wanted = _(" of ").join(str(TYPE_NAMES.get(n, n)) for n in names)
        return str(WRONG_TYPE % {"expected": wanted, "actual": _type_name(value)})
    if keyword == "enum":
        choices = ", ".join(str(c) for c in expected)
        return str(NOT_IN_LIST % {"value": _shown(value), "choices": choices})
    if keyword == "const":
        return str(NOT_CONSTANT % {"expected": _shown(expected)})
    if keyword == "minLength":
        return str(DESIRED_NEEDS_LETTER if field == "label" else EMPTY)
    if keyword == "maxLength":
        if field == "label":
            return str(ONLY_DESIRED_HAS_LETTER)
        return str(TEXT_TOO_LONG % {"length": len(value), "max": expected})
    if keyword == "pattern":
        return _pattern_message(expected, value, field, example)
    if keyword in ("minimum", "exclusiveMinimum"):
        return str(NUMBER_TOO_SMALL % {"value": _shown(value), "limit": expected})
    if keyword in ("maximum", "exclusiveMaximum"):
        return str(NUMBER_TOO_LARGE % {"value": _shown(value), "limit": expected})
    if keyword == "maxItems":
        if field in Section.values:
            return str(TOO_MANY_ITEMS % {"max": expected})
        return str(LIST_TOO_LONG % {"count": len(value), "max": expected})
    if keyword == "uniqueItems":
        return str(LIST_DUPLICATES)
    return str(SCHEMA_OTHER % {"keyword": keyword})


def _pattern_message(pattern: str, value: Any, field: Any, example: str) -> str:
    shown = _shown(value)
    if pattern == r"\S":
        return str(EMPTY)
    if field == "rate":
        return str(NOT_AN_AMOUNT % {"value": shown, "example": example})
    if field in ("quantity", "hours_per_week", "weeks"):
        return str(NOT_A_NUMBER % {"value": shown, "example": example})
    if field in ("funding_stream", "payer", "domain"):
        return str(NOT_A_CODE % {"value": shown})
    if field == "exported_at":
        return str(NOT_A_DATETIME % {"value": shown})
    if field == "label":
        return str(DESIRED_NEEDS_LETTER)
    return str(BAD_FORM % {"value": shown})


def _path_key(error: SchemaError) -> list[tuple[int, int, str]]:
    # Sort errors by where they are in the file, with list indexes compared as numbers.
    return [(0, p, "") if isinstance(p, int) else (1, 0, p) for p in error.absolute_path]


def _unstorable_strings(value: Any, parts: list[str | int]) -> Iterator[ExchangeProblem]:
    """Strings that JSON allows but a database does not: NUL (PostgreSQL refuses it) and
    lone surrogates (not encodable as UTF-8)."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            yield ExchangeProblem(json_path(parts), str(BAD_CHARACTERS))
            return
        if "\x00" in value:
            yield ExchangeProblem(json_path(parts), str(BAD_CHARACTERS))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _unstorable_strings(item, [*parts, key])
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _unstorable_strings(item, [*parts, index])


def _check_schema(data: Any) -> list[ExchangeProblem]:
    if not isinstance(data, dict):
        return [ExchangeProblem("", str(NOT_AN_OBJECT))]
    # A file of another kind or version would give a page of beside-the-point errors: say the
    # one thing that matters.
    if data.get("format") != FORMAT:
        return [ExchangeProblem("format", str(WRONG_FORMAT))]
    version = data.get("version")
    if version is None:
        return [ExchangeProblem("version", str(MISSING))]
    if version != VERSION:
        message = WRONG_VERSION % {"version": _shown(version), "supported": VERSION}
        return [ExchangeProblem("version", str(message))]
    try:
        problems = [
            problem
            for error in sorted(_validator().iter_errors(data), key=_path_key)
            for problem in _describe(error)
        ]
    except RecursionError:  # e.g. comparing deeply nested lists for uniqueItems
        return [ExchangeProblem("", str(TOO_DEEP))]
    if not problems:
        # Only now: the schema bounds how deep a valid file goes.
        problems.extend(_unstorable_strings(data, []))
    if not problems:
        count = sum(len(s["lines"]) for s in data["persona"].get("scenarios", []))
        if count > MAX_COST_LINES:
            message = TOO_MANY_COST_LINES % {"count": count, "max": MAX_COST_LINES}
            problems.append(ExchangeProblem("persona.scenarios", str(message)))
    return list(dict.fromkeys(problems))  # without repeats, in order


# --- import: checking what the schema cannot know, and storing -----------------------------------


@dataclass
class _Importer:
    organisation: Organisation
    user: User
    data: dict[str, Any]
    problems: list[ExchangeProblem]
    dropped_signals: int = 0
    duplicates: set[int] = field(default_factory=set)  # scenarios reported as repeated

    def problem(self, parts: Sequence[str | int], message: Any) -> None:
        self.problems.append(ExchangeProblem(json_path(parts), str(message)))

    def validation_problems(self, parts: Sequence[str | int], exc: ValidationError) -> None:
        """A model's or service's ValidationError, each message at its field's path. The field
        names of the models are the keys of the format."""
        for name, messages in exc.message_dict.items():
            at = list(parts) if name == NON_FIELD_ERRORS else [*parts, name]
            for message in messages:
                self.problem(at, message)

    def check_codes(self) -> tuple[dict[str, FundingStream], dict[str, Payer]]:
        streams = {s.code: s for s in FundingStream.objects.select_related("default_payer")}
        payers = {p.code: p for p in Payer.objects.all()}
        seen: set[tuple[str, str]] = set()
        for i, scenario in enumerate(self.data["persona"].get("scenarios", [])):
            key = (scenario["kind"], scenario["label"])
            if key in seen:
                title = " ".join(p for p in (str(ScenarioKind(key[0]).label), key[1]) if p)
                self.problem(["persona", "scenarios", i], DUPLICATE_SCENARIO % {"title": title})
                self.duplicates.add(i)
            seen.add(key)
            for j, line in enumerate(scenario["lines"]):
                at: list[str | int] = ["persona", "scenarios", i, "lines", j]
                if line["funding_stream"] not in streams:
                    codes = ", ".join(streams)
                    message = UNKNOWN_STREAM % {"code": line["funding_stream"], "codes": codes}
                    self.problem([*at, "funding_stream"], message)
                if "payer" in line and line["payer"] not in payers:
                    codes = ", ".join(payers)
                    message = UNKNOWN_PAYER % {"code": line["payer"], "codes": codes}
                    self.problem([*at, "payer"], message)
        return streams, payers

    def create_persona(self) -> Persona | None:
        meta = self.data["persona"]
        persona = Persona(
            organisation=self.organisation,
            name=meta["name"].strip(),
            # Unknown (suppressed) sizes become the threshold: the smallest size we may show.
            group_size=(
                settings.SMALL_CELL_THRESHOLD if meta["group_size"] is None else meta["group_size"]
            ),
            age_min=meta["age_min"],
            age_max=meta["age_max"],
            school_types=list(meta["school_types"]),
            avatar=meta["avatar"],
            # Kept as in the file, so that a round trip gives the same persona; the history
            # says it was imported, and the team changes the status when it has discussed it.
            status=meta["status"],
            created_by=self.user,
            updated_by=self.user,
        )
        try:
            persona.full_clean()  # the rules the schema cannot hold, such as age_min <= age_max
        except ValidationError as exc:
            self.validation_problems(["persona"], exc)
            return None
        persona.save()
        return persona

    def create_items(self, persona: Persona) -> None:
        catalogue: dict[str, list[Signal]] = {}
        for signal in Signal.objects.for_organisation(self.organisation):
            catalogue.setdefault(signal.name.casefold(), []).append(signal)
        items = []
        for key, lines in self.data["persona"]["sections"].items():
            for position, line in enumerate(lines):
                item = PersonaItem(
                    persona=persona,
                    section=key,
                    text=line["text"].strip(),
                    signal=self.signal_for(catalogue, line.get("signal")),
                    position=position,
                )
                try:
                    item.full_clean(exclude=["persona"])
                except ValidationError as exc:
                    self.validation_problems(["persona", "sections", key, position], exc)
                    continue
                items.append(item)
        PersonaItem.objects.bulk_create(items)

    def signal_for(
        self, catalogue: dict[str, list[Signal]], wanted: dict[str, str] | None
    ) -> Signal | None:
        """The signal of that name in this organisation's catalogue; none: keep only the text."""
        if wanted is None:
            return None
        candidates = catalogue.get(wanted["name"].casefold(), [])
        if not candidates:
            self.dropped_signals += 1
            return None
        same_domain = [s for s in candidates if s.domain.code == wanted.get("domain")]
        return (same_domain or candidates)[0]

    def create_costs(
        self, persona: Persona, streams: dict[str, FundingStream], payers: dict[str, Payer]
    ) -> None:
        tariffs: dict[tuple[str, int, int, str], list[Tariff]] = {}
        for tariff in Tariff.objects.filter(region__organisations=self.organisation).distinct():
            key = (tariff.name, tariff.year, tariff.funding_stream_id, tariff.unit)
            tariffs.setdefault(key, []).append(tariff)
        for i, data in enumerate(self.data["persona"].get("scenarios", [])):
            if i in self.duplicates:
                continue
            at: list[str | int] = ["persona", "scenarios", i]
            scenario = Scenario(
                persona=persona,
                kind=data["kind"],
                label=data["label"],
                name=data["name"].strip(),
                # The position follows from kind and letter, as for scenarios made in the app,
                # so that a desired situation added later sorts before the alternative.
                position=costs_services._position(data["kind"], data["label"]),
            )
            try:
                scenario.full_clean()
            except ValidationError as exc:
                self.validation_problems(at, exc)
                continue
            scenario.save()
            for j, line in enumerate(data["lines"]):
                self.create_line(scenario, line, [*at, "lines", j], j, streams, payers, tariffs)

    def create_line(
        self,
        scenario: Scenario,
        data: dict[str, Any],
        at: list[str | int],
        position: int,
        streams: dict[str, FundingStream],
        payers: dict[str, Payer],
        tariffs: dict[tuple[str, int, int, str], list[Tariff]],
    ) -> None:
        stream = streams.get(data["funding_stream"])
        payer = payers.get(data["payer"]) if "payer" in data else None
        if stream is None or ("payer" in data and payer is None):
            return  # reported by check_codes
        tariff = None
        if "tariff" in data:
            key = (data["tariff"]["name"], data["tariff"]["year"], stream.pk, data["unit"])
            matches = tariffs.get(key, [])
            tariff = matches[0] if len(matches) == 1 else None

        def optional(name: str) -> Decimal | None:
            value = data.get(name)
            return None if value is None else Decimal(value)

        try:
            # The same rules as the cost line form: required hours for hourly units, no absurd
            # numbers of pupils, no line above the amount limit, ...
            line = costs_services.cost_line_build(
                scenario=scenario,
                description=data["description"],
                funding_stream=stream,
                payer=payer,
                unit=data["unit"],
                tariff=tariff,
                rate=Decimal(data["rate"]),
                quantity=optional("quantity"),
                hours_per_week=optional("hours_per_week"),
                weeks=optional("weeks"),
                pupils=data.get("pupils"),
            )
        except ValidationError as exc:
            self.validation_problems(at, exc)
            return
        line.position = position
        line.save()

    def summary(self) -> str:
        summary = str(IMPORTED)
        if self.dropped_signals:
            summary += "; " + ngettext(
                "%(n)s signaal staat niet in de catalogus, alleen de tekst is overgenomen",
                "%(n)s signalen staan niet in de catalogus, alleen de tekst is overgenomen",
                self.dropped_signals,
            ) % {"n": self.dropped_signals}
        return summary


def _capped(problems: list[ExchangeProblem]) -> list[ExchangeProblem]:
    if len(problems) <= MAX_REPORTED:
        return problems
    rest = len(problems) - MAX_REPORTED
    return [*problems[:MAX_REPORTED], ExchangeProblem("", str(MORE_PROBLEMS % {"count": rest}))]


def persona_import(*, organisation: Organisation, user: User, raw: bytes) -> Persona:
    """Create a new persona in `organisation` from a file in the exchange format.

    All or nothing: raises ExchangeError with every problem found (each with its JSON path)
    and then stores nothing. Signals are linked by name to this organisation's catalogue; a
    name it does not have keeps its text and loses the link. The status is kept as in the file.
    """
    try:
        data = _parse(raw)
    except _Refused as refused:
        raise ExchangeError([refused.problem]) from None
    problems = _check_schema(data)
    if problems:
        raise ExchangeError(_capped(problems))

    importer = _Importer(organisation=organisation, user=user, data=data, problems=[])
    streams, payers = importer.check_codes()
    with transaction.atomic():
        persona = importer.create_persona()
        if persona is not None:
            importer.create_items(persona)
            importer.create_costs(persona, streams, payers)
        if importer.problems or persona is None:
            # Raised inside the transaction: everything written so far is rolled back.
            raise ExchangeError(_capped(importer.problems))
        # The app expects a current, a desired and an if-nothing-changes scenario; a file for
        # parents has none.
        costs_services.scenarios_ensure_defaults(persona=persona)
        persona_changed(persona, user=user, summary=importer.summary())
    return persona
