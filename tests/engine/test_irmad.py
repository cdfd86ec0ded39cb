"""IR-MAD: finds change under radiometric differences and is invariant to mixing the bands."""

from __future__ import annotations

import numpy as np
from helpers import f1_score, read, smooth_field

from engine.detect import detect_changes
from engine.detectors.irmad import iterated_mad


def _pair(rng, shape=(300, 320)):
    """A 3-band scene, its after date with other gains/offsets and noise, and a changed block."""
    base = np.stack([smooth_field(shape, rng, 6) for _ in range(3)]) * 1000 + 200
    before = base + rng.normal(0, 15, base.shape)
    after = base * np.array([1.3, 0.8, 1.1])[:, None, None] + np.array([50, -30, 80])[:, None, None]
    after = after + rng.normal(0, 15, base.shape)
    truth = np.zeros(shape, bool)
    truth[100:160, 120:200] = True
    after[:, truth] = np.array([[2200], [300], [900]])  # e.g. fresh spoil
    return before.astype(np.float32), after.astype(np.float32), truth


def test_irmad_finds_the_change_despite_other_gains_and_offsets(tmp_path, geotiff):
    before, after, truth = _pair(np.random.default_rng(4))
    summary = detect_changes(geotiff("b.tif", before), geotiff("a.tif", after), "irmad", tmp_path / "m.tif")
    assert f1_score(read(tmp_path / "m.tif"), truth) > 0.8
    assert summary["detector"] == "irmad" and summary["canonical_correlations"][-1] > 0.9


def test_irmad_is_invariant_to_a_linear_mix_of_the_bands(tmp_path, geotiff):
    before, after, _ = _pair(np.random.default_rng(8))
    mix = np.array([[0.6, 0.3, 0.1], [0.2, 0.5, 0.3], [0.1, 0.1, 0.8]], dtype=np.float32)
    mixed = np.einsum("ij,jhw->ihw", mix, after) + 100
    b = geotiff("b.tif", before)
    detect_changes(b, geotiff("a.tif", after), "irmad", tmp_path / "plain.tif")
    detect_changes(b, geotiff("mixed.tif", mixed), "irmad", tmp_path / "mixed.tif")
    assert np.mean(read(tmp_path / "plain.tif") == read(tmp_path / "mixed.tif")) > 0.999


def test_the_mad_variates_are_uncorrelated_with_the_variances_cca_gives():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(20000, 3)) @ np.array([[1, 0.4, 0], [0, 1, 0.3], [0.2, 0, 1]])
    y = 0.7 * x @ np.array([[1, 0.1, 0], [0, 1, 0], [0, 0.2, 1]]) + rng.normal(0, 0.5, x.shape)
    p = iterated_mad(x, y, iterations=1)  # plain MAD: no reweighting
    mad = (x - p["mean_before"]) @ p["a"] - (y - p["mean_after"]) @ p["b"]
    cov = np.cov(mad.T)
    np.testing.assert_allclose(np.diag(cov), p["variance"], rtol=0.02)
    assert np.max(np.abs(cov - np.diag(np.diag(cov)))) < 0.02 * np.max(np.diag(cov))
    assert np.all(np.diff(p["rho"]) >= 0)  # the first variate shows the most change
