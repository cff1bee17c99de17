"""Time the latent class analysis and compare it with other ways of grouping pupils. Run by
hand, not in CI; prints the figures used in docs/adr/0012:

    .venv/bin/python bench/grouping.py [a] [b] [c] [t] [--json]    (no letter: a, b and c)

a. 10,000 pupils x 30 signals, k = 1..8 with 5 random starts: `analyse` without bootstrap
   against the bare StepMix fits (same data, k range, starts and tolerance), then the
   bootstrap (10 refits of the chosen k) on its own.
b. 100,000 pupils x 30 signals with the product's default settings (k = 1..10, 5 starts,
   10 bootstrap refits).
c. Over 20 synthetic screenings (2,000 pupils, 6 groups, 30 signals; clear and overlapping
   groups): adjusted Rand index and time of LCA, k-modes and hierarchical clustering.

t. For `make bench` (bench/run_all.py): 10,000 pupils x 30 signals with the product's default
   settings (k = 1..10, 5 starts, 10 bootstrap refits), one run; --json also prints the
   figures as JSON.

The data come from zio/grouping/tests/synthetic.py (groups of unequal size, noise).
"""

from __future__ import annotations

import json
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np
import numpy.typing as npt

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from zio.grouping.analysis import DEFAULT_TOLERANCE, AnalysisSettings, analyse  # noqa: E402
from zio.grouping.tests.synthetic import Synthetic, synthetic_screening  # noqa: E402

type Labels = npt.NDArray[np.intp]


def bare_fits(values: npt.NDArray[np.uint8], ks: range, n_init: int, *, same: bool) -> None:
    """What analyse does at its core, without anything around it: one StepMix fit per k.

    same=False: on the full 0/1 matrix, one seed per k, as one would call StepMix by hand.
    same=True: on exactly what analyse fits (distinct patterns weighted by their count, the
    same derived seeds), so that the difference is analyse's own overhead.
    """
    from sklearn.exceptions import ConvergenceWarning
    from stepmix.stepmix import StepMix

    from zio.grouping.analysis import _FIT, _patterns, _seed

    binary = (values >= 1).astype(np.uint8)
    patterns = _patterns(binary)
    data, weights = (patterns.rows, patterns.counts) if same else (binary.astype(float), None)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        for k in ks:
            StepMix(
                n_components=k,
                measurement="binary",
                n_init=1 if k == 1 else n_init,
                random_state=_seed(1, _FIT, k) if same else k,
                rel_tol=DEFAULT_TOLERANCE,
                progress_bar=0,
                verbose=0,
            ).fit(data, sample_weight=weights)


def timed_analyse(
    values: npt.NDArray[np.uint8], settings: AnalysisSettings
) -> tuple[float, float, int]:
    """Seconds for the fits, seconds for the bootstrap (split at the first bootstrap progress
    report), and the chosen k."""
    start = time.perf_counter()
    bootstrap_start: list[float] = []

    def progress(percentage: int, stage: str) -> None:
        if stage.startswith("Stabiliteit") and not bootstrap_start:
            bootstrap_start.append(time.perf_counter())

    result = analyse(values, settings, progress)
    end = time.perf_counter()
    split = bootstrap_start[0] if bootstrap_start else end
    return split - start, end - split, result.chosen_k


def part_a(repeats: int = 3) -> None:
    data = synthetic_screening(2026, pupils=10_000, groups=6, signals=30)
    patterns = len(np.unique(data.values >= 1, axis=0))
    print(f"(a) 10,000 pupils x 30 signals ({patterns:,} distinct patterns), k = 1..8, 5 starts")
    print(f"    best and median of {repeats} runs, taken in turns (the machine is shared)")
    settings = AnalysisSettings(k_min=1, k_max=8, n_init=5, seed=1, bootstrap=0)
    times: dict[str, list[float]] = {"analyse": [], "same": [], "plain": []}
    chosen = 0
    for _ in range(repeats):
        fits, _boot, chosen = timed_analyse(data.values, settings)
        times["analyse"].append(fits)
        for name, same in (("same", True), ("plain", False)):
            start = time.perf_counter()
            bare_fits(data.values, range(1, 9), 5, same=same)
            times[name].append(time.perf_counter() - start)
    best = {name: min(values) for name, values in times.items()}
    middle = {name: statistics.median(values) for name, values in times.items()}
    rows = [
        ("analyse (no bootstrap)", "analyse"),
        ("bare StepMix fits, same input and seeds", "same"),
        ("bare StepMix fits, full 0/1 matrix", "plain"),
    ]
    for label, name in rows:
        ratio = best["analyse"] / best[name]
        print(
            f"    {label:40} best {best[name]:5.1f} s, median {middle[name]:5.1f} s,"
            f" analyse / this {ratio:.2f}"
        )
    print(f"    (chose k = {chosen}, true 6)")
    with_bootstrap = AnalysisSettings(k_min=1, k_max=8, n_init=5, seed=1, bootstrap=10)
    _fits, boot, _k = timed_analyse(data.values, with_bootstrap)
    print(f"    bootstrap, 10 refits of k = {chosen}: {boot:.1f} s")


def part_b() -> None:
    data = synthetic_screening(2027, pupils=100_000, groups=6, signals=30)
    print("(b) 100,000 pupils x 30 signals, default settings (k = 1..10, 5 starts, 10 refits)")
    fits, boot, chosen = timed_analyse(data.values, AnalysisSettings(seed=1))
    print(
        f"    fits {fits:.0f} s + bootstrap {boot:.0f} s = {fits + boot:.0f} s (chose k = {chosen})"
    )


def part_t(pupils: int = 10_000) -> None:
    data = synthetic_screening(2028, pupils=pupils, groups=6, signals=30)
    print(f"(t) {pupils:,} pupils x 30 signals, default settings (k = 1..10, 5 starts, 10 refits)")
    fits, boot, chosen = timed_analyse(data.values, AnalysisSettings(seed=1))
    print(f"    fits {fits:.1f} s + bootstrap {boot:.1f} s = {fits + boot:.1f} s (k = {chosen})")
    if "--json" in sys.argv[1:]:
        figures = {"pupils": pupils, "fits_s": fits, "bootstrap_s": boot, "chosen_k": chosen}
        print("BENCH-JSON " + json.dumps(figures))


# --- c: methods compared ------------------------------------------------------------------------

K_RANGE = range(2, 9)
NOISE = 0.02  # synthetic_screening's default


def lca_bic(data: Synthetic, seed: int) -> Labels:
    settings = AnalysisSettings(k_min=1, k_max=8, n_init=5, seed=seed, bootstrap=0)
    return analyse(data.values, settings).assignment.astype(np.intp)


def lca_true_k(data: Synthetic, seed: int) -> Labels:
    k = data.groups
    settings = AnalysisSettings(k_min=k, k_max=k, n_init=5, seed=seed, bootstrap=0)
    return analyse(data.values, settings).assignment.astype(np.intp)


def _kmodes(values: npt.NDArray[np.uint8], k: int, seed: int) -> Labels:
    from kmodes.kmodes import KModes

    model = KModes(n_clusters=k, init="Huang", n_init=5, random_state=seed)
    return np.asarray(model.fit_predict(values >= 1), dtype=np.intp)


def kmodes_true_k(data: Synthetic, seed: int) -> Labels:
    return _kmodes(data.values, data.groups, seed)


def kmodes_silhouette(data: Synthetic, seed: int) -> Labels:
    """k-modes for k = 2..8, keeping the k with the best silhouette (Hamming distance, the
    dissimilarity k-modes itself minimises): an automatic stand-in for reading the elbow."""
    from scipy.spatial.distance import pdist, squareform
    from sklearn.metrics import silhouette_score

    distances = squareform(pdist(data.values >= 1, metric="hamming"))
    best: tuple[float, Labels] | None = None
    for candidate in K_RANGE:
        labels = _kmodes(data.values, candidate, seed)
        if len(set(labels.tolist())) < 2:
            continue
        score = float(silhouette_score(distances, labels, metric="precomputed"))
        if best is None or score > best[0]:
            best = (score, labels)
    assert best is not None
    return best[1]


def hierarchical_jaccard(data: Synthetic, seed: int) -> Labels:
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import pdist

    tree = linkage(pdist(data.values >= 1, metric="jaccard"), method="average")
    return np.asarray(fcluster(tree, t=data.groups, criterion="maxclust"), dtype=np.intp)


def ceiling(data: Synthetic, seed: int) -> Labels:
    """Each pupil to its most probable group under the TRUE chances, noise and group shares:
    the best any method can do on this data."""
    present = (data.values >= 1).astype(np.float64)
    chance = data.prevalence * (1 - NOISE) + (1 - data.prevalence) * NOISE
    shares = np.bincount(data.labels, minlength=data.groups) / len(data.labels)
    log_p = present @ np.log(chance).T + (1 - present) @ np.log(1 - chance).T + np.log(shares)
    return np.asarray(log_p.argmax(axis=1), dtype=np.intp)


METHODS: list[tuple[str, Callable[[Synthetic, int], Labels]]] = [
    ("LCA (stepmix), k by BIC", lca_bic),
    ("LCA (stepmix), true k", lca_true_k),
    ("k-modes, true k", kmodes_true_k),
    ("k-modes, k by silhouette", kmodes_silhouette),
    ("hierarchical Jaccard, true k", hierarchical_jaccard),
    ("ceiling: true parameters", ceiling),
]


def part_c(seeds: int = 20) -> None:
    from sklearn.metrics import adjusted_rand_score

    for clear in (True, False):
        kind = "clear groups" if clear else "overlapping groups (each chance 0.05-0.9)"
        print(f"(c) {seeds} seeds, 2,000 pupils, 6 groups, 30 signals, {kind}")
        print(f"    {'method':30} {'median ARI':>10} {'min ARI':>8} {'median s':>9} {'k right':>8}")
        screenings = [
            synthetic_screening(seed, pupils=2000, groups=6, signals=30, clear=clear)
            for seed in range(seeds)
        ]
        for name, method in METHODS:
            scores, seconds, right = [], [], 0
            for seed, data in enumerate(screenings):
                start = time.perf_counter()
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    labels = method(data, seed)
                seconds.append(time.perf_counter() - start)
                scores.append(adjusted_rand_score(data.labels, labels))
                right += len(set(labels.tolist())) == data.groups
            print(
                f"    {name:30} {statistics.median(scores):10.3f} {min(scores):8.3f}"
                f" {statistics.median(seconds):9.2f} {right:5} of {seeds}"
            )


def main() -> None:
    parts = [part for part in sys.argv[1:] if not part.startswith("--")] or ["a", "b", "c"]
    for part in parts:
        {"a": part_a, "b": part_b, "c": part_c, "t": part_t}[part]()


if __name__ == "__main__":
    main()
