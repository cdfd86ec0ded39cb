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
