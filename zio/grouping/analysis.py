"""Latent class analysis of a screening (step 2): pupils in, groups out.

Pure: numpy, scipy and StepMix; no Django. The service layer hands over a screening's signal
matrix and stores what comes back; `explain.py` turns the groups into Dutch sentences.

How it works:

- **Inputs.** Every signal becomes yes/no (value >= 1); the 0-3 strength, age, school type
  and support are not model inputs. A latent class model with binary items (StepMix,
  `measurement="binary"`) is fitted for k = k_min..k_max (k above the number of distinct
  answer patterns is skipped: more classes than patterns cannot be told apart).
- **Identical pupils once.** Pupils with the same yes/no pattern are fitted once, with their
  number as `sample_weight`. The likelihood is exactly the same, so is the maximum; on real
  screenings, where most pupils have few signals, it saves much of the work.
- **Choosing k.** The lowest BIC (log-likelihood penalised by the number of parameters and
  log n), unless `settings.k` is given; the other fits stay for the curve.
- **Reproducible.** Each fit gets its own seed, derived from `settings.seed`, the purpose and k
  (or the bootstrap round) through numpy's SeedSequence; the same data and settings give the
  same result, bit for bit.
- **Groups.** Each pupil goes to the class with the highest posterior probability. Classes
  numbered by size, largest first, from 1; a class that no pupil has as its most probable
  (rare: a class that only shares in others) is left out, so `len(groups)` can be below
  `chosen_k`.
- **Stability** (after Hennig's bootstrap, `fpc::clusterboot`): draw the pupils with
  replacement, refit the chosen k, assign *all* pupils with the refitted model, and take for
  each group its best Jaccard similarity with a refitted group; the mean over the rounds is
  the group's stability (>= 0.75 stable, < 0.6 dissolves, in Hennig's reading). A bootstrap
  sample is a set of whole-number weights per pupil, so it reuses the pattern compression.
  Refits use at most BOOTSTRAP_N_INIT random starts, to keep this step short.
- **Stopping EM.** At a relative change of the log-likelihood below `settings.tolerance`
  (1e-8: on 10,000 pupils a change of 0.002). StepMix's default (1e-10 on the mean
  log-likelihood) spends up to `max_iter` rounds on too many classes that creep along a flat
  ridge, for differences far below what moves the BIC; the poLCA reference values are still
  reached within 0.01.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from importlib.metadata import version
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy.special import entr
from sklearn.exceptions import ConvergenceWarning
from stepmix.stepmix import StepMix

from zio.screening.spec import Progress

MAX_VALUE = 3  # signals are 0 (no) or 1-3 (yes, with the 0-3 scale its strength)
DEFAULT_TOLERANCE = 1e-8
BOOTSTRAP_N_INIT = 2
FIT_SHARE = 80  # % of the progress bar for the fits when a bootstrap follows

# Purposes in the seed derivation, so that no two fits share a random stream.
_FIT, _BOOTSTRAP_SAMPLE, _BOOTSTRAP_FIT, _CATEGORICAL = 0, 1, 2, 3

NOT_A_MATRIX = "The signal values must be a matrix: one row per pupil, one column per signal."
TOO_FEW_PUPILS = "A latent class analysis needs at least 2 pupils."
NO_SIGNALS = "A latent class analysis needs at least 1 signal."
VALUES_OUT_OF_RANGE = "Signal values must be whole numbers from 0 to 3."
NO_K_TO_FIT = "No number of groups between k_min and k_max fits this screening."
K_TOO_LARGE = "k = {k} is more than the {patterns} different signal patterns in the screening."
ASSIGNMENT_MISMATCH = "The assignment must give one group number per pupil."
UNKNOWN_GROUP = "Group {number} does not occur in the assignment."
SAME_GROUP = "A group cannot be merged with itself."
BAD_SETTINGS = "Invalid analysis settings: {reason}."

type FloatArray = npt.NDArray[np.float64]
type IntArray = npt.NDArray[np.intp]


@dataclass(frozen=True)
class AnalysisSettings:
    k_min: int = 1
    k_max: int = 10
    n_init: int = 5  # random starts per k (k = 1 needs only one)
    seed: int = 0  # everything reproducible from this
    bootstrap: int = 10  # refits for the stability of the chosen solution (10-20); 0 = none
    max_iter: int = 1000
    k: int | None = None  # None = choose by BIC; else this k (the k range is still fitted)
    tolerance: float = DEFAULT_TOLERANCE  # added: EM stops below this relative change

    def __post_init__(self) -> None:
        checks = [
            (self.k_min >= 1, "k_min must be at least 1"),
            (self.k_max >= self.k_min, "k_max must be at least k_min"),
            (self.n_init >= 1, "n_init must be at least 1"),
            (self.seed >= 0, "seed cannot be negative"),
            (self.bootstrap >= 0, "bootstrap cannot be negative"),
            (self.max_iter >= 1, "max_iter must be at least 1"),
            (self.k is None or self.k >= 1, "k must be at least 1"),
            (self.tolerance > 0, "tolerance must be positive"),
        ]
        for ok, reason in checks:
            if not ok:
                raise ValueError(BAD_SETTINGS.format(reason=reason))


@dataclass(frozen=True)
class FitSummary:
    k: int
    log_likelihood: float
    bic: float
    aic: float
    relative_entropy: float | None  # None for k == 1
    n_parameters: int
    converged: bool = True  # added: False when no random start met the tolerance in max_iter


@dataclass
class GroupProfile:
    number: int  # 1-based, groups ordered by size, largest first
    size: int  # raw count (suppression is the caller's job)
    prevalence: FloatArray  # (m,) share of the group's pupils with each signal (value >= 1)
    mean_posterior: float  # average probability with which its pupils belong to it
    stability: float | None  # mean Jaccard over the bootstrap refits; None if not computed


@dataclass
class AnalysisResult:
    settings: AnalysisSettings
    fits: list[FitSummary]  # one per k fitted, in k order
    chosen_k: int
    relative_entropy: float | None
    assignment: npt.NDArray[np.int16]  # (n,) group number (1-based, as in groups) per pupil
    posterior_max: npt.NDArray[np.float32]  # (n,) probability of the assigned group per pupil
    groups: list[GroupProfile]
    population_prevalence: FloatArray  # (m,)
    versions: dict[str, str]  # stepmix, numpy, scikit-learn, scipy versions


@dataclass(frozen=True)
class _Patterns:
    """The distinct rows of a data matrix, with how often each occurs and which row each
    pupil has."""

    rows: FloatArray  # (p, m), as StepMix wants them
    counts: FloatArray  # (p,)
    inverse: IntArray  # (n,) pupil -> row of `rows`

    @property
    def pupils(self) -> int:
        return int(self.inverse.shape[0])


@dataclass(frozen=True)
class _Fit:
    summary: FitSummary
    model: Any  # the fitted StepMix (untyped)
    posterior: FloatArray  # (p, k) per pattern


# --- the analysis ---------------------------------------------------------------------------


def analyse(
    values: npt.ArrayLike, settings: AnalysisSettings, progress: Progress | None = None
) -> AnalysisResult:
    """Fit latent class models to a screening's signals (n pupils x m signals, 0-3) and group
    the pupils by the chosen one. Raises ValueError for fewer than 2 pupils, no signals, or
    values outside 0-3."""
    binary = binarise(values)
    patterns = _patterns(binary)
    distinct = patterns.rows.shape[0]
    if settings.k is not None and settings.k > distinct:
        raise ValueError(K_TOO_LARGE.format(k=settings.k, patterns=distinct))
    ks = sorted(
        {k for k in range(settings.k_min, settings.k_max + 1) if k <= distinct}
        | ({settings.k} if settings.k is not None else set())
    )
    if not ks:
        raise ValueError(NO_K_TO_FIT)

    report = progress or _no_progress
    fit_share = FIT_SHARE if settings.bootstrap else 100
    work = [k * (1 if k == 1 else settings.n_init) for k in ks]  # EM cost grows with k
    fits: list[_Fit] = []
    for i, k in enumerate(ks):
        report(fit_share * sum(work[:i]) // sum(work), f"Model met {k} groepen schatten")
        fits.append(
            _fit(
                patterns,
                patterns.counts,
                k,
                measurement="binary",
                n_init=1 if k == 1 else settings.n_init,
                seed=_seed(settings.seed, _FIT, k),
                max_iter=settings.max_iter,
                tolerance=settings.tolerance,
            )
        )
    if settings.k is not None:
        chosen = next(fit for fit in fits if fit.summary.k == settings.k)
    else:
        chosen = min(fits, key=lambda fit: (fit.summary.bic, fit.summary.k))

    classes = chosen.posterior.argmax(axis=1)  # per pattern
    numbers = _numbers_by_size(np.bincount(classes[patterns.inverse], minlength=chosen.summary.k))
    assignment = numbers[classes][patterns.inverse].astype(np.int16)
    posterior_max = chosen.posterior.max(axis=1)[patterns.inverse].astype(np.float32)
    groups = profiles(binary, assignment, posterior_max)

    if settings.bootstrap and len(groups) > 1:
        stability = _stability(patterns, assignment, chosen.summary.k, settings, report, fit_share)
        for group, value in zip(groups, stability, strict=True):
            group.stability = value
    elif settings.bootstrap:
        for group in groups:
            group.stability = 1.0  # one group: every refit finds it again
    report(100, "Klaar")

    return AnalysisResult(
        settings=settings,
        fits=[fit.summary for fit in fits],
        chosen_k=chosen.summary.k,
        relative_entropy=chosen.summary.relative_entropy,
        assignment=assignment,
        posterior_max=posterior_max,
        groups=groups,
        population_prevalence=binary.mean(axis=0, dtype=np.float64),
        versions=_versions(),
    )


def binarise(values: npt.ArrayLike, min_pupils: int = 2) -> npt.NDArray[np.uint8]:
    """Check a signal matrix (at least `min_pupils` pupils, m >= 1 signals, whole numbers 0-3)
    and return 1 where a pupil has the signal (value >= 1), else 0."""
    array = np.asarray(values)
    if array.ndim != 2:
        raise ValueError(NOT_A_MATRIX)
    if array.shape[0] < min_pupils:
        raise ValueError(TOO_FEW_PUPILS)
    if array.shape[1] < 1:
        raise ValueError(NO_SIGNALS)
    if array.dtype.kind not in "iuf" or array.dtype.kind == "f" and not _whole(array):
        raise ValueError(VALUES_OUT_OF_RANGE)
    # Written so that NaN fails too (every comparison with NaN is false).
    if not bool(np.all((array >= 0) & (array <= MAX_VALUE))):
        raise ValueError(VALUES_OUT_OF_RANGE)
    return (array >= 1).astype(np.uint8)


def fit_categorical(
    data: npt.ArrayLike,
    k: int,
    *,
    n_init: int = 20,
    seed: int = 0,
    max_iter: int = 1000,
    tolerance: float = DEFAULT_TOLERANCE,
) -> FitSummary:
    """Fit one latent class model with categorical items to `data` (rows x items, any labels:
    each column's distinct values become codes 0..R-1). Used to check the fitting against
    published results (poLCA's reference data); the screening itself goes through `analyse`."""
    array = np.asarray(data)
    if array.ndim != 2 or array.shape[0] < 2 or array.shape[1] < 1:
        raise ValueError(NOT_A_MATRIX)
    codes = np.column_stack(
        [np.unique(array[:, j], return_inverse=True)[1].reshape(-1) for j in range(array.shape[1])]
    )
    patterns = _patterns(codes)
    if k > patterns.rows.shape[0]:
        raise ValueError(K_TOO_LARGE.format(k=k, patterns=patterns.rows.shape[0]))
    fit = _fit(
        patterns,
        patterns.counts,
        k,
        measurement="categorical",
        n_init=n_init,
        seed=_seed(seed, _CATEGORICAL, k),
        max_iter=max_iter,
        tolerance=tolerance,
    )
    return fit.summary


# --- groups after the analysis ----------------------------------------------------------------


def profiles(
    values: npt.ArrayLike,
    assignment: npt.ArrayLike,
    posterior_max: npt.ArrayLike | None = None,
) -> list[GroupProfile]:
    """The groups of an assignment (group number per pupil; 0 or below = set aside, in no
    group), in number order, with their prevalences. `stability` is None: it belongs to a
    fitted solution, not to a regrouping.

    After a merge, the stored `posterior_max` (the probability of the pupil's old class) is a
    lower bound of the probability to belong to the merged group, so `mean_posterior` stays on
    the cautious side. Without `posterior_max` it is NaN.
    """
    binary = binarise(values, min_pupils=0)
    labels = _check_assignment(assignment, binary.shape[0])
    posterior = None
    if posterior_max is not None:
        posterior = np.asarray(posterior_max, dtype=np.float64)
        if posterior.shape != labels.shape:
            raise ValueError(ASSIGNMENT_MISMATCH)
    numbers = np.unique(labels[labels > 0])
    member = (labels[:, None] == numbers[None, :]).astype(np.float64)  # (n, g)
    sizes = member.sum(axis=0)
    # One matrix product counts every signal in every group (BLAS, exact in float64).
    prevalence = (member.T @ binary.astype(np.float64)) / sizes[:, None]
    mean_posterior = (
        (member.T @ posterior) / sizes if posterior is not None else np.full(len(numbers), np.nan)
    )
    return [
        GroupProfile(
            number=int(number),
            size=int(size),
            prevalence=prevalence[i],
            mean_posterior=float(mean_posterior[i]),
            stability=None,
        )
        for i, (number, size) in enumerate(zip(numbers.tolist(), sizes.tolist(), strict=True))
    ]


def merge_groups(assignment: npt.ArrayLike, keep: int, absorb: int) -> npt.NDArray[np.int16]:
    """Put the pupils of group `absorb` in group `keep`, and number the groups by size again
    (largest first; equal sizes keep their order)."""
    labels = _check_assignment(assignment)
    if keep == absorb:
        raise ValueError(SAME_GROUP)
    for number in (keep, absorb):
        if number < 1 or not bool(np.any(labels == number)):
            raise ValueError(UNKNOWN_GROUP.format(number=number))
    merged = labels.copy()
    merged[merged == absorb] = keep
    return _renumber(merged)


def merge_small_groups(
    values: npt.ArrayLike, assignment: npt.ArrayLike, threshold: int
) -> tuple[npt.NDArray[np.int16], list[tuple[int, int]]]:
    """Merge every group with fewer than `threshold` pupils into the group most like it, and
    number the groups by size again. Returns the new assignment and the (small, into) pairs in
    the ORIGINAL numbering, in the order they were merged.

    The smallest group goes first (equal sizes: the higher number), into the group whose
    prevalence profile is closest: the smallest mean absolute difference in the share with each
    signal (equal distances: the larger group, then the lower number). Profiles are recomputed
    after each merge, so a group that grew is compared as it now is. When every group is
    small, all go into the largest: one group.
    """
    binary = binarise(values, min_pupils=0).astype(np.float64)
    labels = _check_assignment(assignment, binary.shape[0])
    numbers = [int(x) for x in np.unique(labels[labels > 0])]
    sizes = {g: int(np.count_nonzero(labels == g)) for g in numbers}
    sums = {g: binary[labels == g].sum(axis=0) for g in numbers}
    merged = labels.copy()
    pairs: list[tuple[int, int]] = []

    def absorb(small: int, into: int) -> None:
        merged[merged == small] = into
        sizes[into] += sizes.pop(small)
        sums[into] = sums[into] + sums.pop(small)
        pairs.append((small, into))

    if numbers and all(size < threshold for size in sizes.values()):
        largest = min(numbers, key=lambda g: (-sizes[g], g))
        for g in sorted(numbers, key=lambda g: (sizes[g], -g)):
            if g != largest:
                absorb(g, largest)
        return _renumber(merged), pairs

    while len(sizes) > 1:
        small = [g for g in sizes if sizes[g] < threshold]
        if not small:
            break
        g = min(small, key=lambda h: (sizes[h], -h))
        profile = sums[g] / sizes[g]
        into = min(
            (h for h in sizes if h != g),
            key=lambda h: (float(np.abs(sums[h] / sizes[h] - profile).mean()), -sizes[h], h),
        )
        absorb(g, into)
    return _renumber(merged), pairs


# --- internals --------------------------------------------------------------------------------


def _no_progress(percentage: int, stage: str) -> None:
    pass


def _whole(array: npt.NDArray[Any]) -> bool:
    with np.errstate(invalid="ignore"):
        return bool(np.all(np.floor(array) == array))


def _seed(seed: int, purpose: int, index: int) -> int:
    """A seed for one fit, derived from the settings' seed: independent streams per purpose
    and k (or bootstrap round), the same every run."""
    return int(np.random.SeedSequence([seed, purpose, index]).generate_state(1)[0])


def _patterns(matrix: npt.NDArray[Any]) -> _Patterns:
    rows, inverse, counts = np.unique(matrix, axis=0, return_inverse=True, return_counts=True)
    return _Patterns(
        rows=rows.astype(np.float64),
        counts=counts.astype(np.float64),
        inverse=inverse.reshape(-1).astype(np.intp),
    )


def _fit(
    patterns: _Patterns,
    weights: FloatArray,
    k: int,
    *,
    measurement: str,
    n_init: int,
    seed: int,
    max_iter: int,
    tolerance: float,
) -> _Fit:
    model = _stepmix(
        patterns.rows,
        weights,
        k,
        measurement,
        n_init=n_init,
        seed=seed,
        max_iter=max_iter,
        tolerance=tolerance,
    )
    pupils = float(weights.sum())
    log_likelihood = float(model.score(patterns.rows, sample_weight=weights)) * pupils
    n_parameters = round(float(model.n_parameters))
    posterior: FloatArray = np.asarray(model.predict_proba(patterns.rows), dtype=np.float64)
    relative_entropy = None
    if k > 1:
        # 1 - sum of -p log p over pupils and classes / (n log k): 1 = every pupil certain.
        entropy = float(weights @ entr(posterior).sum(axis=1))
        relative_entropy = min(max(1.0 - entropy / (pupils * math.log(k)), 0.0), 1.0)
    # BIC and AIC as StepMix computes them, but with n = pupils rather than patterns.
    summary = FitSummary(
        k=k,
        log_likelihood=log_likelihood,
        bic=-2 * log_likelihood + n_parameters * math.log(pupils),
        aic=-2 * log_likelihood + 2 * n_parameters,
        relative_entropy=relative_entropy,
        n_parameters=n_parameters,
        converged=bool(model.converged_),
    )
    return _Fit(summary=summary, model=model, posterior=posterior)


def _stepmix(
    rows: FloatArray,
    weights: FloatArray,
    k: int,
    measurement: str,
    *,
    n_init: int,
    seed: int,
    max_iter: int,
    tolerance: float,
) -> Any:
    model = StepMix(
        n_components=k,
        measurement=measurement,
        n_init=n_init,
        random_state=seed,
        max_iter=max_iter,
        rel_tol=tolerance,
        progress_bar=0,
        verbose=0,
    )
    with warnings.catch_warnings():
        # Reported through FitSummary.converged instead of a warning nobody reads.
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(rows, sample_weight=weights)
    return model


def _stability(
    patterns: _Patterns,
    assignment: npt.NDArray[np.int16],
    k: int,
    settings: AnalysisSettings,
    report: Progress,
    start: int,
) -> list[float]:
    """Per group (in number order), the mean over bootstrap refits of its best Jaccard
    similarity with a refitted group, all pupils assigned by the refitted model."""
    n = patterns.pupils
    groups = int(assignment.max())
    original = assignment.astype(np.intp) - 1
    group_sizes = np.bincount(original, minlength=groups)
    total = np.zeros(groups)
    for b in range(settings.bootstrap):
        report(
            start + (100 - start) * b // settings.bootstrap,
            f"Stabiliteit van de groepen controleren ({b + 1} van {settings.bootstrap})",
        )
        rng = np.random.default_rng(_seed(settings.seed, _BOOTSTRAP_SAMPLE, b))
        # A bootstrap sample as a weight per pupil (how often drawn), summed per pattern.
        drawn = np.bincount(rng.integers(0, n, size=n), minlength=n)
        weights = np.bincount(patterns.inverse, weights=drawn, minlength=patterns.rows.shape[0])
        keep = weights > 0
        if np.count_nonzero(keep) < k:
            keep[:] = True  # StepMix needs k rows; zero weights add nothing to the fit
        sample = _Patterns(rows=patterns.rows[keep], counts=weights[keep], inverse=patterns.inverse)
        model = _stepmix(
            sample.rows,
            sample.counts,
            k,
            "binary",
            n_init=min(settings.n_init, BOOTSTRAP_N_INIT),
            seed=_seed(settings.seed, _BOOTSTRAP_FIT, b),
            max_iter=settings.max_iter,
            tolerance=settings.tolerance,
        )
        refit = np.asarray(model.predict_proba(patterns.rows)).argmax(axis=1)[patterns.inverse]
        both = np.bincount(original * k + refit, minlength=groups * k).reshape(groups, k)
        refit_sizes = np.bincount(refit, minlength=k)
        union = group_sizes[:, None] + refit_sizes[None, :] - both
        total += (both / union).max(axis=1)
    return [float(value) for value in total / settings.bootstrap]


def _check_assignment(assignment: npt.ArrayLike, pupils: int | None = None) -> IntArray:
    labels = np.asarray(assignment)
    if labels.ndim != 1 or labels.dtype.kind not in "iu":
        raise ValueError(ASSIGNMENT_MISMATCH)
    if pupils is not None and labels.shape[0] != pupils:
        raise ValueError(ASSIGNMENT_MISMATCH)
    return labels.astype(np.intp)


def _numbers_by_size(sizes: npt.NDArray[np.intp]) -> IntArray:
    """For each class (index), its group number: 1 for the largest, and so on; equal sizes
    keep their order. Empty classes get 0 (they have no pupils to number)."""
    order = sorted((i for i in range(len(sizes)) if sizes[i] > 0), key=lambda i: (-sizes[i], i))
    numbers = np.zeros(len(sizes), dtype=np.intp)
    for number, i in enumerate(order, start=1):
        numbers[i] = number
    return numbers


def _renumber(labels: IntArray) -> npt.NDArray[np.int16]:
    """Groups numbered 1.. by size (largest first; equal sizes keep their order); pupils set
    aside (0 or below) stay 0."""
    top = int(labels.max(initial=0))
    sizes = np.bincount(np.where(labels > 0, labels, 0), minlength=top + 1)
    sizes[0] = 0
    numbers = _numbers_by_size(sizes)
    return np.where(labels > 0, numbers[np.maximum(labels, 0)], 0).astype(np.int16)


def _versions() -> dict[str, str]:
    return {name: version(name) for name in ("stepmix", "numpy", "scikit-learn", "scipy")}
