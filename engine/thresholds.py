"""Automatic thresholds for change scores (computed once per scene from sampled tiles)."""

from __future__ import annotations

import numpy as np

MAX_SAMPLES = 2_000_000


def _finite_sample(values: np.ndarray, seed: int = 0) -> np.ndarray:
    values = np.asarray(values, dtype=np.float64).ravel()
    values = values[np.isfinite(values)]
    if values.size > MAX_SAMPLES:
        values = np.random.default_rng(seed).choice(values, MAX_SAMPLES, replace=False)
    return values


def otsu(values: np.ndarray, bins: int = 256) -> float:
    """Otsu's threshold (maximum between-class variance)."""
    from skimage.filters import threshold_otsu

    values = _finite_sample(values)
    if values.size == 0 or values.min() == values.max():
        return float(values.max()) if values.size else 0.0
    return float(threshold_otsu(values, nbins=bins))


def kittler_illingworth(values: np.ndarray, bins: int = 512) -> float:
    """Kittler–Illingworth minimum-error threshold (two Gaussian classes).

    Minimises J(t) = 1 + 2 [P1 ln σ1 + P2 ln σ2] − 2 [P1 ln P1 + P2 ln P2] over the histogram.
    The histogram spans up to the 99.9th percentile so a few extreme values do not flatten it.
    """
    values = _finite_sample(values)
    if values.size == 0:
        return 0.0
    lo, hi = float(values.min()), float(np.percentile(values, 99.9))
    if hi <= lo:
        return lo
    hist, edges = np.histogram(values, bins=bins, range=(lo, hi))
    centres = (edges[:-1] + edges[1:]) / 2
    p = hist / hist.sum()
    p1 = np.cumsum(p)
    p2 = 1.0 - p1
    m1 = np.cumsum(p * centres)
    s1 = np.cumsum(p * centres**2)
    total_m, total_s = m1[-1], s1[-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        mu1, mu2 = m1 / p1, (total_m - m1) / p2
        var1 = s1 / p1 - mu1**2
        var2 = (total_s - s1) / p2 - mu2**2
        j = (
            1
            + 2 * (p1 * np.log(np.sqrt(var1)) + p2 * np.log(np.sqrt(var2)))
            - 2 * (p1 * np.log(p1) + p2 * np.log(p2))
        )
    min_var = ((hi - lo) / bins) ** 2 / 12  # a class narrower than one bin is degenerate
    ok = (p1 > 1e-4) & (p2 > 1e-4) & (var1 > min_var) & (var2 > min_var) & np.isfinite(j)
    if not ok.any():
        return otsu(values)
    return float(edges[1:][ok][np.argmin(j[ok])])


def separation(values: np.ndarray, t: float) -> float:
    """Ashman's D of the two classes the split at ``t`` makes: √2 |μ₂ − μ₁| / √(σ₁² + σ₂²).

    Two populations are well apart at D > 2; a split inside one skewed population gives a low D.
    """
    values = _finite_sample(values)
    low, high = values[values <= t], values[values > t]
    if low.size < 10 or high.size < 10:
        return 0.0
    spread = np.sqrt(low.var() + high.var())
    return float(np.sqrt(2) * abs(high.mean() - low.mean()) / spread) if spread > 0 else 0.0


def automatic(values: np.ndarray) -> float:
    """Otsu's or the Kittler–Illingworth threshold, whichever separates the scene's classes better.

    Each method assumes two classes (Otsu: separated means; KI: two Gaussians of their own
    spread) and each fails where its assumption does not hold: on real and simulated SAR
    log-ratios either one can fall far below the other, typically by cutting the large no-change
    population in two. The threshold kept is the one whose two sides are further apart relative
    to their spreads (Ashman's D, ``separation``), decided per scene from the data.
    """
    values = _finite_sample(values)
    if values.size == 0:
        return 0.0
    candidates = [otsu(values), kittler_illingworth(values)]
    return max(candidates, key=lambda t: separation(values, t))


METHODS = {"auto": automatic, "otsu": otsu, "ki": kittler_illingworth}


def threshold(values: np.ndarray, method: str) -> float:
    try:
        return METHODS[method](values)
    except KeyError:
        raise ValueError(f"unknown threshold method {method!r} (choose from {', '.join(METHODS)})") from None
