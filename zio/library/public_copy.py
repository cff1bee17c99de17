"""What a published persona holds: the exchange-format data of a persona, made fit for a
library that every organisation reads. Pure: plain data in and out, no ORM.

`persona_export_data(persona, "partners")` is the starting point: it has no organisation, no
user and no database ids, and parents' and partners' files already hide small groups. From it
the library also removes what could point at a school or at pupils:

- the exact group size (`group_size` becomes null; the library shows a band, `size_band`);
- the number of pupils on a cost line (`pupils`; null means "the whole group", and the school
  that adopts the persona fills in its own);
- the regional tariff a rate came from (`tariff`: its name and source name a region);
- the catalogue link of a signal that is the organisation's own (its name is the
  organisation's word; the line's text stays);
- with `with_costs` off, the cost model and the two cost sections.

The result is still a valid file of the exchange format, so adopting it is an ordinary import.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Iterator
from typing import Any

from django.utils.translation import gettext as _

COST_SECTION_KEYS = ("kosten_huidig", "kosten_gewenst")
# Upper edges of the group-size bands; the first band ends at the small-cell threshold.
BAND_EDGES = (25, 50, 100, 250)
EMAIL = re.compile(r"[^\s@]+@[^\s@]+\.[^\s@]+")


def size_band(size: int, threshold: int) -> tuple[int, int | None]:
    """The band of a group size: (lower, upper) with upper excluded, None for "or more".
    Below the threshold the band is (0, threshold): "minder dan 10", never a number."""
    if size < threshold:
        return 0, threshold
    lower = threshold
    for edge in BAND_EDGES:
        if edge <= threshold:
            continue
        if size < edge:
            return lower, edge
        lower = edge
    return lower, None


def band_label(lower: int, upper: int | None) -> str:
    if lower == 0 and upper is not None:
        return _("minder dan %(n)s leerlingen") % {"n": upper}
    if upper is None:
        return _("%(n)s leerlingen of meer") % {"n": lower}
    # "tot" and not "10–25": 25 itself falls in the next band.
    return _("%(lower)s tot %(upper)s leerlingen") % {"lower": lower, "upper": upper}


def scrub(data: dict[str, Any], *, with_costs: bool, shared_signals: Iterable[str]) -> dict:
    """A copy of exchange-format data without what the library must not hold (see above).
    `shared_signals`: the names of the shared catalogue's signals (any case)."""
    result = copy.deepcopy(data)
    persona = result["persona"]
    persona["group_size"] = None
    shared = {name.casefold() for name in shared_signals}
    for key in list(persona["sections"]):
        if not with_costs and key in COST_SECTION_KEYS:
            del persona["sections"][key]
            continue
        for item in persona["sections"][key]:
            signal = item.get("signal")
            if signal is not None and signal["name"].casefold() not in shared:
                del item["signal"]
    if not with_costs:
        persona.pop("scenarios", None)
    for scenario in persona.get("scenarios", []):
        for line in scenario["lines"]:
            line.pop("tariff", None)
            line["pupils"] = None
    return result


def texts(data: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """Every text a person typed into the copy, with where it is: the persona's name, each
    section's lines (by section key), and the scenarios' names and cost lines ("kosten")."""
    persona = data["persona"]
    yield "naam", persona["name"]
    for key, items in persona["sections"].items():
        for item in items:
            yield key, item["text"]
    for scenario in persona.get("scenarios", []):
        if scenario["name"]:
            yield "kosten", scenario["name"]
        for line in scenario["lines"]:
            yield "kosten", line["description"]


def mentions(text: str, names: Iterable[str]) -> bool:
    """True when `text` contains one of `names` (ignoring case)."""
    folded = text.casefold()
    return any(name.casefold() in folded for name in names if name.strip())


def has_email(text: str) -> bool:
    return EMAIL.search(text) is not None
