"""Iteratively reweighted MAD (Nielsen 2007): a multispectral change detector with no training.

Canonical correlation analysis of the two dates gives pairs of projections (U, V) that are as
correlated as possible; their differences, the MAD variates M = U − V, are uncorrelated with
variances 2(1 − ρ). Z = Σ M² / σ² is then chi-square distributed with one degree of freedom per
band where nothing changed. Each iteration reweights the pixels by their probability of no
change, so the changed pixels stop steering the projections. The statistic is invariant to any
linear (affine per band) transformation of either date: gains, offsets, a different sensor's
calibration do not change it.
"""

from __future__ import annotations

import numpy as np

from ..errors import MineCDError
from ..progress import Progress
from ..raster import InputStack
from ..thresholds import METHODS
from ..tiling import TileGrid
from .base import Batch, Detector, soft_score
from .classic import check_optical_pair, fit_threshold, paired_pixels

ITERATIONS = 30
CONVERGED = 1e-4  # largest change of a canonical correlation between two iterations
NO_CHANGE_LEVEL = 0.01  # the "chi2" threshold: no-change probability below 1 %


def _weighted_stats(x: np.ndarray, y: np.ndarray, w: np.ndarray):
    total = w.sum()
    mx, my = w @ x / total, w @ y / total
    xc, yc = x - mx, y - my
    sxx, syy, sxy = (
        (xc * w[:, None]).T @ xc / total,
        (yc * w[:, None]).T @ yc / total,
        (xc * w[:, None]).T @ yc / total,
    )
    ridge = 1e-9 * np.eye(x.shape[1])
    return mx, my, sxx + ridge * np.trace(sxx), syy + ridge * np.trace(syy), sxy


def iterated_mad(x: np.ndarray, y: np.ndarray, iterations: int = ITERATIONS) -> dict:
    """IR-MAD on (P, C) samples of both dates; returns the projection and the MAD variances."""
    from scipy import linalg
    from scipy.stats import chi2

    x, y = np.asarray(x, np.float64), np.asarray(y, np.float64)
    weights, previous, done = np.ones(len(x)), None, 0
    while done < iterations:
        done += 1
        mx, my, sxx, syy, sxy = _weighted_stats(x, y, weights)
        rho2, a = linalg.eigh(sxy @ linalg.solve(syy, sxy.T), sxx)  # ascending: most change first
        rho = np.sqrt(np.clip(rho2, 0.0, 1.0))
        b = linalg.solve(syy, sxy.T @ a)
        b /= np.sqrt(np.einsum("ji,jk,ki->i", b, syy, b))
        b *= np.sign(np.einsum("ji,jk,ki->i", a, sxy, b))  # positively correlated pairs
        variance = np.maximum(2.0 * (1.0 - rho), 1e-12)
        z = (((x - mx) @ a - (y - my) @ b) ** 2 / variance).sum(axis=1)
        weights = chi2.sf(z, x.shape[1])
        if previous is not None and np.max(np.abs(rho - previous)) < CONVERGED:
            break
        previous = rho
    return {
        "mean_before": mx,
        "mean_after": my,
        "a": a,
        "b": b,
        "variance": variance,
        "rho": rho,
        "iterations": done,
    }


class IteratedMAD(Detector):
    """IR-MAD chi-square statistic of the two dates + the Kittler–Illingworth threshold.

    ``method``: ``ki`` (default: on the real Sentinel-2 cities it never fails a scene, where
    ``otsu`` flags nothing on half of them), ``otsu``, ``auto``, or ``chi2`` (no-change probability
    below 1 %, Nielsen's test: it flags every real change, crops and seasons included).
    """

    name = "irmad"
    kind = "optical"
    scene_fields = ("projection", "threshold", "scale")

    def __init__(self, method: str = "ki"):
        if method not in (*METHODS, "chi2"):
            raise MineCDError(f"IR-MAD threshold '{method}': use chi2, {', '.join(METHODS)}")
        self.method = method
        self.projection: dict | None = None
        self.threshold = None
        self.scale = 1.0

    def check(self, stack: InputStack) -> None:
        check_optical_pair(stack)

    def statistic(self, before: np.ndarray, after: np.ndarray) -> np.ndarray:
        """Z over the band axis: (N, C, H, W) -> (N, H, W), or (P, C) samples -> (P,)."""
        p = self.projection
        x, y = (np.moveaxis(v, 1, -1) if v.ndim == 4 else v for v in (before, after))
        mad = (x.astype(np.float64) - p["mean_before"]) @ p["a"] - (
            y.astype(np.float64) - p["mean_after"]
        ) @ p["b"]
        return (mad**2 / p["variance"]).sum(axis=-1).astype(np.float32)

    def fit(self, stack: InputStack, grid: TileGrid, progress: Progress) -> None:
        from scipy.stats import chi2

        x, y = (v.T for v in paired_pixels(stack, grid, progress))  # CCA needs pairs: (P, C)
        self.projection = iterated_mad(x, y)
        scores = self.statistic(x, y)
        if self.method == "chi2":
            _, self.scale = fit_threshold(scores, "otsu")
            self.threshold = float(chi2.isf(NO_CHANGE_LEVEL, x.shape[1]))
        else:
            self.threshold, self.scale = fit_threshold(scores, self.method)

    def predict(self, batch: Batch) -> np.ndarray:
        return soft_score(
            self.statistic(batch.data["before"], batch.data["after"]), self.threshold, self.scale
        )

    def describe(self) -> dict:
        p = self.projection or {}
        return {
            "detector": self.name,
            "threshold_method": self.method,
            "score_threshold": self.threshold,
            "canonical_correlations": [round(float(r), 4) for r in p.get("rho", [])],
            "iterations": p.get("iterations"),
        }
