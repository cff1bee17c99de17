"""How fast are the PDF exports? Run by hand: .venv/bin/python bench/exports_pdf.py

Sets Django up on the test settings with an in-memory SQLite database (migrated, so the payers
and funding streams are there), creates 30 filled persona's with zio/exports/tests/factories.py
(every section filled, cost lines in three scenarios) and times, best of 3:
  (a) the waaier (cards of 10 x 21 cm) of 12 persona's        target: under 5 s
  (b) the waaier on A4 of the same 12                         (no target; for comparison)
  (c) the session pack (A4, contents page) of 30 persona's    target: under 15 s
  (d) the waaier of 12 persona's of which 3 have far too much text for one card, so that
      they are fitted again in smaller type and continue on extra cards (no target)
all for the "intern" audience, which prints the most. The time includes building the
PersonaDocuments from the database, as an export does.

    .venv/bin/python bench/exports_pdf.py [a] [b] [c] [d] [--json]    (no letter: all four)

--json also prints the figures as JSON (for bench/run_all.py).
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "config.test_settings"
os.environ["DATABASE_URL"] = "sqlite:///:memory:"

ROUNDS = 3
# Far too much for the front of one card, even in the smallest type.
LONG_LINES = tuple(
    f"Regel {n}: komt 's ochtends binnen met een rugzak vol zorgen over thuis, over de bus en "
    "over de toets van vanmiddag, en heeft tijd nodig om rustig te worden voordat het werk kan "
    "beginnen; de leerkracht ziet het aan de houding en begint met een praatje bij de deur."
    for n in range(1, 15)
)


def best_of(function: Callable[[], object], rounds: int = ROUNDS) -> tuple[float, object]:
    times = []
    result: object = None
    for _ in range(rounds):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone, translation

    translation.activate("nl")
    call_command("migrate", verbosity=0)
    # WeasyPrint logs every step and page at INFO; only problems matter here.
    logging.getLogger("weasyprint").setLevel(logging.WARNING)

    from zio.exports import pdf
    from zio.exports.document import Audience, persona_document
    from zio.exports.formats import ExportContext
    from zio.exports.tests.factories import filled_persona
    from zio.organisations.tests.factories import OrganisationFactory
    from zio.personas.models import Persona

    organisation = OrganisationFactory.create(name="SBO De Regenboog")
    names = ["Esra", "Daan", "Lotte", "Mo", "Sanne", "Yusuf", "Fleur", "Noah", "Aya", "Bram"]
    for number in range(30):
        filled_persona(organisation, name=f"{names[number % len(names)]} {number + 1}")
    personas = list(Persona.objects.filter(organisation=organisation).order_by("pk"))
    crowded = OrganisationFactory.create(name="SBO Vol")
    for number in range(12):
        filled_persona(
            crowded, name=f"Vol {number + 1}", extra_texts=LONG_LINES if number % 4 == 0 else ()
        )
    full = list(Persona.objects.filter(organisation=crowded).order_by("pk"))
    context = ExportContext(
        audience=Audience.INTERNAL,
        organisation=organisation.name,
        title="Persona's van SBO De Regenboog",
        made_at=timezone.now(),
    )

    def export(
        writer: Callable[..., pdf.Rendered], chosen: list[Persona]
    ) -> Callable[[], pdf.Rendered]:
        def run() -> pdf.Rendered:
            documents = [persona_document(p, Audience.INTERNAL) for p in chosen]
            return writer(documents, context)

        return run

    pdf.render_html("<p>warm-up</p>")  # imports WeasyPrint and loads the fonts once
    print(f"{os.cpu_count()} cores, best of {ROUNDS}")
    chosen_parts = [part for part in sys.argv[1:] if not part.startswith("--")] or list("abcd")
    figures: dict[str, float] = {}
    for label, writer, chosen, target in (
        ("(a) waaier, 12 persona's", pdf.waaier_cards, personas[:12], 5.0),
        ("(b) waaier on A4, 12 persona's", pdf.waaier_a4, personas[:12], None),
        ("(c) session pack, 30 persona's", pdf.session_pack, personas, 15.0),
        ("(d) waaier, 12 persona's, 3 too full", pdf.waaier_cards, full, None),
    ):
        if label[1] not in chosen_parts:
            continue
        seconds, rendered = best_of(export(writer, chosen))
        figures[label[1]] = seconds
        assert isinstance(rendered, pdf.Rendered)
        verdict = "" if target is None else ("  ok" if seconds < target else "  TOO SLOW")
        goal = "" if target is None else f" (target < {target:.0f} s)"
        print(f"{label}: {seconds:.2f} s{goal}, {len(rendered.content) / 1024:.0f} KiB{verdict}")
    if "--json" in sys.argv[1:]:
        print("BENCH-JSON " + json.dumps(figures))


if __name__ == "__main__":
    main()
