"""Tile grid, neighbourhood context, edge policy and reading economy."""

from __future__ import annotations

import numpy as np
import pytest

from engine.raster import InputStack, Window
from engine.tiling import TileGrid, TileReader, block_mean

T = 48  # divisible by 3: each neighbour tile becomes a 16x16 block of the context


@pytest.fixture
def labelled_tiles(geotiff):
    """A 4x5-tile raster whose pixels hold 10*tile_row + tile_col + 1."""
    rows, cols = 4, 5
    values = np.add.outer(10 * np.arange(rows), np.arange(cols)) + 1
    img = np.kron(values, np.ones((T, T))).astype(np.uint8)
    path = geotiff("tiles.tif", np.stack([img, 2 * img]))
    return path, values


def _samples(path, **kwargs):
    with InputStack({"before": path, "after": path}) as stack:
        grid = TileGrid(stack.extent, T)
        reader = TileReader(stack, grid, **kwargs)
        return {(s.tile.row, s.tile.col): s for s in reader}, stack, reader


def test_context_places_each_neighbour_in_its_block(labelled_tiles):
    path, values = labelled_tiles
    samples, _, _ = _samples(path, context=True)
    s = samples[(1, 2)]
    assert s.data["before"].shape == (2, T, T) and (s.data["before"][0] == values[1, 2]).all()
    ctx, b = s.context["before"][0], T // 3
    for i in range(3):
        for j in range(3):
            block = ctx[i * b : (i + 1) * b, j * b : (j + 1) * b]
            assert (block == values[i, 1 + j]).all(), (i, j)
    assert (s.context["before"][1] == 2 * ctx).all() and (s.context["after"][0] == ctx).all()
    assert s.context_valid.all()


def test_context_outside_the_raster_is_zero_and_invalid(labelled_tiles):
    path, values = labelled_tiles
    samples, _, _ = _samples(path, context=True)
    corner = samples[(0, 0)]
    b = T // 3
    ctx, ok = corner.context["before"][0], corner.context_valid
    assert not ok[:b, :].any() and not ok[:, :b].any()  # top row and left column of neighbours
    assert (ctx[:b, :] == 0).all() and (ctx[:, :b] == 0).all()
    assert ok[b:, b:].all() and (ctx[b : 2 * b, b : 2 * b] == values[0, 0]).all()
    last = samples[(3, 4)]
    assert not last.context_valid[2 * b :, :].any() and not last.context_valid[:, 2 * b :].any()


def test_block_mean_averages_valid_pixels_only():
    data = np.arange(36, dtype=np.float32).reshape(1, 6, 6)
    valid = np.ones((6, 6), dtype=bool)
    valid[0, 0] = False  # excluded from the top-left block's mean
    valid[3:, 3:] = False  # the whole bottom-right block has no data
    mean, ok = block_mean(data, valid, 3)
    top_left = data[0, :3, :3].ravel()[1:].mean()
    assert mean[0, 0, 0] == pytest.approx(top_left)
    assert mean[0, 0, 1] == pytest.approx(data[0, :3, 3:].mean())
    assert ok.tolist() == [[True, True], [True, False]] and mean[0, 1, 1] == 0


def _reference_block_mean(data, valid, f):
    """Block by block, the plain way."""
    c, h2, w2 = data.shape[0], data.shape[1] // f, data.shape[2] // f
    mean, ok = np.zeros((c, h2, w2), np.float32), np.zeros((h2, w2), bool)
    for i in range(h2):
        for j in range(w2):
            v = valid[i * f : (i + 1) * f, j * f : (j + 1) * f]
            if v.any():
                ok[i, j] = True
                mean[:, i, j] = data[:, i * f : (i + 1) * f, j * f : (j + 1) * f][:, v].mean(axis=1)
    return mean, ok


@pytest.mark.parametrize("masked", [False, True])
def test_block_mean_matches_the_plain_computation(masked):
    rng = np.random.default_rng(5)
    data = rng.integers(0, 256, (2, 14, 17)).astype(np.uint8)  # not multiples of 3: the rest is cut
    valid = rng.random((14, 17)) > 0.3 if masked else np.ones((14, 17), bool)
    valid[:3, :3] = False if masked else True
    data[:, ~valid] = 0  # as the InputStack delivers invalid pixels
    mean, ok = block_mean(data, valid, 3)
    want, want_ok = _reference_block_mean(data.astype(np.float32), valid, 3)
    assert mean.shape == (2, 4, 5) and mean.dtype == np.float32
    assert (ok == want_ok).all() and np.allclose(mean, want, rtol=0, atol=1e-4)
    assert ok.all() != masked


def test_parallel_tile_assembly_gives_the_same_samples_in_the_same_order(labelled_tiles, geotiff):
    rng = np.random.default_rng(2)
    path = geotiff("noise.tif", rng.integers(1, 256, (3, 4 * T + 7, 5 * T + 11)).astype(np.uint8))
    for kwargs in ({"context": True}, {"halo": 5}):
        with InputStack({"before": path, "after": path}) as stack:
            grid = TileGrid(stack.extent, T)
            one = list(TileReader(stack, grid, strip_tiles=2, **kwargs))
            three = list(TileReader(stack, grid, strip_tiles=2, workers=3, **kwargs))
        assert [s.tile for s in one] == [s.tile for s in three] and len(one) == len(grid)
        for a, b in zip(one, three):
            assert (a.valid == b.valid).all()
            assert all((a.data[k] == b.data[k]).all() for k in a.data)
            if kwargs.get("context"):
                assert all((a.context[k] == b.context[k]).all() for k in a.context)


def test_halo_reaches_into_the_neighbours(labelled_tiles):
    path, values = labelled_tiles
    samples, _, _ = _samples(path, halo=5)
    s = samples[(2, 3)]
    tile = s.data["before"][0]
    assert tile.shape == (T + 10, T + 10)
    assert (tile[:5, 5:-5] == values[1, 3]).all() and (tile[-5:, 5:-5] == values[3, 3]).all()
    assert (tile[5:-5, :5] == values[2, 2]).all() and (tile[5:-5, -5:] == values[2, 4]).all()
    edge = samples[(0, 0)]
    assert not edge.valid[:5].any() and edge.valid[5:, 5:].all()


def test_each_pixel_is_read_about_once(labelled_tiles):
    path, _ = labelled_tiles
    _, stack, reader = _samples(path, context=True)  # 5 columns fit one strip
    assert stack.pixels_read == 2 * stack.extent.size
    _, stack, _ = _samples(path, context=True, strip_tiles=2)
    # strips [0,1] [2,3] [4] read one more column on each inner side: 3 + 4 + 2 = 9 of 5
    assert stack.pixels_read * 5 == 2 * stack.extent.size * 9
    _, stack, _ = _samples(path, context=False)
    assert stack.pixels_read == 2 * stack.extent.size


def test_selected_tiles_only_read_their_neighbourhood(labelled_tiles):
    path, _ = labelled_tiles
    samples, stack, reader = _samples(path, context=True, tiles=[(1, 1)])
    assert list(samples) == [(1, 1)] and len(reader) == 1
    assert stack.pixels_read == 2 * 9 * T * T


def test_grid_covers_the_extent_and_spread_is_even():
    grid = TileGrid(Window(10, 20, 1000, 700), 256)
    assert (grid.rows, grid.cols, len(grid)) == (3, 4, 12)
    assert grid.window(2, 3) == Window(10 + 768, 20 + 512, 256, 256)
    assert grid.spread(100) == [(r, c) for r in range(3) for c in range(4)]
    picks = grid.spread(4)
    assert len(picks) == 4 and picks[0] == (0, 0) and picks[-1] == (2, 3)
