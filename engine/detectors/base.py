"""What every detector (classic or network) provides to the inference driver."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from ..errors import MineCDError
from ..progress import Progress
from ..raster import InputStack
from ..tiling import Batch, TileGrid, TileReader

SAMPLE_TILES = 64  # tiles read to fit scene-level statistics and thresholds
SAMPLE_PIXELS_PER_TILE = 16384


class Detector:
    """Subclasses implement ``predict``; ``fit`` is for scene-level statistics."""

    name = "detector"
    kind = "optical"  # or "sar"
    roles: tuple[str, ...] = ("before", "after")
    needs_context = False
    halo = 0  # pixels of overlap the detector needs on each side of a tile
    device = "cpu"
    probability_threshold = 0.5  # default threshold on predict()'s output

    def band_count(self) -> dict[str, int | None]:
        """Bands each input must have (None: any number). Unset bands default to the first N."""
        return {}

    def check(self, stack: InputStack) -> None:
        """Raise MineCDError when the inputs do not suit this detector."""

    def fit(self, stack: InputStack, grid: TileGrid, progress: Progress) -> None:
        """Scene-level statistics, e.g. a threshold, from sampled tiles (no tile seams)."""

    def predict(self, batch: Batch) -> np.ndarray:
        """Change probability in [0, 1], shape (N, H, W) like ``batch.valid``."""
        raise NotImplementedError

    def describe(self) -> dict:
        return {"detector": self.name}


def check_tile(detector: Detector, tile: int | None) -> int:
    """The tile size to use: a context model only works at the tile size it was trained with."""
    fixed = getattr(detector, "tile", None) if detector.needs_context else None
    if fixed and tile and tile != fixed:
        raise MineCDError(
            f"{detector.name} was trained with {fixed} px tiles and their 3x3 neighbourhood: use tile {fixed}"
        )
    return tile or fixed or getattr(detector, "tile", None) or 256


def sample_tiles(stack: InputStack, grid: TileGrid, halo: int = 0, count: int = SAMPLE_TILES) -> TileReader:
    """Tiles spread evenly over the extent, read like inference reads them."""
    return TileReader(stack, grid, halo=halo, tiles=grid.spread(count))


def random_valid_pixels(values: np.ndarray, valid: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Entries of ``values[..., valid]`` (last two axes spatial), the same share from every tile.

    A whole tile gives SAMPLE_PIXELS_PER_TILE pixels; a tile cut by the scene's edge or nodata gives
    as many in proportion to its valid pixels, so small scenes are not sampled mostly at their edges.
    """
    picked = values[..., valid]
    n = picked.shape[-1]
    share = min(1.0, SAMPLE_PIXELS_PER_TILE / max(valid.size, 1))
    k = int(round(n * share))
    if k < n:
        picked = picked[..., rng.choice(n, k, replace=False)]
    return picked


def collect(chunks: Iterable[np.ndarray], axis: int = -1) -> np.ndarray:
    chunks = [c for c in chunks if c.size]
    return np.concatenate(chunks, axis=axis) if chunks else np.zeros(0, dtype=np.float32)


def soft_score(score: np.ndarray, threshold: float, scale: float) -> np.ndarray:
    """Map a change score to a probability-like value: 0.5 exactly at the threshold."""
    z = np.clip((score - threshold) / max(scale, 1e-12), -30, 30)
    return (1.0 / (1.0 + np.exp(-z))).astype(np.float32)
