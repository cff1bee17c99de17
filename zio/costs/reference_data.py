"""Reference data for the cost model: payers, funding streams with their usual payer, and
indicative tariffs a region can start from.

The seeding functions take model classes as arguments, so that the data migration (historical
models) and tests or the demo (real models) share them. Seeding only adds what is missing.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from .constants import Unit

PAYERS = [
    ("school", "School / bevoegd gezag"),
    ("swv", "Samenwerkingsverband"),
    ("gemeente", "Gemeente"),
    ("zorgkantoor", "Zorgkantoor"),
    ("zorgverzekeraar", "Zorgverzekeraar"),
    ("rijk", "Rijk (DUO)"),
    ("ouders", "Ouders"),
    ("overig", "Anders"),
]

# code, name, law, usual payer, explanation
STREAMS = [
    (
        "basisbekostiging",
        "Basisbekostiging onderwijs (lumpsum)",
        "WPO/WEC/WVO",
        "rijk",
        "Het geld per leerling dat het bevoegd gezag via DUO van het Rijk krijgt.",
    ),
    (
        "ondersteuningsbekostiging",
        "Ondersteuningsbekostiging (SBO-bedrag of TLV-categorie)",
        "Passend onderwijs",
        "swv",
        "Geld van het samenwerkingsverband voor leerlingen met een toelaatbaarheidsverklaring.",
    ),
    (
        "aanvullend-arrangement",
        "Aanvullend onderwijsarrangement",
        "Passend onderwijs",
        "swv",
        "Extra ondersteuning bovenop de basis, door het samenwerkingsverband of de school.",
    ),
    (
        "jeugdhulp-collectief",
        "Collectieve jeugdhulp op school",
        "Jeugdwet",
        "gemeente",
        "Jeugdhulp voor een groep op school, zonder beschikking per kind.",
    ),
    (
        "jeugdhulp-individueel",
        "Individuele beschikking jeugdhulp",
        "Jeugdwet",
        "gemeente",
        "Begeleiding of behandeling voor één kind, na een beschikking van de gemeente.",
    ),
    (
        "wlz",
        "Wlz-zorg",
        "Wlz",
        "zorgkantoor",
        "Langdurige zorg voor wie blijvend 24 uur per dag zorg of toezicht nodig heeft.",
    ),
    (
        "zvw",
        "Zvw-zorg",
        "Zvw",
        "zorgverzekeraar",
        "Zorg uit de basisverzekering, zoals verpleging, fysiotherapie of logopedie.",
    ),
    ("wmo", "Wmo-ondersteuning", "Wmo", "gemeente", "Maatschappelijke ondersteuning."),
    (
        "leerlingenvervoer",
        "Leerlingenvervoer",
        "Gemeentelijke verordening",
        "gemeente",
        "Vervoer van en naar school, geregeld door de gemeente.",
    ),
    (
        "oza",
        "Onderwijszorgarrangement (OZA)",
        "Experiment OZA",
        "overig",
        "Eén arrangement dat onderwijs- en zorggeld combineert, volgens afspraak.",
    ),
    ("eigen-middelen", "Eigen middelen school", "", "school", "Geld van de school zelf."),
]

# Indicative tariffs (published figures, see each source): name, stream, unit, amount, year,
# source.
INDICATIVE_TARIFFS = [
    (
        "Ondersteuningsbekostiging SBO per leerling",
        "ondersteuningsbekostiging",
        Unit.PUPIL_YEAR,
        Decimal("6634.52"),
        2024,
        "Gepubliceerde bedragen van een samenwerkingsverband (Kop van Noord-Holland); "
        "grondslag: jaarlijkse regeling in de Staatscourant",
    ),
    (
        "Ondersteuningsbekostiging (V)SO categorie 1 (laag)",
        "ondersteuningsbekostiging",
        Unit.PUPIL_YEAR,
        Decimal("12938.34"),
        2024,
        "Gepubliceerde bedragen van een samenwerkingsverband (Kop van Noord-Holland)",
    ),
    (
        "Ondersteuningsbekostiging (V)SO categorie 2 (midden)",
        "ondersteuningsbekostiging",
        Unit.PUPIL_YEAR,
        Decimal("21053.23"),
        2024,
        "Gepubliceerde bedragen van een samenwerkingsverband (Kop van Noord-Holland)",
    ),
    (
        "Ondersteuningsbekostiging (V)SO categorie 3 (hoog)",
        "ondersteuningsbekostiging",
        Unit.PUPIL_YEAR,
        Decimal("31419.53"),
        2024,
        "Gepubliceerde bedragen van een samenwerkingsverband (Kop van Noord-Holland)",
    ),
    (
        "Basisbekostiging PO per leerling (gemiddeld, incl. SO/VSO)",
        "basisbekostiging",
        Unit.PUPIL_YEAR,
        Decimal("9100.00"),
        2022,
        "Secundaire bron; schatting van het gemiddelde bedrag per leerling",
    ),
    (
        "Jeugdhulp ambulant, hbo-niveau, per uur",
        "jeugdhulp-individueel",
        Unit.PUPIL_HOUR,
        Decimal("78.00"),
        2024,
        "Gepubliceerde pgb-maximumtarieven van een gemeente (Holland Rijnland)",
    ),
    (
        "Jeugdhulp groep, mbo-niveau, per uur",
        "jeugdhulp-collectief",
        Unit.GROUP_HOUR,
        Decimal("51.00"),
        2024,
        "Gepubliceerde pgb-maximumtarieven van een gemeente (Holland Rijnland)",
    ),
    (
        "Individuele begeleiding licht-middel, per uur",
        "jeugdhulp-individueel",
        Unit.PUPIL_HOUR,
        Decimal("43.70"),
        2020,
        "Verordening van een gemeente (pgb-tarief)",
    ),
    (
        "Individuele begeleiding zwaar, per uur",
        "jeugdhulp-individueel",
        Unit.PUPIL_HOUR,
        Decimal("55.80"),
        2020,
        "Verordening van een gemeente (pgb-tarief)",
    ),
]


def seed_payers_and_streams(payer_model: Any, funding_stream_model: Any) -> None:
    payers = {}
    for position, (code, name) in enumerate(PAYERS):
        payers[code], _ = payer_model.objects.get_or_create(
            code=code, defaults={"name": name, "position": position}
        )
    for position, (code, name, law, payer, description) in enumerate(STREAMS):
        funding_stream_model.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "law": law,
                "default_payer": payers[payer],
                "description": description,
                "position": position,
            },
        )


def indicative_tariff_rows(year: int) -> list[dict[str, Any]]:
    """The indicative tariffs as field values for a region's table of `year`.

    Each keeps its own reference date (1 January of its source year) and is marked indicative.
    """
    return [
        {
            "name": name,
            "stream_code": stream,
            "unit": unit,
            "amount": amount,
            "source": f"Indicatief: {source} ({source_year})",
            "reference_date": date(source_year, 1, 1),
            "year": year,
            "is_indicative": True,
        }
        for name, stream, unit, amount, source_year, source in INDICATIVE_TARIFFS
    ]
