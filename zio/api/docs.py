"""The API reference for the documentation page, read from the OpenAPI schema that Ninja
generates, so that the page always describes the API as it is."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from .api import api

METHOD_ORDER = ("get", "post", "put", "patch", "delete")
# What each answer means, in words (the schema only says "OK").
ANSWERS = {
    "200": _("gelukt"),
    "201": _("aangemaakt"),
    "204": _("verwijderd; geen inhoud"),
    "400": _("het verzoek is geen leesbare JSON"),
    "401": _("geen geldige sleutel"),
    "403": _("je rol laat dit niet toe"),
    "404": _("bestaat niet in de organisatie van de sleutel"),
    "409": _("iemand anders sloeg intussen op, of de persona is gearchiveerd"),
    "422": _("de invoer klopt niet: detail zegt wat en waar"),
}


@dataclass(frozen=True)
class Field:
    name: str
    where: str  # "path", "query" or "body"
    type: str
    required: bool
    description: str


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    summary: str
    description: str
    anchor: str
    fields: list[Field]
    responses: list[tuple[str, str]]  # (status, what)
    curl: str


@dataclass
class Tag:
    name: str
    operations: list[Operation] = field(default_factory=list)


def _ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def type_text(schema: dict[str, Any], components: dict[str, Any]) -> str:
    """A short, readable type: "integer", "string (max. 100)", "een van: a, b", "lijst van …"."""
    if "$ref" in schema:
        target = components.get(_ref_name(schema["$ref"]), {})
        if "enum" in target:
            return "een van: " + ", ".join(str(v) for v in target["enum"])
        return _ref_name(schema["$ref"])
    if "enum" in schema:
        return "een van: " + ", ".join(str(v) for v in schema["enum"])
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            parts = [type_text(s, components) for s in schema[key] if s.get("type") != "null"]
            text = " of ".join(dict.fromkeys(parts))
            nullable = any(s.get("type") == "null" for s in schema[key])
            return f"{text} of null" if nullable else text
    kind = schema.get("type", "")
    if kind == "array":
        return "lijst van " + type_text(schema.get("items", {}), components)
    if kind == "object":
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict):
            return "object met " + type_text(extra, components)
        return "object"
    limits = []
    if "format" in schema:
        limits.append(schema["format"])
    if "minimum" in schema or "maximum" in schema:
        limits.append(f"{schema.get('minimum', '…')}–{schema.get('maximum', '…')}")
    if "maxLength" in schema:
        limits.append(f"max. {schema['maxLength']} tekens")
    return f"{kind} ({', '.join(limits)})" if limits else kind


def _body_fields(operation: dict[str, Any], components: dict[str, Any]) -> list[Field]:
    content = operation.get("requestBody", {}).get("content", {})
    schema = content.get("application/json", {}).get("schema", {})
    if "$ref" in schema:
        schema = components.get(_ref_name(schema["$ref"]), {})
    required = set(schema.get("required", []))
    return [
        Field(
            name=name,
            where="body",
            type=type_text(prop, components),
            required=name in required,
            description=prop.get("description", ""),
        )
        for name, prop in schema.get("properties", {}).items()
    ]


def _curl(origin: str, method: str, path: str, has_body: bool) -> str:
    parts = ["curl"]
    if method != "get":
        parts.append(f"-X {method.upper()}")
    parts.append('-H "Authorization: Bearer $ZIO_TOKEN"')
    if has_body:
        parts.append("-H \"Content-Type: application/json\" -d '{…}'")
    parts.append(f'"{origin}{path}"')
    return " ".join(parts)


def reference(origin: str) -> list[Tag]:
    """Every operation of the API, grouped by tag; `origin` (scheme and host) goes into the
    curl examples."""
    schema = api.get_openapi_schema()
    components = schema.get("components", {}).get("schemas", {})
    tags: dict[str, Tag] = {}
    for path, methods in schema["paths"].items():
        for method in sorted(methods, key=METHOD_ORDER.index):
            operation = methods[method]
            fields = [
                Field(
                    name=param["name"],
                    where=param["in"],
                    type=type_text(param.get("schema", {}), components),
                    required=param.get("required", False),
                    description=param.get("description", ""),
                )
                for param in operation.get("parameters", [])
            ] + _body_fields(operation, components)
            responses = [
                (status, str(ANSWERS.get(status, answer.get("description", ""))))
                for status, answer in sorted(operation.get("responses", {}).items())
            ]
            tag = operation.get("tags", ["api"])[0]
            tags.setdefault(tag, Tag(name=tag)).operations.append(
                Operation(
                    method=method.upper(),
                    path=path,
                    summary=operation.get("summary", ""),
                    description=operation.get("description", ""),
                    anchor=operation["operationId"],
                    fields=fields,
                    responses=responses,
                    curl=_curl(origin, method, path, "requestBody" in operation),
                )
            )
    return list(tags.values())
