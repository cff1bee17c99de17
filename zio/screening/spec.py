"""What a screening file looks like, as plain data shared by the template, the importer and the
statistics. No Django, no ORM: the service layer builds a ScreeningSpec from an organisation's
signal catalogue and hands it to the pure modules.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

CODE_HEADER = "Leerlingcode"
AGE_HEADER = "Leeftijd"
GRADE_HEADER = "Groep of leerjaar"
SCHOOL_TYPE_HEADER = "Schoolsoort"
SUPPORT_PREFIX = "Ondersteuning: "

SCHOOL_TYPES = ("PO", "SBO", "SO", "VSO", "VO")
UNKNOWN = -1  # age or grade not given
NO_SCHOOL_TYPE = 255

# The support a pupil receives now (yes/no columns), after the care types in school time.
SUPPORT_TYPES = (
    "Individuele begeleiding",
    "Begeleiding in een groep",
    "Persoonlijke verzorging",
    "Verpleging",
    "Behandeling",
    "Toezicht",
    "Aanvullend onderwijsarrangement",
    "Individuele beschikking jeugdhulp",
)

SCALE_YES_NO = "janee"
SCALE_0_3 = "0-3"


@dataclass(frozen=True)
class SignalColumn:
    signal_id: int
    name: str  # the column title: the signal's name in the catalogue
    domain: str


@dataclass(frozen=True)
class ScreeningSpec:
    signals: tuple[SignalColumn, ...]
    support: tuple[str, ...] = SUPPORT_TYPES
    default_school_type: str = ""  # used when a row leaves the school type empty
    scale: str = SCALE_YES_NO  # how the template offers values; the importer accepts both

    @property
    def headers(self) -> list[str]:
        """All columns of the data sheet, in template order."""
        return [
            CODE_HEADER,
            AGE_HEADER,
            GRADE_HEADER,
            SCHOOL_TYPE_HEADER,
            *(s.name for s in self.signals),
            *(SUPPORT_PREFIX + s for s in self.support),
        ]


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 20 * 1024 * 1024
    max_rows: int = 200_000
    max_problems: int = 10_000  # problems kept for the report; the total is counted further
    max_unzipped_bytes: int = 200 * 1024 * 1024  # for XLSX: guards against zip bombs


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an uploaded file, said in Dutch: what, where and (if safe) which
    value. Values that may be personal data (a BSN, a date, an identifier column) are not
    repeated."""

    kind: str  # stable code, e.g. "unknown_column", "bsn", "duplicate_code"
    message: str  # complete Dutch sentence
    row: int | None = None  # spreadsheet row number (the header is row 1)
    column: str | None = None  # spreadsheet column letter, e.g. "C"
    header: str | None = None  # the column's title as found in the file
    value: str | None = None  # the offending value as found, or None when it must not be shown


class ImportRefused(Exception):  # noqa: N818 - a refusal, reported to the user
    def __init__(self, problems: list[Problem], total: int | None = None) -> None:
        super().__init__(f"{total or len(problems)} problem(s)")
        self.problems = problems
        self.total = total if total is not None else len(problems)


@dataclass
class ParsedScreening:
    """A valid screening, column-wise. Row i of every array is the same pupil."""

    code_hashes: npt.NDArray[np.uint8]  # (n, 32): HMAC-SHA256 of the pupil code; never the code
    ages: npt.NDArray[np.int16]  # (n,), UNKNOWN when not given
    grades: npt.NDArray[np.int16]  # (n,), UNKNOWN when not given
    school_types: npt.NDArray[np.uint8]  # (n,), index into SCHOOL_TYPES or NO_SCHOOL_TYPE
    signals: npt.NDArray[np.uint8]  # (n, k): 0 = no, 1-3 = yes (with the 0-3 scale: strength)
    support: npt.NDArray[np.uint8]  # (n, s): 0 or 1
    signal_ids: list[int] = field(default_factory=list)  # column j of `signals` is this signal
    support_names: list[str] = field(default_factory=list)

    @property
    def pupil_count(self) -> int:
        return int(self.signals.shape[0])


Progress = Callable[[int, str], None]  # percentage 0-100, Dutch description of the stage
