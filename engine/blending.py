"""Blending overlapping block predictions so that blocks join without seams.

Each block is predicted over its core and ``band`` pixels around it; where two blocks overlap, their
probabilities are mixed with complementary linear ramps across the 2·band pixels centred on the
border (weights sum to one, corners too), so a difference between two blocks becomes a gentle
gradient instead of a step. Blocks arrive as the TileReader delivers them — vertical strips of
tiles, row by row — and each part is emitted once every block that covers it has been added: a
canvas of one block row per strip, plus a column band kept for the next strip.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .raster import Window
from .tiling import TileGrid

Emit = Callable[[Window, np.ndarray, np.ndarray], None]  # window, probability, valid


def ramp(band: int, length: int, before: bool, after: bool) -> np.ndarray:
    """Weights along one axis of a block predicted over ``length`` + 2·band pixels."""
    w = np.ones(length + 2 * band, np.float32)
    if band:
        rise = (np.arange(2 * band, dtype=np.float32) + 0.5) / (2 * band)
        if before:
            w[: 2 * band] = rise
        if after:
            w[-2 * band :] = rise[::-1]
    return w


class Blender:
    def __init__(self, grid: TileGrid, band: int, strip_tiles: int, emit: Emit):
        self.grid, self.band, self.strip_tiles, self.emit = grid, band, strip_tiles, emit
        self.canvas = None  # (row, strip, probability sums, valid) of the block row being built
        self.sides: dict[int, tuple[np.ndarray, np.ndarray]] = {}  # strip -> its right band

    def _strip_columns(self, strip: int) -> tuple[int, int]:
        """First and end pixel column (extent-relative) of a strip's canvas, bands included."""
        t, b = self.grid.tile, self.band
        c0 = strip * self.strip_tiles
        c1 = min(c0 + self.strip_tiles, self.grid.cols)
        return c0 * t - b, c1 * t + b

    def _side(self, strip: int) -> tuple[np.ndarray, np.ndarray]:
        if strip not in self.sides:
            height = self.grid.rows * self.grid.tile + 2 * self.band
            self.sides[strip] = (
                np.zeros((height, 2 * self.band), np.float32),
                np.zeros((height, 2 * self.band), bool),
            )
        return self.sides[strip]

    def add(self, tile, probability: np.ndarray, valid: np.ndarray) -> None:
        """``probability`` and ``valid`` cover ``tile.window`` expanded by ``band`` on each side."""
        t, b, grid = self.grid.tile, self.band, self.grid
        strip = tile.col // self.strip_tiles
        if self.canvas is None or self.canvas[1] != strip or self.canvas[0] != tile.row:
            self._next_canvas(tile.row, strip)
        _, _, sums, ok = self.canvas
        weight = np.outer(
            ramp(b, t, tile.row > 0, tile.row < grid.rows - 1),
            ramp(b, t, tile.col > 0, tile.col < grid.cols - 1),
        )
        x = tile.col * t - b - self._strip_columns(strip)[0]
        sums[:, x : x + t + 2 * b] += np.where(valid, probability, 0) * weight
        ok[:, x : x + t + 2 * b] |= valid

    def _next_canvas(self, row: int, strip: int) -> None:
        t, b = self.grid.tile, self.band
        previous = self.canvas
        left, right = self._strip_columns(strip)
        sums = np.zeros((t + 2 * b, right - left), np.float32)
        ok = np.zeros(sums.shape, bool)
        carried = previous is not None and previous[1] == strip and previous[0] == row - 1
        if previous is not None:
            self._flush(previous, final=not carried)
        if carried and b:
            sums[: 2 * b], ok[: 2 * b] = previous[2][-2 * b :], previous[3][-2 * b :]
        if strip > 0 and b:  # the previous strip's contributions to this strip's left band
            side_sums, side_ok = self._side(strip - 1)
            top = row * t + (2 * b if carried else 0)  # side rows not yet carried in
            first = 2 * b if carried else 0
            sums[first:, : 2 * b] += side_sums[top : row * t + t + 2 * b]
            ok[first:, : 2 * b] |= side_ok[top : row * t + t + 2 * b]
        self.canvas = (row, strip, sums, ok)

    def _flush(self, canvas, final: bool) -> None:
        """Emit the canvas's finished part; ``final``: no block row follows in this strip."""
        row, strip, sums, ok = canvas
        t, b, grid = self.grid.tile, self.band, self.grid
        left, _ = self._strip_columns(strip)
        rows = sums.shape[0] if final else t  # without a next row, the bottom band is finished too
        last_strip = strip == (grid.cols - 1) // self.strip_tiles
        cols = sums.shape[1] if last_strip or not b else sums.shape[1] - 2 * b
        if not last_strip and b:  # this strip's right band waits for the next strip; the canvas
            side_sums, side_ok = self._side(strip)  # holds all of the strip's sums for its rows
            side_sums[row * t : row * t + t + 2 * b] = sums[:, -2 * b :]
            side_ok[row * t : row * t + t + 2 * b] = ok[:, -2 * b :]
        window = Window(grid.extent.col + left, grid.extent.row + row * t - b, cols, rows)
        self.emit(window, sums[:rows, :cols], ok[:rows, :cols])

    def finish(self) -> None:
        if self.canvas is not None:
            self._flush(self.canvas, final=True)
            self.canvas = None
