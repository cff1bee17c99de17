"""The shapes of the API's requests and answers (pydantic, through Django Ninja).

Answers are built from the same selectors as the pages, so they hold what the pages show:
pupil counts only after small-cell suppression, amounts as the cost page counts them.
Amounts are decimals in euros, written as strings ("6634.52") so that no client rounds
them through a float.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from ninja import Field, Schema
from pydantic import StringConstraints

from zio.costs.constants import ScenarioKind, Unit
from zio.organisations.constants import SchoolType
from zio.personas.constants import PersonaStatus, Section
from zio.workshops.constants import ActionStatus, Round, Starter

# PostgreSQL cannot store NUL in text, so it is refused here rather than by the database.
NO_NUL = r"^[^\x00]*$"


def _text(max_length: int, min_length: int = 0) -> object:
    return StringConstraints(min_length=min_length, max_length=max_length, pattern=NO_NUL)


Count = int | str  # a pupil count as the pages show it: the number, "< 10", or "×"
Money = Decimal
InputAmount = Annotated[Decimal, Field(ge=0, le=10_000_000, max_digits=12, decimal_places=2)]


# --- errors ------------------------------------------------------------------------------------


class ErrorOut(Schema):
    detail: str = Field(description="Wat er mis is, in het Nederlands.")


class ValidationIssue(Schema):
    loc: list[str | int] = Field(description='Waar: bijvoorbeeld ["body", "rate"].')
    msg: str
    type: str


class ValidationErrorOut(Schema):
    detail: list[ValidationIssue]


class ConflictOut(Schema):
    detail: str
    current_version: int | None = Field(
        None, description="De versie die nu is opgeslagen; stuur die mee na het samenvoegen."
    )


# --- persona's ---------------------------------------------------------------------------------


class PersonaSummaryOut(Schema):
    id: int
    name: str
    status: PersonaStatus
    status_label: str
    group_size_shown: str = Field(
        description="De groepsgrootte zoals de pagina's hem tonen: onder de drempel „< 10”."
    )
    group_size: int | None = Field(
        description="De precieze groepsgrootte, alleen voor opstellers en beheerders (zoals op "
        "het bewerkformulier); anders leeg."
    )
    age_min: int
    age_max: int
    school_types: list[SchoolType]
    avatar: str
    archived: bool
    updated_at: datetime


class ItemOut(Schema):
    text: str
    signal_id: int | None


class SectionOut(Schema):
    section: Section
    heading: str
    version: int = Field(description="Stuur deze versie mee als je het onderdeel opslaat.")
    items: list[ItemOut]


class CostLineOut(Schema):
    id: int
    description: str
    funding_stream: str = Field(description="Code van de geldstroom.")
    payer: str = Field(description="Code van de betaler.")
    unit: Unit
    tariff_id: int | None
    rate: Money
    quantity: Money
    hours_per_week: Money | None
    weeks: Money | None
    pupils: int | None
    total: Money
    per_pupil: Money
    calculation: str = Field(description="Hoe het bedrag tot stand komt, in woorden.")


class TotalsOut(Schema):
    total: Money
    per_pupil: Money
    per_payer: dict[str, Money]
    per_stream: dict[str, Money]


class ScenarioOut(Schema):
    id: int
    kind: ScenarioKind
    label: str
    name: str
    title: str
    lines: list[CostLineOut]
    totals: TotalsOut


class PersonaOut(PersonaSummaryOut):
    meta_version: int = Field(description="Stuur deze versie mee als je de gegevens wijzigt.")
    sections: list[SectionOut]
    scenarios: list[ScenarioOut]


class PersonaMetaIn(Schema):
    version: int = Field(ge=0, le=2**31 - 1, description="meta_version zoals je hem las.")
    name: Annotated[str, _text(60, 1)]
    group_size: int = Field(ge=0, le=100_000)
    age_min: int = Field(ge=0, le=100)
    age_max: int = Field(ge=0, le=100)
    school_types: list[SchoolType] = Field(max_length=len(SchoolType.values))
    avatar: Annotated[str, _text(40, 1)]
    status: PersonaStatus


class ItemIn(Schema):
    text: Annotated[str, _text(500)]
    signal_id: int | None = Field(None, ge=1, le=2**31 - 1)


class SectionIn(Schema):
    version: int = Field(ge=0, le=2**31 - 1, description="version van het onderdeel.")
    items: list[ItemIn] = Field(max_length=100)


class CostLineIn(Schema):
    description: Annotated[str, _text(200, 1)]
    funding_stream: Annotated[str, _text(60, 1)] | None = Field(
        None, description="Code; leeg: die van het tarief."
    )
    payer: Annotated[str, _text(40, 1)] | None = Field(
        None, description="Code; leeg: de gebruikelijke betaler van de geldstroom."
    )
    unit: Unit | None = Field(None, description="Leeg: die van het tarief.")
    tariff_id: int | None = Field(None, ge=1, le=2**31 - 1)
    rate: InputAmount | None = Field(None, description="Leeg: het bedrag van het tarief.")
    quantity: Annotated[Decimal, Field(ge=0, le=366, max_digits=8, decimal_places=2)] | None = None
    hours_per_week: (
        Annotated[Decimal, Field(ge=0, le=60, max_digits=5, decimal_places=2)] | None
    ) = None
    weeks: Annotated[Decimal, Field(ge=0, le=52, max_digits=4, decimal_places=1)] | None = None
    pupils: int | None = Field(None, ge=0, le=100_000)


class CostLinePatch(CostLineIn):
    # Every field optional: only what is sent changes.
    description: Annotated[str, _text(200, 1)] | None = None  # type: ignore[assignment]


# --- tariffs -----------------------------------------------------------------------------------


class RegionOut(Schema):
    id: int
    name: str


class TariffOut(Schema):
    id: int
    region: RegionOut
    year: int
    name: str
    funding_stream: str
    unit: Unit
    amount: Money
    source: str
    reference_date: date
    is_indicative: bool
    can_edit: bool = Field(description="Of jouw sleutel dit tarief mag wijzigen.")


class TariffIn(Schema):
    region_id: int = Field(ge=1, le=2**31 - 1)
    year: int = Field(ge=2000, le=2100)
    name: Annotated[str, _text(150, 1)]
    funding_stream: Annotated[str, _text(60, 1)]
    unit: Unit
    amount: InputAmount
    source: Annotated[str, _text(300, 1)]
    reference_date: date
    is_indicative: bool = False


class TariffPatch(Schema):
    year: int | None = Field(None, ge=2000, le=2100)
    name: Annotated[str, _text(150, 1)] | None = None
    funding_stream: Annotated[str, _text(60, 1)] | None = None
    unit: Unit | None = None
    amount: InputAmount | None = None
    source: Annotated[str, _text(300, 1)] | None = None
    reference_date: date | None = None
    is_indicative: bool | None = None


# --- screening ---------------------------------------------------------------------------------


class ScreeningOut(Schema):
    id: int
    school_year: str
    pupils: Count
    current: bool = Field(description="Niet vervangen door een nieuwere screening van dat jaar.")
    shared_for_regional_grouping: bool
    created_at: datetime


class LabelCount(Schema):
    label: str
    pupils: Count


class SignalCountOut(Schema):
    signal: str
    pupils: Count
    share_percent: int | None


class SupportCountOut(Schema):
    support: str
    pupils: Count
    share_percent: int | None


class CooccurrenceOut(Schema):
    signals: list[str] = []
    pupils_with_both: list[list[Count]] = []


class StatisticsOut(Schema):
    screening_id: int
    school_year: str
    pupils: Count
    too_small: bool = Field(
        description="Te weinig leerlingen om iets anders te tonen dan het aantal."
    )
    small_cell_threshold: int | None = None
    ages: list[LabelCount] = []
    grades: list[LabelCount] = []
    school_types: list[LabelCount] = []
    signals: list[SignalCountOut] = []
    support: list[SupportCountOut] = []
    cooccurrence: CooccurrenceOut = CooccurrenceOut()
    statements: list[str] = []


# --- grouping ----------------------------------------------------------------------------------


class GroupingRunSummaryOut(Schema):
    id: int
    status: str
    status_label: str
    pupils: Count
    chosen_k: int | None
    screening_ids: list[int]
    created_at: datetime
    finished_at: datetime | None


class GroupOut(Schema):
    id: int
    number: int
    title: str
    set_aside: bool
    merged_into: int | None = Field(description="Nummer van de groep waarin deze opging.")
    pupils: Count | None = Field(description="Groepsgrootte na onderdrukking; leeg als opgegaan.")
    distinguishing: list[str] = Field(description="Wat deze groep onderscheidt, in zinnen.")
    mean_posterior_percent: int | None
    stability_label: str


class GroupingRunOut(GroupingRunSummaryOut):
    unavailable: str = Field(
        description="Waarom de groepen niet (meer) te zien zijn; leeg als ze er zijn."
    )
    groups: list[GroupOut]


# --- doen-sessies ------------------------------------------------------------------------------


class WorkshopSummaryOut(Schema):
    id: int
    title: str
    question: str
    kind: str
    created_at: datetime
    table_count: int
    persona_ids: list[int]


class TableOut(Schema):
    id: int
    name: str
    round: Round


class NextStepOut(Schema):
    id: int
    table_id: int
    starter: Starter
    who: str
    what: str
    where: str
    when: str
    why: str
    how: str
    action_id: int | None


class WorkshopOut(WorkshopSummaryOut):
    tables: list[TableOut]
    next_steps: list[NextStepOut]


class ActionOut(Schema):
    id: int
    title: str
    owner: str
    due_date: date | None
    status: ActionStatus
    overdue: bool
    workshop_id: int | None
    updated_at: datetime


class ActionPatch(Schema):
    status: ActionStatus | None = None
    owner: Annotated[str, _text(200, 1)] | None = None
    due_date: date | None = Field(None, description="Stuur null om de datum te wissen.")
