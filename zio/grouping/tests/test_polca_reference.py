"""The fitting reaches the maximum log-likelihoods published with poLCA for two classic
datasets (see fixtures/README.md). No database needed."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from zio.grouping.analysis import fit_categorical

FIXTURES = Path(__file__).parent / "fixtures"


def load(name: str) -> npt.NDArray[np.str_]:
    with (FIXTURES / name).open(newline="", encoding="utf-8") as file:
        rows = list(csv.reader(file))[1:]  # without the header
    return np.array(rows)


@pytest.mark.parametrize(
    ("name", "k", "n_init", "published"),
    [
        ("carcinoma.csv", 2, 10, -317.2568),
        ("carcinoma.csv", 3, 10, -293.705),
        ("carcinoma.csv", 4, 20, -289.2858),  # local maxima near -289.79
        ("gss82.csv", 2, 10, -2783.268),
        ("gss82.csv", 3, 20, -2754.545),  # local maxima at -2755.617, -2755.739, ...
    ],
)
def test_published_maximum_log_likelihood(name: str, k: int, n_init: int, published: float) -> None:
    fit = fit_categorical(load(name), k, n_init=n_init, seed=0)
    assert fit.log_likelihood == pytest.approx(published, abs=0.01)
    assert fit.converged


def test_carcinoma_three_classes_as_in_the_manual() -> None:
    # poLCA user manual, section 6.1: 23 parameters, BIC 697.1357.
    fit = fit_categorical(load("carcinoma.csv"), 3, n_init=10, seed=0)
    assert fit.n_parameters == 23
    assert fit.bic == pytest.approx(697.1357, abs=0.01)
    assert fit.relative_entropy is not None
    assert 0 < fit.relative_entropy < 1


def test_text_categories_become_codes() -> None:
    # The same data with other labels (and in another order of labels) fits the same.
    data = load("carcinoma.csv")
    relabelled = np.where(data == "1.0", "nee", "ja")
    assert fit_categorical(relabelled, 2, n_init=5, seed=1).log_likelihood == pytest.approx(
        fit_categorical(data, 2, n_init=5, seed=1).log_likelihood, abs=1e-3
    )
