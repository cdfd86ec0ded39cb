"""Blended blocks: every pixel emitted once, weights summing to one, across strips and edges."""

from __future__ import annotations

import numpy as np
import pytest

from engine.blending import Blender
from engine.raster import Window
from engine.tiling import TileGrid


def _blend(extent: Window, tile: int, band: int, strip: int, predict):
    grid = TileGrid(extent, tile)
    out = np.zeros((extent.height, extent.width), np.float64)
    hits = np.zeros(out.shape, int)

    def emit(window, prob, valid):
        part = window.intersection(extent)
        if part is None:
            return
        local = part.shift(-extent.col, -extent.row)
        rows, cols = part.slices(window)
        out[local.row : local.row_end, local.col : local.col_end] += prob[rows, cols]
        hits[local.row : local.row_end, local.col : local.col_end] += valid[rows, cols]

    blender = Blender(grid, band, strip, emit)
    for c0 in range(0, grid.cols, strip):  # the TileReader's order: strips, rows, columns
        for r in range(grid.rows):
            for c in range(c0, min(c0 + strip, grid.cols)):
                tile_ = grid.tile_at(r, c)
                window = tile_.window.expand(band)
                blender.add(tile_, predict(tile_, window), np.ones((window.height, window.width), bool))
    blender.finish()
    return out, hits


@pytest.mark.parametrize("strip", [1, 2, 16])
def test_a_smooth_field_predicted_by_every_block_comes_out_unchanged(strip):
    extent = Window(3, 5, 150, 130)  # not a multiple of the tile: edge tiles reach past it

    def field(tile, window):
        y, x = np.mgrid[window.row : window.row_end, window.col : window.col_end]
        return (0.3 + 0.001 * y + 0.002 * x).astype(np.float32)

    out, hits = _blend(extent, 32, 8, strip, field)
    assert (hits == 1).all()  # each pixel emitted once, all of them
    expected = field(None, extent)
    assert np.abs(out - expected).max() < 1e-5  # the weights sum to one, corners included


def test_blocks_keep_their_own_value_inside_and_meet_gradually():
    extent = Window(0, 0, 96, 32)

    def constant(tile, window):
        return np.full((window.height, window.width), float(tile.col), np.float32)

    out, _ = _blend(extent, 32, 8, 2, constant)
    row = out[16]
    assert row[:24] == pytest.approx(0) and row[40:56] == pytest.approx(1) and row[72:] == pytest.approx(2)
    steps = np.diff(row)
    assert steps.max() <= 1 / 16 + 1e-6  # a ramp over the 16 blended pixels, no step
