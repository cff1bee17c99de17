"""Latent class analysis on synthetic screenings with known groups, and the regrouping helpers.
No database needed; kept small (few pupils, few random starts) so the file runs in seconds."""

from __future__ import annotations

import warnings
from dataclasses import asdict

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import adjusted_rand_score
from stepmix.stepmix import StepMix

from zio.grouping.analysis import (
    K_TOO_LARGE,
    NO_SIGNALS,
    NOT_A_MATRIX,
    TOO_FEW_PUPILS,
    VALUES_OUT_OF_RANGE,
    AnalysisResult,
    AnalysisSettings,
    analyse,
    merge_groups,
    merge_small_groups,
    profiles,
)
from zio.grouping.tests.synthetic import synthetic_screening

FAST = AnalysisSettings(k_max=5, n_init=2, bootstrap=0)


def clear_result(bootstrap: int = 0) -> tuple[AnalysisResult, npt.NDArray[np.intp]]:
    """4 clear groups of 400 pupils over 24 signals, fitted for k = 1..6."""
    data = synthetic_screening(1, pupils=400, groups=4, signals=24)
    chosen = AnalysisSettings(k_max=6, n_init=2, seed=1, bootstrap=bootstrap)
    return analyse(data.values, chosen), data.labels


# --- the analysis ---------------------------------------------------------------------------------


def test_same_data_and_settings_give_identical_results() -> None:
    data = synthetic_screening(5, pupils=300)
    chosen = AnalysisSettings(k_max=5, n_init=2, seed=11, bootstrap=3)
    first, second = analyse(data.values, chosen), analyse(data.values, chosen)
    assert first.fits == second.fits
    assert first.chosen_k == second.chosen_k
    np.testing.assert_array_equal(first.assignment, second.assignment)
    np.testing.assert_array_equal(first.posterior_max, second.posterior_max)
    assert [(g.number, g.size, g.stability) for g in first.groups] == [
        (g.number, g.size, g.stability) for g in second.groups
    ]


def test_clear_groups_are_recovered_over_seeds() -> None:
    """20 synthetic screenings (4-8 groups, 20-40 signals, unequal sizes, noise): BIC finds the
    number of groups in most, and the grouping matches the true one (adjusted Rand index)."""
    scores, right_k = [], 0
    for seed in range(20):
        data = synthetic_screening(seed, pupils=600)
        result = analyse(data.values, AnalysisSettings(k_max=9, n_init=3, seed=seed, bootstrap=0))
        scores.append(adjusted_rand_score(data.labels, result.assignment))
        right_k += result.chosen_k == data.groups
    assert np.median(scores) >= 0.9
    assert min(scores) >= 0.75
    assert right_k >= 16


def test_the_chosen_k_has_the_lowest_bic() -> None:
    result, _labels = clear_result()
    assert [fit.k for fit in result.fits] == [1, 2, 3, 4, 5, 6]
    best = min(result.fits, key=lambda fit: fit.bic)
    assert result.chosen_k == best.k == 4
    m = 24
    for fit in result.fits:
        assert fit.n_parameters == fit.k * m + fit.k - 1  # item probabilities + class shares
        assert fit.bic > fit.aic  # log(400) > 2
    assert result.fits[0].relative_entropy is None
    assert result.relative_entropy == result.fits[3].relative_entropy


def test_an_explicit_k_is_respected() -> None:
    data = synthetic_screening(1, pupils=400, groups=4, signals=24)
    result = analyse(data.values, AnalysisSettings(k_max=5, n_init=2, k=2, bootstrap=0))
    assert result.chosen_k == 2
    assert len(result.groups) == 2
    assert [fit.k for fit in result.fits] == [1, 2, 3, 4, 5]  # the curve is still there
    outside = analyse(data.values, AnalysisSettings(k_min=2, k_max=3, n_init=2, k=6, bootstrap=0))
    assert outside.chosen_k == 6
    assert [fit.k for fit in outside.fits] == [2, 3, 6]


def test_groups_are_numbered_by_size_and_describe_their_pupils() -> None:
    result, labels = clear_result()
    sizes = [g.size for g in result.groups]
    assert sizes == sorted(sizes, reverse=True)
    assert [g.number for g in result.groups] == list(range(1, len(sizes) + 1))
    assert sum(sizes) == len(labels)
    assert result.assignment.dtype == np.int16
    assert result.posterior_max.dtype == np.float32
    np.testing.assert_array_equal(np.bincount(result.assignment)[1:], sizes)
    data = synthetic_screening(1, pupils=400, groups=4, signals=24)
    present = data.values >= 1
    for group in result.groups:
        members = result.assignment == group.number
        np.testing.assert_allclose(group.prevalence, present[members].mean(axis=0))
        assert group.mean_posterior == pytest.approx(result.posterior_max[members].mean())
        assert group.stability is None  # bootstrap=0
    np.testing.assert_allclose(result.population_prevalence, present.mean(axis=0))
    assert np.all((result.posterior_max > 0) & (result.posterior_max <= 1))
    assert set(result.versions) == {"stepmix", "numpy", "scikit-learn", "scipy"}


def test_relative_entropy_and_stability_are_high_for_clear_groups() -> None:
    result, _labels = clear_result(bootstrap=5)
    for fit in result.fits[1:]:
        assert fit.relative_entropy is not None
        assert 0.0 <= fit.relative_entropy <= 1.0
    assert result.relative_entropy is not None
    assert result.relative_entropy > 0.9
    for group in result.groups:
        assert group.stability is not None
        assert 0.9 <= group.stability <= 1.0


def test_stability_is_lower_for_groups_that_are_not_there() -> None:
    # Independent signals: a forced split into 3 groups is an artefact, and refits disagree.
    rng = np.random.default_rng(4)
    values = (rng.random((300, 12)) < 0.3).astype(np.uint8)
    result = analyse(values, AnalysisSettings(k_min=3, k_max=3, n_init=2, bootstrap=5))
    stability = [g.stability for g in result.groups]
    assert all(s is not None and 0.0 <= s <= 1.0 for s in stability)
    assert min(s for s in stability if s is not None) < 0.75


def test_strength_does_not_matter_only_presence() -> None:
    data = synthetic_screening(2, pupils=200, groups=4, signals=20)
    as_given = analyse(data.values, FAST)
    yes_no = analyse((data.values >= 1).astype(np.uint8), FAST)
    assert as_given.fits == yes_no.fits
    np.testing.assert_array_equal(as_given.assignment, yes_no.assignment)


def test_identical_pupils_fitted_once_give_the_same_likelihood() -> None:
    # Few signals, many pupils: a handful of patterns, each fitted once with its count as weight.
    rng = np.random.default_rng(3)
    chances = np.array([[0.8, 0.7, 0.9, 0.2, 0.1], [0.1, 0.2, 0.1, 0.7, 0.8]])
    values = (rng.random((500, 5)) < chances[rng.integers(0, 2, 500)]).astype(np.uint8)
    fit = analyse(values, AnalysisSettings(k_min=2, k_max=2, n_init=10, bootstrap=0)).fits[0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        bare = StepMix(n_components=2, measurement="binary", n_init=10, random_state=0)
        bare.set_params(progress_bar=0, rel_tol=1e-8).fit(values.astype(float))
    assert fit.log_likelihood == pytest.approx(bare.score(values.astype(float)) * 500, abs=0.01)
    assert fit.bic == pytest.approx(bare.bic(values.astype(float)), abs=0.02)


def test_progress_is_reported_from_start_to_finish() -> None:
    seen: list[tuple[int, str]] = []

    def record(percentage: int, stage: str) -> None:
        seen.append((percentage, stage))

    data = synthetic_screening(1, pupils=200, groups=4, signals=20)
    analyse(data.values, AnalysisSettings(k_max=3, n_init=1, bootstrap=2), record)
    percentages = [p for p, _stage in seen]
    assert percentages == sorted(percentages)
    assert percentages[0] == 0 and percentages[-1] == 100
    assert any("3 groepen" in stage for _p, stage in seen)
    assert any("Stabiliteit" in stage for _p, stage in seen)


def test_small_screenings_skip_impossible_k() -> None:
    values = np.array([[1, 0], [0, 1], [1, 0], [1, 0]], dtype=np.uint8)  # 2 patterns
    result = analyse(values, AnalysisSettings(k_max=5, n_init=2, bootstrap=2))
    assert [fit.k for fit in result.fits] == [1, 2]
    with pytest.raises(ValueError, match="k = 3 is more"):
        analyse(values, AnalysisSettings(k=3, bootstrap=0))
    assert K_TOO_LARGE.startswith("k = {k}")


def test_two_pupils_are_enough() -> None:
    result = analyse(np.array([[1, 0, 2], [0, 3, 0]]), AnalysisSettings(bootstrap=2))
    assert result.assignment.tolist() in ([1, 1], [1, 2], [2, 1])
    assert sum(g.size for g in result.groups) == 2


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (np.zeros((1, 3), dtype=np.uint8), TOO_FEW_PUPILS),
        (np.zeros((0, 3), dtype=np.uint8), TOO_FEW_PUPILS),
        (np.zeros((5, 0), dtype=np.uint8), NO_SIGNALS),
        (np.array([[0, 4], [1, 0]]), VALUES_OUT_OF_RANGE),
        (np.array([[0, -1], [1, 0]]), VALUES_OUT_OF_RANGE),
        (np.array([[0.0, np.nan], [1.0, 0.0]]), VALUES_OUT_OF_RANGE),
        (np.array([[0.5, 1.0], [1.0, 0.0]]), VALUES_OUT_OF_RANGE),
        (np.array([["1", "0"], ["0", "1"]]), VALUES_OUT_OF_RANGE),
        (np.array([1, 0, 1]), NOT_A_MATRIX),
    ],
)
def test_bad_input_is_refused(values: npt.NDArray[np.generic], message: str) -> None:
    with pytest.raises(ValueError) as error:
        analyse(values, FAST)
    assert str(error.value) == message


@pytest.mark.parametrize(
    "changes",
    [
        {"k_min": 0},
        {"k_min": 3, "k_max": 2},
        {"n_init": 0},
        {"seed": -1},
        {"bootstrap": -1},
        {"max_iter": 0},
        {"k": 0},
        {"tolerance": 0.0},
    ],
)
def test_bad_settings_are_refused(changes: dict[str, int | float]) -> None:
    with pytest.raises(ValueError, match="Invalid analysis settings"):
        AnalysisSettings(**{**asdict(AnalysisSettings()), **changes})


# --- regrouping --------------------------------------------------------------------------------


def test_merge_groups_puts_pupils_together_and_renumbers_by_size() -> None:
    assignment = np.array([1, 1, 1, 1, 2, 2, 2, 3, 3, 4], dtype=np.int16)
    merged = merge_groups(assignment, keep=3, absorb=2)  # 3 + 2 = 5 pupils: now the largest
    assert merged.tolist() == [2, 2, 2, 2, 1, 1, 1, 1, 1, 3]
    assert merged.dtype == np.int16
    assert merge_groups(assignment, keep=1, absorb=4).tolist() == [1] * 4 + [2] * 3 + [3] * 2 + [1]
    for keep, absorb in [(1, 1), (1, 5), (0, 1)]:
        with pytest.raises(ValueError):
            merge_groups(assignment, keep=keep, absorb=absorb)


def test_merge_small_groups_merges_into_the_most_similar_group() -> None:
    values = np.array(
        [[1, 0, 0]] * 12  # group 1: signal A
        + [[0, 1, 0]] * 11  # group 2: signal B
        + [[0, 1, 1]] * 3  # group 3 (small): B and C, most like group 2
        + [[1, 0, 0]] * 2,  # group 4 (small): A, like group 1
        dtype=np.uint8,
    )
    assignment = np.array([1] * 12 + [2] * 11 + [3] * 3 + [4] * 2, dtype=np.int16)
    merged, pairs = merge_small_groups(values, assignment, threshold=10)
    assert pairs == [(4, 1), (3, 2)]  # smallest first, original numbers
    assert merged.tolist() == [1] * 12 + [2] * 11 + [2] * 3 + [1] * 2
    unchanged, none = merge_small_groups(values, assignment, threshold=2)
    assert none == []
    np.testing.assert_array_equal(unchanged, assignment)


def test_merge_small_groups_renumbers_when_a_small_group_tips_the_order() -> None:
    values = np.array([[1, 0]] * 10 + [[0, 1]] * 11 + [[1, 0]] * 3, dtype=np.uint8)
    assignment = np.array([2] * 10 + [1] * 11 + [3] * 3, dtype=np.int16)
    merged, pairs = merge_small_groups(values, assignment, threshold=5)
    assert pairs == [(3, 2)]  # in the old numbers
    assert merged.tolist() == [1] * 10 + [2] * 11 + [1] * 3  # old group 2 (13) is now group 1


def test_when_all_groups_are_small_they_become_one() -> None:
    values = np.eye(3, dtype=np.uint8).repeat(3, axis=0)  # 3 groups of 3
    assignment = np.array([1, 1, 1, 2, 2, 2, 3, 3, 3], dtype=np.int16)
    merged, pairs = merge_small_groups(values, assignment, threshold=10)
    assert merged.tolist() == [1] * 9
    assert sorted(pairs) == [(2, 1), (3, 1)]


@given(
    sizes=st.lists(st.integers(min_value=1, max_value=30), min_size=1, max_size=8),
    threshold=st.integers(min_value=1, max_value=40),
    seed=st.integers(min_value=0, max_value=2**16),
)
@settings(max_examples=60, deadline=None)
def test_merge_small_groups_properties(sizes: list[int], threshold: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    assignment = np.repeat(np.arange(1, len(sizes) + 1), sizes).astype(np.int16)
    values = (rng.random((len(assignment), 5)) < 0.4).astype(np.uint8)
    merged, pairs = merge_small_groups(values, assignment, threshold)
    new_sizes = np.bincount(merged)[1:].tolist()
    assert sum(new_sizes) == len(assignment)  # nobody lost
    assert new_sizes == sorted(new_sizes, reverse=True)  # numbered by size
    assert 0 not in new_sizes  # numbered 1..g without gaps
    assert len(new_sizes) == 1 or min(new_sizes) >= threshold  # small groups gone
    assert len(new_sizes) == len(sizes) - len(pairs)
    small = {number for number, size in enumerate(sizes, start=1) if size < threshold}
    # Each small group went into another, or grew by taking one in (unless it was alone).
    assert len(sizes) == 1 or small <= {number for pair in pairs for number in pair}
    assert all(1 <= s <= len(sizes) and 1 <= into <= len(sizes) for s, into in pairs)
    # Pupils who were together stay together.
    for number in range(1, len(sizes) + 1):
        assert len(set(merged[assignment == number].tolist())) == 1


def test_profiles_after_a_merge() -> None:
    result, _labels = clear_result(bootstrap=2)
    data = synthetic_screening(1, pupils=400, groups=4, signals=24)
    merged = merge_groups(result.assignment, keep=1, absorb=2)
    groups = profiles(data.values, merged, result.posterior_max)
    assert [g.number for g in groups] == [1, 2, 3]
    assert groups[0].size == result.groups[0].size + result.groups[1].size
    assert all(g.stability is None for g in groups)
    expected = (data.values[merged == 1] >= 1).mean(axis=0)
    np.testing.assert_allclose(groups[0].prevalence, expected)
    assert 0 < groups[0].mean_posterior <= 1
    assert np.isnan(profiles(data.values, merged)[0].mean_posterior)


def test_profiles_leave_pupils_set_aside_out() -> None:
    values = np.array([[1, 0], [1, 1], [0, 1], [0, 0]], dtype=np.uint8)
    groups = profiles(values, np.array([1, 1, 0, 2]))
    assert [(g.number, g.size) for g in groups] == [(1, 2), (2, 1)]
    np.testing.assert_allclose(groups[0].prevalence, [1.0, 0.5])
    with pytest.raises(ValueError):
        profiles(values, np.array([1, 1, 2]))
