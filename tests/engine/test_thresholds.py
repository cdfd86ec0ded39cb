"""Automatic thresholds against known answers."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import brentq
from scipy.stats import norm

from engine.thresholds import kittler_illingworth, otsu, threshold


def test_kittler_illingworth_finds_the_minimum_error_point():
    rng = np.random.default_rng(0)
    w1, m1, s1, w2, m2, s2 = 0.85, 0.0, 1.0, 0.15, 6.0, 1.5
    values = np.concatenate([rng.normal(m1, s1, int(w1 * 400_000)), rng.normal(m2, s2, int(w2 * 400_000))])
    # Bayes minimum-error threshold: where the weighted class densities cross.
    exact = brentq(lambda t: w1 * norm.pdf(t, m1, s1) - w2 * norm.pdf(t, m2, s2), m1, m2)
    assert kittler_illingworth(values) == pytest.approx(exact, abs=0.15)


def test_otsu_separates_two_modes():
    rng = np.random.default_rng(1)
    values = np.concatenate([rng.normal(0, 1, 50_000), rng.normal(10, 1, 50_000)])
    assert 3 < otsu(values) < 7


def test_degenerate_inputs_do_not_crash():
    assert kittler_illingworth(np.zeros(0)) == 0.0
    assert otsu(np.full(100, 3.0)) == 3.0
    assert np.isfinite(kittler_illingworth(np.array([1.0, 1.0, 1.0, np.nan, np.inf])))
    with pytest.raises(ValueError, match="unknown threshold method"):
        threshold(np.ones(3), "magic")


def test_the_automatic_threshold_keeps_the_split_that_separates_the_classes_best():
    from engine.thresholds import automatic, separation

    rng = np.random.default_rng(3)
    # A skewed no-change majority and a minority of change: Otsu cuts the majority in two.
    values = np.concatenate([rng.gamma(2.0, 0.3, 95_000), rng.normal(4.0, 0.6, 5_000)])
    truth = np.arange(values.size) >= 95_000
    t_otsu, t_ki, t_auto = otsu(values), kittler_illingworth(values), automatic(values)
    assert t_auto in (t_otsu, t_ki)
    assert t_auto == max((t_otsu, t_ki), key=lambda t: separation(values, t))

    def f1(t):
        pred = values > t
        return 2 * np.sum(pred & truth) / (np.sum(pred) + np.sum(truth))

    assert f1(t_auto) >= 0.95 * max(f1(t_otsu), f1(t_ki))
    assert separation(values, 2.8) > separation(values, 0.5)  # between the classes, not inside one
