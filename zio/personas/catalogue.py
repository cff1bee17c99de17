"""The shared signal catalogue and the list of common needs, as seed data.

The seeding functions take the model classes as arguments, so that the data migration (with
historical models) and the test suite (with the real ones) use the same code. Seeding is
idempotent: it only adds what is missing.
"""

from __future__ import annotations

from typing import Any

CATALOGUE = [
    (
        "gedrag",
        "Gedrag & veiligheid",
        [
            "Gevaar voor omgeving en zichzelf",
            "Agressie",
            "Impulsiviteit",
            "Weglopen",
            "Risicogedrag",
            "Fysiek ingrijpen nodig",
        ],
    ),
    (
        "sociaal-emotioneel",
        "Sociaal-emotioneel & hechting",
        [
            "Beperkt basisvertrouwen",
            "Hechtingsproblemen",
            "Emotionele problemen",
            "Problemen met emotieregulatie",
            "Trauma",
            "Faalangst",
            "Moeite met sociale interactie",
            "Teruggetrokken",
        ],
    ),
    (
        "prikkelverwerking",
        "Prikkelverwerking & zelfregulatie",
        [
            "Overprikkeling",
            "Prikkelzoekend",
            "Focus- en concentratieproblemen",
            "Inflexibiliteit (starheid, moeite met meebewegen)",
            "Plannen en organiseren",
            "Werkhouding",
            "Bewegingsonrust",
            "Beperkte belastbaarheid",
        ],
    ),
    (
        "cognitie",
        "Cognitie, leren & communicatie",
        [
            "Intelligentie: LVB",
            "Intelligentie: (Z)MLK",
            "Intelligentie: MHB / hoogbegaafd",
            "Disharmonisch profiel",
            "Leerproblemen",
            "Eigen leerlijn",
            "TOS (taalontwikkelingsstoornis)",
            "Ondersteunde communicatie",
        ],
    ),
    (
        "lichamelijk",
        "Lichamelijk & medisch",
        [
            "Lichamelijke beperking",
            "EMB (ernstig meervoudige beperking)",
            "Chronisch ziek",
            "Epilepsie",
            "Medicatie",
            "Verpleegkundige handelingen",
            "Hulp bij ADL",
            "Visus of gehoor",
            "Motoriek",
        ],
    ),
    (
        "gezin",
        "Gezin & omgeving",
        [
            "Belast gezinssysteem",
            "Ouderproblematiek",
            "Onveiligheid thuis",
            "Uithuisplaatsing",
            "Justitieel kader",
            "Armoede",
            "Klein netwerk",
            "Taalbarrière",
        ],
    ),
    (
        "schoolgang",
        "Schoolgang & participatie",
        [
            "Thuiszitten",
            "Schoolweigering",
            "Gedeeltelijk rooster",
            "Overgang uit behandeling",
            "Vrijstelling",
            "Schorsingen",
            "Leerlingenvervoer",
        ],
    ),
]

# Suggestions for "Wat heeft ... nodig?" (free text stays possible).
NEEDS = [
    "Nabijheid van de leerkracht",
    "Balans tussen inspanning en ontspanning",
    "Een kleine groep (12 tot 15 leerlingen)",
    "Voorspelbaarheid en structuur",
    "Een prikkelarme ruimte",
    "1-op-1 toezicht",
    "Afstemming met ouders",
    "Specialistische expertise in de klas",
    "Behandeling",
    "Begeleiding",
]


def seed_catalogue(signal_domain_model: Any, signal_model: Any) -> None:
    for domain_position, (code, name, signals) in enumerate(CATALOGUE):
        domain, _ = signal_domain_model.objects.get_or_create(
            code=code, defaults={"name": name, "position": domain_position}
        )
        for position, signal in enumerate(signals):
            signal_model.objects.get_or_create(
                domain=domain, name=signal, organisation=None, defaults={"position": position}
            )
