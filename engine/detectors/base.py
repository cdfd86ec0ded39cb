"""What every detector (classic or network) provides to the inference driver."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

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
    blends = False  # True: overlapping tiles are blended across the overlap (networks), else cropped
    device = "cpu"
    probability_threshold = 0.5  # default threshold on predict()'s output
    scene_fields: tuple[str, ...] = ()  # attributes ``fit`` sets (sent to distributed workers)

    def band_count(self) -> dict[str, int | None]:
        """Bands each input must have (None: any number). Unset bands default to the first N."""
        return {}

    def check(self, stack: InputStack) -> None:
        """Raise MineCDError when the inputs do not suit this detector."""

    def fit(self, stack: InputStack, grid: TileGrid, progress: Progress) -> None:
        """Scene-level statistics, e.g. a threshold, from sampled tiles (no tile seams)."""

    def scene_state(self) -> dict:
        """What ``fit`` learnt about the scene, as plain data: a worker that restores it predicts
        exactly like this detector without fitting again."""
        return {name: getattr(self, name) for name in self.scene_fields}

    def restore_scene_state(self, state: dict) -> None:
        for name, value in state.items():
            setattr(self, name, value)

    def predict(self, batch: Batch) -> np.ndarray:
        """Change probability in [0, 1], shape (N, H, W) like ``batch.valid``."""
        raise NotImplementedError

    def prepare(self, batch: Batch):
        """The part of ``predict`` the reader thread can do ahead (networks: normalised inputs)."""
        return batch

    def infer(self, prepared) -> np.ndarray:
        """``predict`` given what ``prepare`` returned."""
        return self.predict(prepared)

    def describe(self) -> dict:
        return {"detector": self.name}


MAX_BLOCK = 864  # pixels a network reads per block side, overlap included (measured: fastest per pixel)


@dataclass(frozen=True)
class TilePlan:
    tile: int  # the output tile (block) size
    halo: int  # pixels read around each tile and cropped after prediction
    notes: tuple[str, ...] = ()


def _round_up(value: int, multiple: int) -> int:
    return -(-int(value) // multiple) * multiple


def plan_tiles(detector: Detector, tile: int | None, overlap: int | None, extent) -> TilePlan:
    """Tile size and overlap for ``detector`` over ``extent`` (a Window).

    Per-pixel detectors: 256 px tiles, their own halo. A per-tile context model: the tile size it
    was trained with. A fully convolutional network: blocks as large as MAX_BLOCK allows, sized to
    cut the extent evenly, read with an overlap (default: the detector's) so that blocks join
    without seams; sizes rounded up to what the network needs (``tile_multiple``).
    """
    if detector.needs_context and not getattr(detector, "fully_convolutional", False):
        fixed = detector.tile
        if tile and tile != fixed:
            raise MineCDError(
                f"{detector.name} was trained with {fixed} px tiles and their 3x3 neighbourhood: "
                f"use tile {fixed}"
            )
        return TilePlan(fixed, 0)
    if not getattr(detector, "fully_convolutional", False):
        tile = tile or 256
        halo = max(detector.halo, int(overlap or 0))
        if halo > tile:
            raise MineCDError(f"overlap {overlap} is larger than the tile size {tile}")
        return TilePlan(tile, halo)
    tile_step, halo_step = detector.tile_multiple, detector.halo_multiple
    wanted = detector.default_overlap if overlap is None else int(overlap)
    fixed = getattr(detector, "input_size", None)
    if fixed:  # a model whose graph fixes its input size: blocks of that size, overlap included
        halo = min(wanted, fixed // 4)
        notes = (f"{detector.name} takes {fixed} px inputs: tiles of {fixed - 2 * halo} px",) if tile else ()
        return TilePlan(fixed - 2 * halo, halo, notes)
    halo = _round_up(max(detector.halo, wanted), halo_step) if max(detector.halo, wanted) else 0
    notes = []
    if halo != wanted and overlap is not None:
        notes.append(f"overlap {wanted} px rounded up to {halo} px (what {detector.name} needs)")
    smallest = _round_up(getattr(detector, "tile", 0) or tile_step, tile_step)  # the trained tile
    if tile:
        rounded = max(_round_up(tile, tile_step), smallest)
        if rounded != tile:
            notes.append(
                f"tile {tile} px raised to {rounded} px ({detector.name} runs on blocks of at least its "
                f"training tile, in multiples of {tile_step})"
            )
        tile = rounded
    else:
        largest = max(tile_step, (MAX_BLOCK - 2 * halo) // tile_step * tile_step)
        sides = [side for side in (extent.width, extent.height)]
        tile = max(_round_up(-(-side // -(-side // largest)), tile_step) for side in sides)
    if halo > tile:
        raise MineCDError(f"overlap {overlap} is larger than the tile size {tile}")
    return TilePlan(tile, halo, tuple(notes))


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
