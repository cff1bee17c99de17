"""Build screening files for tests from an organisation's real template spec."""

from __future__ import annotations

import csv
import io

from zio.organisations.models import Organisation
from zio.screening.services import screening_spec
from zio.screening.spec import ScreeningSpec


def rows_csv(
    spec: ScreeningSpec,
    rows: list[dict[str, str]],
    *,
    delimiter: str = ";",
    encoding: str = "utf-8",
) -> bytes:
    """A CSV with the template's header and the given rows (missing cells empty)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(spec.headers)
    for row in rows:
        writer.writerow([row.get(header, "") for header in spec.headers])
    return out.getvalue().encode(encoding)


def population_csv(
    organisation: Organisation, *, pupils: int = 40, rare: int = 3, delimiter: str = ";"
) -> bytes:
    """`pupils` pupils; every pupil has the first signal, `rare` of them the second."""
    spec = screening_spec(organisation)
    first, second = spec.signals[0].name, spec.signals[1].name
    rows = [
        {
            "Leerlingcode": f"LL{n:04d}",
            "Leeftijd": str(8 + n % 4),
            first: "ja",
            second: "ja" if n < rare else "nee",
        }
        for n in range(pupils)
    ]
    return rows_csv(spec, rows, delimiter=delimiter)
