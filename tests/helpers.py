"""Plain helpers shared by the test suites (importable: tests/ is on pytest's pythonpath)."""

from __future__ import annotations

import numpy as np

UTM50 = "EPSG:32650"
ORIGIN = (500_000.0, 4_000_000.0)


def smooth_field(shape, rng, scale=8):
    """Spatially smooth noise (bilinear-friendly), values roughly in [0, 1]."""
    from scipy.ndimage import zoom

    h, w = shape
    coarse = rng.random((h // scale + 2, w // scale + 2))
    return zoom(coarse, scale, order=1)[:h, :w]


def f1_score(mask: np.ndarray, truth: np.ndarray) -> float:
    pred = mask == 1
    tp = np.count_nonzero(pred & truth)
    fp = np.count_nonzero(pred & ~truth)
    fn = np.count_nonzero(~pred & truth)
    return 2 * tp / max(2 * tp + fp + fn, 1)


def read(path, band=1):
    import rasterio

    with rasterio.open(path) as ds:
        return ds.read(band)
