"""The demo region, organisations, people and persona, written for this product.

Everything here is fictitious. The demo persona follows the handbook's example in spirit (a group
of ten-year-olds in SBO who are easily overstimulated) but is our own text.
"""

from typing import Any

from zio.organisations.constants import OrganisationKind, Role, SchoolType
from zio.personas.constants import PersonaStatus, Section

DEMO_PASSWORD = "demo-wachtwoord-2026"

REGION = {
    "name": "Regio Rijnvliet (demo)",
    "description": (
        "Een verzonnen regio met één samenwerkingsverband, één gemeente, een jeugdhulpaanbieder "
        "en twee scholen, om ZiO Persona's uit te proberen."
    ),
}

ORGANISATIONS: dict[str, dict[str, Any]] = {
    "swv": {"name": "SWV Passend Onderwijs Rijnvliet", "kind": OrganisationKind.SWV},
    "gemeente": {"name": "Gemeente Rijnvliet", "kind": OrganisationKind.GEMEENTE},
    "jeugdhulp": {"name": "Jeugdhulp De Brug", "kind": OrganisationKind.JEUGDHULP},
    "sbo": {
        "name": "SBO De Regenboog",
        "kind": OrganisationKind.SCHOOL,
        "school_type": SchoolType.SBO,
    },
    "vso": {
        "name": "VSO De Horizon",
        "kind": OrganisationKind.SCHOOL,
        "school_type": SchoolType.VSO,
        "clusters": [4],
    },
}

# e-mail, name, [(organisation key, role), ...]
USERS = [
    ("schoolleider@regenboog.example", "Fatima el Amrani", [("sbo", Role.BEHEERDER)]),
    ("ib@regenboog.example", "Joost de Vries", [("sbo", Role.OPSTELLER)]),
    (
        "beleid@rijnvliet.example",
        "Marieke Jansen",
        [("gemeente", Role.BEHEERDER), ("sbo", Role.MEELEZER), ("vso", Role.MEELEZER)],
    ),
    ("schoolleider@horizon.example", "Kees Bakker", [("vso", Role.BEHEERDER)]),
    ("coordinator@swv-rijnvliet.example", "Priya Ramdin", [("swv", Role.BEHEERDER)]),
    ("teamleider@debrug.example", "Sanne Visser", [("jeugdhulp", Role.BEHEERDER)]),
]

PERSONA: dict[str, Any] = {
    "organisation": "sbo",
    "name": "Noor",
    "group_size": 14,
    "age_min": 9,
    "age_max": 11,
    "school_types": [SchoolType.SBO],
    "avatar": "avatar-01",
    "status": PersonaStatus.IN_DISCUSSION,
    "sections": {
        Section.WHO: [
            "Noor staat voor een groep leerlingen van 9 tot 11 jaar op het SBO",
            "Noor woont thuis met haar moeder en een jonger broertje",
            "Noor is nieuwsgierig, grappig en zorgzaam voor jongere kinderen",
            "Een drukke klas kost haar veel energie; na school is ze uitgeput",
            "Bij onverwachte veranderingen kan ze plotseling boos worden of dichtklappen",
        ],
        Section.PROBLEMS: [
            "Overprikkeling",
            "Problemen met emotieregulatie",
            "Focus- en concentratieproblemen",
            "Inflexibiliteit: moeite met veranderingen in rooster of begeleider",
            "Beperkt basisvertrouwen",
            "Belast gezinssysteem",
        ],
        Section.WISHES: [
            "Gewoon meedoen met de klas, ook bij gym en uitjes",
            "Weten wat er die dag gaat gebeuren",
            "Na school nog energie hebben om met vriendinnen te spelen",
            "Minder vaak boos worden en zich daarna niet meer schamen",
        ],
        Section.CURRENT_SCHOOL: [
            "De leerkracht houdt Noor de hele dag in het oog en grijpt vaak in",
            "Een ambulant begeleider komt twee keer per maand langs",
            "Bij escalatie vangt de intern begeleider of directeur Noor op",
            "Veel tijd gaat naar overleg binnen school en met externe partners",
        ],
        Section.CURRENT_PARENTS: [
            "Moeder krijgt vaak telefoontjes van school en moet Noor soms eerder ophalen",
            "Thuis is Noor na schooltijd moe en prikkelbaar",
            "Hulp is versnipperd: elke hulpverlener vraagt opnieuw hetzelfde",
        ],
        Section.NEEDS: [
            "Nabijheid van een vaste volwassene in de klas",
            "Een voorspelbare dag met vaste structuur en aangekondigde veranderingen",
            "Een prikkelarme plek om tot rust te komen, binnen de school",
            "Een kleine groep van 12 tot 15 leerlingen",
            "Begeleiding bij emotieregulatie, en behandeling waar dat nodig is",
            "Goede afstemming tussen school en thuis",
        ],
        Section.DESIRED: [
            "Een pedagogisch medewerker in de klas voor de hele groep, niet per kind",
            "Jeugdhulp op school: een vaste jeugdhulpverlener die begeleidt en behandelt",
            "Een rustruimte met begeleiding, en een plan om terug te gaan naar de groep",
            "Vroeg signaleren en samen met ouders bijsturen",
            "Alternatief: een deel van de week in een kleine groep met extra begeleiding",
        ],
        Section.IF_UNMET: [
            "Noor laat in de klas steeds vaker probleemgedrag zien",
            "Thuis nemen de spanningen toe; ouders raken overbelast",
            "De school raakt handelingsverlegen en de werkdruk stijgt",
            "Kans op verwijzing naar SO cluster 4 of op thuiszitten",
            "Meer individuele beschikkingen jeugdhulp, die samen duurder zijn",
        ],
        Section.COSTS_CURRENT: [
            "Basisbekostiging onderwijs (Rijk, via het bevoegd gezag)",
            "Ondersteuningsbekostiging SBO (samenwerkingsverband)",
            "Aanvullend onderwijsarrangement SBO (samenwerkingsverband)",
            "Schoolmaatschappelijk werk (gemeente)",
            "Een beperkt aantal individuele beschikkingen jeugdhulp (gemeente)",
        ],
        Section.COSTS_DESIRED: [
            "Collectieve jeugdhulp op school in plaats van losse beschikkingen (gemeente)",
            "Pedagogisch medewerker voor de groep (samenwerkingsverband en school samen)",
            "Afspraken per regio, volgens de jeugdhulptarieven van de gemeente",
        ],
    },
}

# The demo persona as the school publishes it in the library (without the school's name).
PUBLICATION_TITLE = "Noor: overprikkeld in een drukke klas"
PUBLICATION_SUMMARY = (
    "Een groep SBO-leerlingen van 9 tot 11 jaar die snel overprikkeld raken. Met jeugdhulp op "
    "school voor de hele groep als gewenste situatie, en wat dat kost."
)
# (e-mail, organisation key, text): another school's reaction in the library.
PUBLICATION_REACTION = (
    "schoolleider@horizon.example",
    "vso",
    "Bij ons werkte een vaste jeugdhulpverlener in de klas ook goed: minder telefoontjes naar "
    "ouders en minder verwijzingen.",
)

# The year of the demo region's tariff table (filled with the indicative tariffs).
TARIFF_YEAR = 2026

# Cost lines of the demo persona per scenario. Scenario keys: "huidig", "gewenst:A",
# "gewenst:B", "niets_verandert". A line gives a description and a funding stream code (its
# usual payer pays), and either the name of a tariff of the demo region or its own unit and
# rate; hourly lines add hours per week and weeks, and a line may name a number of pupils.
BASIS = "Basisbekostiging PO per leerling (gemiddeld, incl. SO/VSO)"
SBO = "Ondersteuningsbekostiging SBO per leerling"
PERSONA_SCENARIO_NAMES = {
    "gewenst:A": "Jeugdhulp op school",
    "gewenst:B": "Deel van de week in een kleine groep",
}
PERSONA_COSTS: dict[str, list[dict[str, Any]]] = {
    "huidig": [
        {"description": "Basisbekostiging", "stream": "basisbekostiging", "tariff": BASIS},
        {
            "description": "Ondersteuningsbekostiging SBO",
            "stream": "ondersteuningsbekostiging",
            "tariff": SBO,
        },
        {
            "description": "Aanvullend onderwijsarrangement SBO",
            "stream": "aanvullend-arrangement",
            "unit": "groep_jaar",
            "rate": "18000.00",
        },
        {
            "description": "Schoolmaatschappelijk werk, 4 uur per week",
            "stream": "jeugdhulp-collectief",
            "unit": "groep_uur",
            "rate": "72.50",
            "hours_per_week": "4",
            "weeks": "40",
        },
        {
            "description": "Individuele beschikkingen jeugdhulp (4 leerlingen)",
            "stream": "jeugdhulp-individueel",
            "tariff": "Jeugdhulp ambulant, hbo-niveau, per uur",
            "hours_per_week": "2",
            "weeks": "40",
            "pupils": 4,
        },
    ],
    "gewenst:A": [
        {"description": "Basisbekostiging", "stream": "basisbekostiging", "tariff": BASIS},
        {
            "description": "Ondersteuningsbekostiging SBO",
            "stream": "ondersteuningsbekostiging",
            "tariff": SBO,
        },
        {
            "description": "Pedagogisch medewerker in de klas",
            "stream": "aanvullend-arrangement",
            "unit": "groep_jaar",
            "rate": "46000.00",
        },
        {
            "description": "Jeugdhulp op school, 16 uur per week voor de groep",
            "stream": "jeugdhulp-collectief",
            "tariff": "Jeugdhulp groep, mbo-niveau, per uur",
            "hours_per_week": "16",
            "weeks": "40",
        },
    ],
    "gewenst:B": [
        {"description": "Basisbekostiging", "stream": "basisbekostiging", "tariff": BASIS},
        {
            "description": "Ondersteuningsbekostiging SBO",
            "stream": "ondersteuningsbekostiging",
            "tariff": SBO,
        },
        {
            "description": "Kleine groep twee dagdelen per week",
            "stream": "eigen-middelen",
            "unit": "groep_jaar",
            "rate": "15000.00",
        },
        {
            "description": "Individuele begeleiding (6 leerlingen)",
            "stream": "jeugdhulp-individueel",
            "tariff": "Individuele begeleiding zwaar, per uur",
            "hours_per_week": "2",
            "weeks": "40",
            "pupils": 6,
        },
    ],
    "niets_verandert": [
        {"description": "Basisbekostiging", "stream": "basisbekostiging", "tariff": BASIS},
        {
            "description": "Ondersteuningsbekostiging SBO (10 leerlingen blijven)",
            "stream": "ondersteuningsbekostiging",
            "tariff": SBO,
            "pupils": 10,
        },
        {
            "description": "Verwijzing naar SO cluster 4, categorie hoog (4 leerlingen)",
            "stream": "ondersteuningsbekostiging",
            "tariff": "Ondersteuningsbekostiging (V)SO categorie 3 (hoog)",
            "pupils": 4,
        },
        {
            "description": "Meer individuele beschikkingen jeugdhulp (8 leerlingen)",
            "stream": "jeugdhulp-individueel",
            "tariff": "Jeugdhulp ambulant, hbo-niveau, per uur",
            "hours_per_week": "3",
            "weeks": "40",
            "pupils": 8,
        },
        {
            "description": "Leerlingenvervoer naar een school verder weg (4 leerlingen)",
            "stream": "leerlingenvervoer",
            "unit": "leerling_jaar",
            "rate": "5500.00",
            "pupils": 4,
        },
    ],
}


# A doen-sessie of SBO De Regenboog whose next steps are on the action list: one overdue.
WORKSHOP_LEADER = "schoolleider@regenboog.example"
WORKSHOP_TITLE = "Doen-sessie Zorg in Onderwijstijd Rijnvliet"
# Per next step: its 5W+H, days from today until it is due, and its status.
WORKSHOP_STEPS: list[tuple[dict[str, str], int, str]] = [
    (
        {
            "starter": "haalbaarheid",
            "who": "Intern begeleider en procesregisseur",
            "what": "de kosten van Noor per betaler voorleggen aan de gemeente",
            "where": "Overleg onderwijs en jeugd, gemeente Rijnvliet",
            "when": "Vorige maand",
            "why": "De gemeente betaalt nu losse jeugdhulp die op school goedkoper kan",
            "how": "Met de waaier en het Excel-overzicht per betaler",
        },
        -10,
        "bezig",
    ),
    (
        {
            "starter": "draagvlak",
            "who": "Schoolleider",
            "what": "ouders van de groep van Noor uitnodigen voor een gesprek",
            "where": "SBO De Regenboog",
            "when": "Binnen zes weken",
            "why": "Ouders willen minder vaak gebeld worden om hun kind op te halen",
            "how": "Met de waaier voor ouders",
        },
        42,
        "open",
    ),
]

# What the demo table said in the other rounds of that session.
WORKSHOP_INTRODUCTION = {
    "who": "Schoolleider van SBO De Regenboog",
    "where_from": "Rijnvliet",
    "why_here": "Ik wil dat jeugdhulp op school komt in plaats van onder schooltijd ernaast",
    "question": "Hoe betalen school en gemeente samen voor zorg in onderwijstijd?",
}
# Post-its: (kind, text, detail). The first three of each kind became the top 3.
WORKSHOP_NOTES: list[tuple[str, str, str]] = [
    ("actor", "Gemeente Rijnvliet", "Betaalt de jeugdhulp"),
    ("actor", "Ouders", ""),
    ("actor", "Jeugdhulpaanbieder De Brug", "Levert de ambulante begeleiding"),
    ("actor", "Leerplichtambtenaar", ""),
    ("factor", "Financiering uit één pot", "Nu betalen school en gemeente los"),
    ("factor", "Een vaste plek in school", ""),
    ("factor", "Tijd van de intern begeleider", ""),
    ("factor", "Vervoer", ""),
]
# Where the top 3 ended up: (draagvlak, haalbaarheid) per chosen post-it, actors then factors.
WORKSHOP_PLACES: list[tuple[int, int]] = [
    (80, 40),
    (70, 75),
    (55, 60),
    (45, 25),
    (85, 80),
    (60, 50),
]
WORKSHOP_CLOSING = {
    "my_next_step": "De wethouder uitnodigen op school",
    "follow_up_question": "Welke andere scholen in de regio willen meedoen?",
    "who_needed": "De procesregisseur",
    "apply_tomorrow": "De waaier gebruiken in het ouderoverleg",
}
