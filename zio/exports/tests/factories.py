"""A filled-in persona for the export tests: every section has lines, and there are cost lines
in the current, the desired and the if-nothing-changes scenario, paid by three payers."""

from __future__ import annotations

from decimal import Decimal

from zio.costs.constants import ScenarioKind, Unit
from zio.costs.models import CostLine
from zio.costs.tests.factories import CostLineFactory, ScenarioFactory, stream
from zio.organisations.models import Organisation
from zio.personas.constants import Section
from zio.personas.models import Persona
from zio.personas.tests.factories import PersonaFactory, PersonaItemFactory

# Texts that must come out of every export intact and harmless.
HOSTILE_TEXTS = (
    "<script>alert('x')</script> & <b>vet</b>",
    "=cmd|' /C calc'!A0",
    "+SUM(1,2)",
    '@HYPERLINK("http://example.org")',
    "Heel-lang-woord-" + "zonderspaties" * 12,
    "Blij 😀 met de leerkracht 🏫",
)

SECTION_TEXTS = {
    Section.WHO: ["Is 9 jaar en zit in groep 5.", "Woont bij moeder en oma."],
    Section.PROBLEMS: ["Overprikkeling", "Problemen met emotieregulatie"],
    Section.WISHES: ["Gewoon meedoen met de klas."],
    Section.CURRENT_SCHOOL: ["De leerkracht grijpt vaak in."],
    Section.CURRENT_PARENTS: ["Moeder wordt vaak gebeld om Esra op te halen."],
    Section.NEEDS: ["Voorspelbaarheid en structuur.", "Een rustige plek."],
    Section.DESIRED: ["Jeugdhulp op school voor de hele groep."],
    Section.IF_UNMET: ["Esra gaat thuiszitten."],
    Section.COSTS_CURRENT: ["Ambulante begeleiding van het SWV."],
    Section.COSTS_DESIRED: ["Collectieve jeugdhulp op school."],
}


def line(scenario: object, description: str, stream_code: str, **fields: object) -> CostLine:
    funding = stream(stream_code)
    return CostLineFactory.create(
        scenario=scenario,
        description=description,
        funding_stream=funding,
        payer=funding.default_payer,
        **fields,
    )


def filled_persona(
    organisation: Organisation | None = None,
    *,
    name: str = "Esra",
    group_size: int = 12,
    extra_texts: tuple[str, ...] = (),
) -> Persona:
    """A persona with every section filled and costs in three scenarios (see TOTALS).

    For a group of 12, per year:
    - current: SWV 12 x 1,000 = 12,000; gemeente 4 pupils x 2,500 = 10,000; total 22,000.
    - desired A: gemeente 8 h/week x 40 weeks x 50 = 16,000; SWV 12 x 500 = 6,000; school
      3,000 fixed; total 25,000.
    - if nothing changes: gemeente 6 pupils x 7,000 = 42,000.
    """
    extra = {} if organisation is None else {"organisation": organisation}
    persona = PersonaFactory.create(name=name, group_size=group_size, **extra)
    for section, texts in SECTION_TEXTS.items():
        for text in texts:
            PersonaItemFactory.create(persona=persona, section=section, text=text)
    for text in extra_texts:
        PersonaItemFactory.create(persona=persona, section=Section.WHO, text=text)

    current = ScenarioFactory.create(persona=persona, kind=ScenarioKind.CURRENT, position=0)
    line(current, "Ondersteuning in de klas", "ondersteuningsbekostiging", rate=Decimal("1000"))
    line(
        current,
        "Individuele jeugdhulp",
        "jeugdhulp-individueel",
        rate=Decimal("2500"),
        pupils=4,
    )
    desired = ScenarioFactory.create(
        persona=persona, kind=ScenarioKind.DESIRED, label="A", name="Zorg op school", position=1
    )
    line(
        desired,
        "Jeugdhulpverlener in de groep",
        "jeugdhulp-collectief",
        unit=Unit.GROUP_HOUR,
        rate=Decimal("50"),
        hours_per_week=Decimal("8"),
        weeks=Decimal("40"),
    )
    line(desired, "Ambulante begeleiding", "ondersteuningsbekostiging", rate=Decimal("500"))
    line(desired, "Rustige ruimte inrichten", "eigen-middelen", unit=Unit.GROUP_YEAR, rate=3000)
    unmet = ScenarioFactory.create(persona=persona, kind=ScenarioKind.IF_UNMET, position=2)
    line(unmet, "Dagbehandeling", "jeugdhulp-individueel", rate=Decimal("7000"), pupils=6)
    return persona


# The totals of filled_persona per scenario, as the exports print them (Dutch notation).
TOTALS = {
    ScenarioKind.CURRENT: "22.000,00",
    ScenarioKind.DESIRED: "25.000,00",
    ScenarioKind.IF_UNMET: "42.000,00",
}
