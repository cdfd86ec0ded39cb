"""Tile predictions -> the written mask and probability, the same way in every run.

In one process the tiles come straight from the detector; in a distributed run they come back
from the workers' part files, in the same order, so both runs write the same pixels.
"""

from __future__ import annotations

import numpy as np

from .blending import Blender
from .tiling import TileGrid
from .writer import MASK_NODATA, PROB_NODATA


class Assembler:
    """``add`` each tile's probability and validity (read with ``halo``) in the reader's order;
    ``finish`` returns (changed, valid) pixel counts inside the extent."""

    def __init__(self, stack, grid: TileGrid, halo: int, blends: bool, strip_tiles: int, threshold, writers):
        self.stack, self.halo, self.threshold, self.writers = stack, halo, threshold, writers
        self.counts = [0, 0]
        # networks: overlapping blocks are blended across the whole overlap; others crop it
        self.blender = Blender(grid, halo, strip_tiles, self._write) if halo and blends else None

    def add(self, tile, prob: np.ndarray, valid: np.ndarray) -> None:
        h = self.halo
        if self.blender is not None:
            self.blender.add(tile, prob, valid)
        elif h:
            self._write(tile.window, prob[h:-h, h:-h], valid[h:-h, h:-h])
        else:
            self._write(tile.window, prob, valid)

    def finish(self) -> tuple[int, int]:
        if self.blender is not None:
            self.blender.finish()
        return self.counts[0], self.counts[1]

    def _write(self, window, prob, valid) -> None:
        aoi = self.stack.aoi_mask(window)
        ok = valid if aoi is None else valid & aoi.astype(bool)
        mask = np.where(ok, prob >= self.threshold, MASK_NODATA).astype(np.uint8)
        inside = window.intersection(self.stack.extent)
        if inside is None:
            return
        part = mask[inside.slices(window)]
        self.counts[0] += int(np.count_nonzero(part == 1))
        self.counts[1] += int(np.count_nonzero(part != MASK_NODATA))
        self.writers[0].write(window, mask)
        if len(self.writers) > 1:
            self.writers[1].write(window, np.where(ok, prob, PROB_NODATA).astype(np.float32))
