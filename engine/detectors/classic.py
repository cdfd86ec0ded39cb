"""Classic detectors that need no training: the fallback and the baseline every model must beat."""

from __future__ import annotations

import numpy as np

from ..errors import MineCDError
from ..progress import Progress
from ..raster import InputStack
from ..sar.channels import check_units, to_intensity
from ..sar.coherence import masked_boxcar
from ..thresholds import threshold
from ..tiling import TileGrid
from .base import Batch, Detector, collect, random_valid_pixels, sample_tiles, soft_score


def no_valid_pixel(stack: InputStack) -> MineCDError:
    return MineCDError(f"{stack.source('before').path}: no valid pixel in the processing extent")


def check_optical_pair(stack: InputStack) -> None:
    """Two real rasters with the same number of bands (what the optical classic detectors compare)."""
    before, after = stack.source("before"), stack.source("after")
    for source in (before, after):
        if source.is_complex:
            raise MineCDError(f"{source.path}: complex SAR data; use the log-ratio detector")
    if len(before.bands) != len(after.bands):
        raise MineCDError(
            f"{after.path}: has {len(after.bands)} usable band(s) but {before.path} has "
            f"{len(before.bands)}; choose the same bands for both (e.g. --bands 3,2,1)"
        )


def paired_pixels(stack: InputStack, grid: TileGrid, progress: Progress) -> tuple[np.ndarray, np.ndarray]:
    """Valid pixels of both dates sampled at the same places over the scene: (C, P) each."""
    rng = np.random.default_rng(0)
    picks = []
    reader = sample_tiles(stack, grid)
    for i, sample in enumerate(reader):
        pair = np.concatenate([sample.data["before"], sample.data["after"]])
        picks.append(random_valid_pixels(pair, sample.valid, rng))
        progress.update((i + 1) / len(reader))
    pixels = collect(picks)
    if pixels.size == 0:
        raise no_valid_pixel(stack)
    before, after = np.split(pixels, 2)
    return before, after


def fit_threshold(scores: np.ndarray, method: str) -> tuple[float, float]:
    """A scene's change-score threshold and the scale of its soft probability around it."""
    scale = 0.05 * float(np.percentile(scores, 99) - np.percentile(scores, 1)) or 1.0
    return threshold(scores, method), scale


class ChangeVectorAnalysis(Detector):
    """Magnitude of the difference of per-date, per-band standardised images + Otsu threshold.

    Standardising each date by its own robust scene statistics (median, 1.4826·MAD) removes
    global radiometric differences (sensor, illumination, haze offset) before differencing,
    without letting a large changed area inflate the scale of its own date.
    """

    name = "cva"
    kind = "optical"
    scene_fields = ("stats", "threshold", "scale")

    def __init__(self, method: str = "otsu"):
        self.method = method
        self.stats: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self.threshold = None
        self.scale = 1.0

    def check(self, stack: InputStack) -> None:
        check_optical_pair(stack)

    def magnitude(self, before: np.ndarray, after: np.ndarray) -> np.ndarray:
        """Change magnitude over the band axis: 1 for (N, C, H, W) batches, 0 for (C, P) samples."""
        axis = 1 if before.ndim == 4 else 0
        shape = [1] * before.ndim
        shape[axis] = -1
        dtype = np.result_type(before.dtype, np.float32)  # float32 blocks stay float32 (fast)
        (mb, sb), (ma, sa) = (
            [np.asarray(v, dtype).reshape(shape) for v in self.stats[r]] for r in ("before", "after")
        )
        diff = (after - ma) / sa - (before - mb) / sb
        return np.sqrt(np.sum(diff * diff, axis=axis)).astype(np.float32)

    def fit(self, stack: InputStack, grid: TileGrid, progress: Progress) -> None:
        before, after = paired_pixels(stack, grid, progress)
        values = {"before": before, "after": after}
        for role, v in values.items():
            v = v.astype(np.float64)
            median = np.median(v, axis=1)
            mad = 1.4826 * np.median(np.abs(v - median[:, None]), axis=1)
            self.stats[role] = (median, np.maximum(mad, np.maximum(v.std(axis=1) * 1e-3, 1e-6)))
        scores = self.magnitude(values["before"], values["after"])
        self.threshold, self.scale = fit_threshold(scores, self.method)

    def predict(self, batch: Batch) -> np.ndarray:
        score = self.magnitude(batch.data["before"], batch.data["after"])
        return soft_score(score, self.threshold, self.scale)

    def describe(self) -> dict:
        return {
            "detector": self.name,
            "threshold_method": self.method,
            "score_threshold": self.threshold,
        }


class LogRatio(Detector):
    """SAR log-ratio |ln(Ī_after / Ī_before)| of boxcar-averaged intensities + automatic threshold.

    Inputs: one band per date, complex SLC (|z|²) or real rasters in ``units`` (linear amplitude
    by default, intensity, or dB). The threshold is chosen per scene (``auto``: Otsu's or
    Kittler–Illingworth's, whichever split fits the scores as two Gaussians better); ``otsu`` or
    ``ki`` force one.
    """

    name = "logratio"
    kind = "sar"
    scene_fields = ("threshold", "scale")

    def __init__(self, window: int = 5, method: str = "auto", units: str = "amplitude"):
        if window < 1 or window % 2 == 0:
            raise MineCDError(f"log-ratio window must be an odd number of pixels, not {window}")
        check_units(units)
        self.units = units
        self.window = window
        self.halo = window // 2
        self.method = method
        self.threshold = None
        self.scale = 1.0

    def band_count(self) -> dict[str, int | None]:
        return {"before": 1, "after": 1}

    def score(self, before: np.ndarray, after: np.ndarray, valid: np.ndarray) -> np.ndarray:
        intensities = []
        for x in (before[:, 0], after[:, 0]):
            intensity = np.abs(x) ** 2 if np.iscomplexobj(x) else to_intensity(x, self.units)
            intensities.append(masked_boxcar(intensity.astype(np.float32), valid, (self.window, self.window)))
        eps = 1e-6
        return np.abs(np.log((intensities[1] + eps) / (intensities[0] + eps)))

    def fit(self, stack: InputStack, grid: TileGrid, progress: Progress) -> None:
        rng = np.random.default_rng(0)
        chunks = []
        reader = sample_tiles(stack, grid, halo=self.halo)
        h = self.halo
        for i, sample in enumerate(reader):
            lr = self.score(sample.data["before"][None], sample.data["after"][None], sample.valid[None])[0]
            core = (slice(h, lr.shape[0] - h), slice(h, lr.shape[1] - h))
            chunks.append(random_valid_pixels(lr[core], sample.valid[core], rng))
            progress.update((i + 1) / len(reader))
        scores = collect(chunks)
        if scores.size == 0:
            raise no_valid_pixel(stack)
        self.threshold, self.scale = fit_threshold(scores, self.method)

    def predict(self, batch: Batch) -> np.ndarray:
        lr = self.score(batch.data["before"], batch.data["after"], batch.valid)
        return soft_score(lr, self.threshold, self.scale)

    def describe(self) -> dict:
        return {
            "detector": self.name,
            "threshold_method": self.method,
            "score_threshold": self.threshold,
            "window": self.window,
        }
