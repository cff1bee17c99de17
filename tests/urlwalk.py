"""Enumerate every URL pattern of the project, so that access tests cover new URLs by themselves."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver


@dataclass(frozen=True)
class Route:
    name: str  # namespaced, e.g. "personas:detail"
    kwargs: tuple[str, ...]  # the URL's arguments, e.g. ("persona_id",)

    def __str__(self) -> str:
        return self.name


def _kwarg_names(pattern: object) -> list[str]:
    converters = getattr(pattern, "converters", None)
    if converters is not None and converters:
        return list(converters)
    regex = getattr(pattern, "regex", None)
    return list(regex.groupindex) if regex is not None else []


def _walk(patterns: list, namespace: str, kwargs: list[str]) -> list[Route | str]:
    found: list[Route | str] = []
    for entry in patterns:
        names = kwargs + _kwarg_names(entry.pattern)
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            found.extend(_walk(entry.url_patterns, ns, names))
        elif isinstance(entry, URLPattern):
            if entry.name:
                found.append(Route(f"{namespace}{entry.name}", tuple(dict.fromkeys(names))))
            else:
                found.append(f"{namespace}<unnamed {entry.pattern}>")
    return found


def all_routes() -> list[Route]:
    return [r for r in _walk(get_resolver().url_patterns, "", []) if isinstance(r, Route)]


def unnamed_routes() -> list[str]:
    return [r for r in _walk(get_resolver().url_patterns, "", []) if isinstance(r, str)]


def is_admin(route: Route) -> bool:
    return route.name.startswith("admin:")
