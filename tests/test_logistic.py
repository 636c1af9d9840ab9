"""scripts/logistic.py: the one regression the training scripts fit (spun, gate, spam blocks, advice)."""

from __future__ import annotations

import importlib.util
import math
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

HERE = Path(__file__).resolve().parent


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("logistic", HERE.parent / "scripts" / "logistic.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


logistic = _load()


def test_a_separable_input_gets_a_large_weight_and_separates_the_classes() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(200, 2))
    y = (x[:, 0] > 0).astype(float)
    weights, bias = logistic.fit(x, y, 1.0)
    assert weights[0] > 2 and abs(weights[1]) < 1 and abs(bias) < 1
    assert ((logistic.probability(x, (weights, bias)) >= 0.5) == (y == 1)).mean() > 0.95


def test_the_bias_is_not_penalised() -> None:
    # Noise as the only input and a crushing penalty: the weight goes to 0, the bias to the base rate's log-odds.
    rng = np.random.default_rng(1)
    x = rng.normal(size=(400, 1))
    y = (np.arange(400) % 10 != 0).astype(float)  # 90% positives
    weights, bias = logistic.fit(x, y, 1e6)
    assert abs(weights[0]) < 1e-3
    assert bias == pytest.approx(math.log(9), abs=1e-3)


def test_a_weight_counts_a_row_as_often_as_repeating_it() -> None:
    rng = np.random.default_rng(2)
    x = rng.normal(size=(60, 3))
    y = (x @ np.array([1.0, -1.0, 0.5]) + rng.normal(size=60) > 0).astype(float)
    weight = np.where(np.arange(60) < 20, 3.0, 1.0)
    repeated = np.r_[np.repeat(np.arange(20), 3), np.arange(20, 60)]
    weighted = logistic.fit(x, y, 1.0, weight)
    copied = logistic.fit(x[repeated], y[repeated], 1.0)
    assert np.allclose(weighted[0], copied[0], atol=1e-8) and abs(weighted[1] - copied[1]) < 1e-8


def test_the_sign_constraint_holds_at_the_constrained_optimum() -> None:
    # The gate's use: the weights of faults >= 0 (train_gate_model.py), here of the first three inputs.
    rng = np.random.default_rng(3)
    x = rng.normal(size=(300, 4))
    x[:, 1] += 0.8 * x[:, 0]  # collinear with the sign: fitted freely, its weight is negative
    y = (rng.random(300) < 1 / (1 + np.exp(-(2 * x[:, 0] - 1.5 * x[:, 1] - x[:, 3])))).astype(float)
    nonneg = np.array([True, True, True, False])
    free, _ = logistic.fit(x, y, 1.0)
    assert free[1] < 0 and free[3] < 0
    weights, bias = logistic.fit(x, y, 1.0, nonneg=nonneg)
    assert weights[1] == 0.0 and weights[0] > 0 and weights[3] < 0  # a weight the constraint leaves free keeps its sign
    # The same optimum as projected gradient descent reaches.
    xb = np.hstack([x, np.ones((300, 1))])
    reference = np.zeros(5)
    reg = np.array([1.0, 1.0, 1.0, 1.0, 0.0])
    for _ in range(5000):
        p = 1 / (1 + np.exp(-xb @ reference))
        reference -= 0.01 * (xb.T @ (p - y) + reg * reference)
        reference[:3] = np.maximum(reference[:3], 0.0)
    assert np.abs(np.r_[weights, bias] - reference).max() < 1e-3


def test_a_column_that_never_varies_keeps_scale_one() -> None:
    x = np.array([[1.0, 0.1], [3.0, 0.1], [5.0, 0.1]])
    mean, scale = logistic.standardise(x)
    assert np.allclose(mean, [3.0, 0.1]) and scale[1] == 1.0 and scale[0] == np.std([1.0, 3.0, 5.0])


def test_auc_counts_ties_half_and_is_nan_without_a_side() -> None:
    gold = np.array([True, True, False, False])
    assert logistic.auc(np.array([0.9, 0.5, 0.5, 0.1]), gold) == 0.875
    assert math.isnan(logistic.auc(np.array([0.9, 0.5]), np.array([True, True])))
