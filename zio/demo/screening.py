"""A made-up screening for the demo schools: no real pupil, but a population with recognisable
groups (easily overstimulated pupils, pupils whose behaviour is unsafe, pupils with a learning
profile), so that the population page and the grouping have something to show."""

from __future__ import annotations

import csv
import io

import numpy as np

from zio.screening.spec import ScreeningSpec

# Per profile: share of pupils, and the chance of each signal (by name; others 5%).
PROFILES = [
    (
        0.35,
        {
            "Overprikkeling": 0.85,
            "Problemen met emotieregulatie": 0.7,
            "Focus- en concentratieproblemen": 0.65,
            "Inflexibiliteit (starheid, moeite met meebewegen)": 0.55,
            "Beperkte belastbaarheid": 0.5,
            "Belast gezinssysteem": 0.35,
        },
    ),
    (
        0.25,
        {
            "Gevaar voor omgeving en zichzelf": 0.6,
            "Agressie": 0.55,
            "Impulsiviteit": 0.7,
            "Beperkt basisvertrouwen": 0.6,
            "Hechtingsproblemen": 0.45,
            "Belast gezinssysteem": 0.6,
            "Schorsingen": 0.25,
        },
    ),
    (
        0.4,
        {
            "Intelligentie: LVB": 0.6,
            "Leerproblemen": 0.75,
            "Eigen leerlijn": 0.5,
            "TOS (taalontwikkelingsstoornis)": 0.3,
            "Faalangst": 0.4,
            "Werkhouding": 0.45,
        },
    ),
]
SUPPORT_CHANCE = {
    "Individuele begeleiding": 0.3,
    "Begeleiding in een groep": 0.2,
    "Behandeling": 0.1,
    "Aanvullend onderwijsarrangement": 0.25,
    "Individuele beschikking jeugdhulp": 0.2,
}


def demo_screening_csv(
    spec: ScreeningSpec, *, pupils: int, ages: tuple[int, int], seed: int
) -> str:
    rng = np.random.default_rng(seed)
    shares = np.array([p[0] for p in PROFILES])
    profile_of = rng.choice(len(PROFILES), size=pupils, p=shares / shares.sum())
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(spec.headers)
    for number in range(pupils):
        chances = PROFILES[profile_of[number]][1]
        signals = ["ja" if rng.random() < chances.get(s.name, 0.05) else "" for s in spec.signals]
        support = ["ja" if rng.random() < SUPPORT_CHANCE.get(s, 0.03) else "" for s in spec.support]
        age = int(rng.integers(ages[0], ages[1] + 1))
        writer.writerow([f"DEMO{seed}-{number + 1:04d}", age, "", "", *signals, *support])
    return out.getvalue()
