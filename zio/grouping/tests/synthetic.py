"""Synthetic screenings with known groups, to test (and benchmark) the grouping.

Each group has its own chance of having each signal. Groups overlap: every signal has some
chance in every group, several groups can share a marker signal, and a little noise flips
answers. Group sizes are unequal. Present signals get a strength of 1-3, as on the 0-3 scale,
so the analysis must binarise them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

LOW = (0.05, 0.15)  # a signal that does not mark the group
HIGH = (0.75, 0.9)  # a marker signal of the group
MARKERS = 6  # marker signals per group
SHARED = 2  # at most this many markers in common between two groups


@dataclass(frozen=True)
class Synthetic:
    values: npt.NDArray[np.uint8]  # (n, m) 0-3
    labels: npt.NDArray[np.intp]  # (n,) true group 0..G-1
    prevalence: npt.NDArray[np.float64]  # (G, m) chance of each signal per group

    @property
    def groups(self) -> int:
        return int(self.prevalence.shape[0])


def synthetic_screening(
    seed: int,
    *,
    pupils: int = 600,
    groups: int | None = None,
    signals: int | None = None,
    clear: bool = True,
    noise: float = 0.02,
) -> Synthetic:
    """A screening of `pupils` pupils in `groups` groups (random 4-8) over `signals` signals
    (random 20-40).

    clear=True: each group has a few markers of its own plus two borrowed from other groups
    (0.6-0.9), all other signals low (0.05-0.25): groups that a school would recognise.
    clear=False: every chance drawn from 0.05-0.9, so profiles overlap at random.
    """
    rng = np.random.default_rng(seed)
    g = groups if groups is not None else int(rng.integers(4, 9))
    m = signals if signals is not None else int(rng.integers(20, 41))
    if clear:
        prevalence = rng.uniform(*LOW, size=(g, m))
        for group, markers in enumerate(_markers(rng, g, m)):
            prevalence[group, markers] = rng.uniform(*HIGH, size=MARKERS)
    else:
        prevalence = rng.uniform(0.05, 0.9, size=(g, m))
    # Unequal sizes, but no group under half its fair share.
    shares = 0.5 / g + 0.5 * rng.dirichlet(np.full(g, 2.0))
    labels = rng.choice(g, size=pupils, p=shares / shares.sum())
    present = rng.random((pupils, m)) < prevalence[labels]
    present ^= rng.random((pupils, m)) < noise
    strength = rng.integers(1, 4, size=(pupils, m))
    values = np.where(present, strength, 0).astype(np.uint8)
    return Synthetic(values=values, labels=labels.astype(np.intp), prevalence=prevalence)


def _markers(rng: np.random.Generator, groups: int, signals: int) -> list[list[int]]:
    """MARKERS signals per group, any two groups sharing at most SHARED of them."""
    chosen: list[set[int]] = []
    while len(chosen) < groups:
        candidate = {int(c) for c in rng.choice(signals, size=MARKERS, replace=False)}
        if all(len(candidate & other) <= SHARED for other in chosen):
            chosen.append(candidate)
    return [sorted(markers) for markers in chosen]
