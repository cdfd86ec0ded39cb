"""Tile grid and tile reading with 8-neighbourhood context (the INSINet scheme).

One implementation serves inference and training chips.

* The processing extent is cut into T×T tiles from its top-left corner; edge tiles reach past it.
* A tile's **context** is the 3T×3T window centred on it (the tile and its 8 neighbours),
  downsampled to T×T by area averaging over 3×3 pixel blocks.
* **Edge policy** (identical in training and inference): pixels with no data — outside the
  rasters' common area, nodata, alpha = 0, NaN — carry no information. They are 0 in the tile
  arrays and False in the validity masks; detectors replace them by a neutral value after their
  normalisation (INSINet: 0, the training mean). A context pixel is the mean of the *valid* pixels
  of its 3×3 block, and invalid (0) when the block has none. Context beyond the processing extent
  but inside the rasters is real data and is used.
* **Economy**: tiles are visited in vertical strips about 4096 px wide (cut evenly); each strip
  caches the rows of chunks its current tiles need, so every source pixel is read once per
  strip, plus the margin shared with neighbouring strips, instead of ~9 times without a cache.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from .raster import InputStack, Window

DEFAULT_STRIP_PIXELS = 4096  # strips about this wide, cut evenly (memory does not grow with the scene)


@dataclass(frozen=True)
class Tile:
    row: int
    col: int
    window: Window  # the T×T core on the reference grid


class TileGrid:
    def __init__(self, extent: Window, tile: int):
        if tile < 16:
            raise ValueError("tile size must be at least 16 pixels")
        self.extent = extent
        self.tile = tile
        self.rows = math.ceil(extent.height / tile)
        self.cols = math.ceil(extent.width / tile)

    def __len__(self) -> int:
        return self.rows * self.cols

    def window(self, row: int, col: int) -> Window:
        t = self.tile
        return Window(self.extent.col + col * t, self.extent.row + row * t, t, t)

    def tile_at(self, row: int, col: int) -> Tile:
        return Tile(row, col, self.window(row, col))

    def spread(self, count: int) -> list[tuple[int, int]]:
        """``count`` tile indices spread evenly over the grid (all tiles if fewer)."""
        n = len(self)
        picks = range(n) if n <= count else np.linspace(0, n - 1, count).round().astype(int)
        return sorted({divmod(int(i), self.cols) for i in picks})


@dataclass
class TileSample:
    tile: Tile
    data: dict[str, np.ndarray]  # role -> (C, T+2h, T+2h) float32 (complex64 for complex SAR)
    valid: np.ndarray  # (T+2h, T+2h) bool
    context: dict[str, np.ndarray] | None = None  # role -> (C, T, T) float32
    context_valid: np.ndarray | None = None  # (T, T) bool


@dataclass
class Batch:
    """TileSamples stacked for a detector."""

    tiles: list[Tile]
    data: dict[str, np.ndarray]  # role -> (N, C, H, W)
    valid: np.ndarray  # (N, H, W) bool
    context: dict[str, np.ndarray] | None = None  # role -> (N, C, T, T)
    context_valid: np.ndarray | None = None  # (N, T, T)

    @classmethod
    def of(cls, samples: list[TileSample]) -> Batch:
        first = samples[0]
        batch = cls(
            tiles=[s.tile for s in samples],
            data={k: np.stack([s.data[k] for s in samples]) for k in first.data},
            valid=np.stack([s.valid for s in samples]),
        )
        if first.context is not None:
            batch.context = {k: np.stack([s.context[k] for s in samples]) for k in first.context}
            batch.context_valid = np.stack([s.context_valid for s in samples])
        return batch

    def __len__(self) -> int:
        return len(self.tiles)


def _block_sum(a: np.ndarray, factor: int, dtype) -> np.ndarray:
    """Sum of factor×factor blocks over the last two axes, by strided adds (10× a reshape-sum)."""
    rows = a[..., 0::factor, :].astype(dtype)
    for i in range(1, factor):
        rows += a[..., i::factor, :]
    out = rows[..., 0::factor].copy()
    for j in range(1, factor):
        out += rows[..., j::factor]
    return out


def block_mean(data: np.ndarray, valid: np.ndarray, factor: int = 3) -> tuple[np.ndarray, np.ndarray]:
    """Masked area-average of (C, H, W) by ``factor``; returns (C, H/f, W/f) and validity.

    Invalid pixels must be 0 in ``data`` (as the InputStack delivers them): block sums then need
    no weights. 8- and 16-bit data are summed in integers (exact, and faster than floats).
    """
    h2, w2 = data.shape[1] // factor, data.shape[2] // factor
    data, valid = data[:, : h2 * factor, : w2 * factor], valid[: h2 * factor, : w2 * factor]
    small = data.dtype in (np.uint8, np.int8) and factor * factor * 255 < 2**15
    dtype = np.int16 if small else np.int64 if data.dtype.kind in "ui" else np.float32
    sums = _block_sum(data, factor, dtype).astype(np.float32)
    if valid.all():  # the common case: no counts to divide by
        return sums / np.float32(factor * factor), np.ones((h2, w2), dtype=bool)
    counts = _block_sum(valid, factor, np.int16).astype(np.float32)
    mean = np.divide(sums, counts, out=np.zeros_like(sums), where=counts > 0)
    return mean, counts > 0


class TileReader:
    """Iterates TileSamples over a TileGrid, reading each source pixel about once.

    ``context``: also deliver the downsampled 3T×3T neighbourhood. ``context_margin`` m: deliver
    instead the shared scheme's context, the ×3-downsampled window of the tile with its halo plus
    3m pixels on every side ((T + 2·halo)/3 + 2m pixels wide; T + 2·halo a multiple of 3).
    ``halo``: extra pixels on each side of the core (for detectors that crop their borders).
    ``tiles``: restrict to
    these (row, col) indices. ``strip_tiles``: strip width S (default: about 4096 px, cut
    evenly, for tiled files; full width for striped files, whose rows GDAL must decode whole).
    ``workers``: threads that assemble the tiles of one row at once (mosaic, context); reading
    stays sequential.
    """

    def __init__(
        self,
        stack: InputStack,
        grid: TileGrid,
        context: bool = False,
        halo: int = 0,
        tiles: Iterable[tuple[int, int]] | None = None,
        strip_tiles: int | None = None,
        workers: int = 1,
        context_margin: int | None = None,
    ):
        self.stack = stack
        self.grid = grid
        self.context = context
        self.context_margin = context_margin if context else None
        self.halo = halo
        if self.context_margin is not None:
            if (grid.tile + 2 * halo) % 3:
                raise ValueError(f"tile {grid.tile} + 2 × halo {halo} must be a multiple of 3")
            self.context_reach = halo + 3 * self.context_margin
        else:
            self.context_reach = grid.tile if context else 0
        self.reach = max(halo, self.context_reach)  # pixels read on each side of a tile
        # read and cached in chunks of at most 512 px that divide the tile: a large block's
        # neighbourhood is read a chunk, not a block, beyond it
        self.chunk = block_within(grid.tile, 512, 1)
        self.chunks = TileGrid(grid.extent, self.chunk)
        self.wanted = None if tiles is None else set(tiles)
        self.strip_tiles = strip_tiles or self._default_strip(stack, grid)
        self.workers = max(1, int(workers))

    @staticmethod
    def _default_strip(stack: InputStack, grid: TileGrid) -> int:
        for source in stack.sources.values():
            block_rows, block_cols = source.dataset.block_shapes[0]
            if block_cols >= source.dataset.width and source.dataset.width > grid.tile:
                return grid.cols  # striped file: whole rows
        strips = math.ceil(grid.extent.width / DEFAULT_STRIP_PIXELS)
        return max(1, math.ceil(grid.cols / strips))

    def __len__(self) -> int:
        return len(self.grid) if self.wanted is None else len(self.wanted)

    def __iter__(self) -> Iterator[TileSample]:
        if self.workers == 1 or not self.reach:
            yield from self._samples(None)
            return
        with ThreadPoolExecutor(self.workers, thread_name_prefix="minecd-tiles") as pool:
            yield from self._samples(pool)

    def order(self) -> list[tuple[int, int]]:
        """(row, col) of the tiles in the order they are delivered."""
        return tile_order(self.grid, self.strip_tiles, self.wanted)

    def _span(self, index: int) -> range:
        """Chunk indices (rows or columns) covering tile ``index`` and its reach."""
        t, cs = self.grid.tile, self.chunk
        return range((index * t - self.reach) // cs, ((index + 1) * t + self.reach - 1) // cs + 1)

    def _samples(self, pool: ThreadPoolExecutor | None) -> Iterator[TileSample]:
        grid = self.grid
        samples = map if pool is None else pool.map
        for c0 in range(0, grid.cols, self.strip_tiles):
            c1 = min(c0 + self.strip_tiles, grid.cols)
            cache: dict[tuple[int, int], tuple[dict, np.ndarray]] = {}
            for r in range(grid.rows):
                cols = [c for c in range(c0, c1) if self.wanted is None or (r, c) in self.wanted]
                first_row = self._span(r)[0]
                for key in [k for k in cache if k[0] < first_row]:
                    del cache[key]
                if pool is not None:  # the whole row is read, then its tiles assembled at once;
                    for c in cols:  # the cache is only read until the row has been handed out
                        self._read(r, c, cache)
                    yield from samples(self._sample, [r] * len(cols), cols, [cache] * len(cols))
                    continue
                for c in cols:
                    self._read(r, c, cache)
                    yield self._sample(r, c, cache)

    def _read(self, r: int, c: int, cache) -> None:
        for key in ((rr, cc) for rr in self._span(r) for cc in self._span(c)):
            if key not in cache:
                cache[key] = self.stack.read(self.chunks.window(*key))

    def _area(self, r: int, c: int, reach: int, cache) -> tuple[dict[str, np.ndarray], np.ndarray]:
        """Tile (r, c) and ``reach`` pixels around it, assembled from cached chunks."""
        t, cs = self.grid.tile, self.chunk
        size = t + 2 * reach
        top, left = r * t - reach, c * t - reach  # the area's origin, relative to the extent's
        data, valid = None, np.zeros((size, size), dtype=bool)
        for rr in range(top // cs, (top + size - 1) // cs + 1):
            for cc in range(left // cs, (left + size - 1) // cs + 1):
                y0, x0 = rr * cs - top, cc * cs - left  # the chunk's origin in the area
                ys, xs = slice(max(y0, 0), min(y0 + cs, size)), slice(max(x0, 0), min(x0 + cs, size))
                arrays, ok = cache[(rr, cc)]
                if data is None:
                    data = {k: np.zeros((a.shape[0], size, size), dtype=a.dtype) for k, a in arrays.items()}
                ty, tx = slice(ys.start - y0, ys.stop - y0), slice(xs.start - x0, xs.stop - x0)
                for k, a in arrays.items():
                    data[k][:, ys, xs] = a[:, ty, tx]
                valid[ys, xs] = ok[ty, tx]
        return data, valid

    def _sample(self, r: int, c: int, cache) -> TileSample:
        tile = self.grid.tile_at(r, c)
        t, h, reach, context_reach = self.grid.tile, self.halo, self.reach, self.context_reach
        area, area_valid = self._area(r, c, reach, cache)
        core = slice(reach - h, reach + t + h)
        sample = TileSample(
            tile,
            {k: _working_dtype(a[:, core, core]) for k, a in area.items()},
            area_valid[core, core].copy(),
        )
        if self.context:
            part = slice(reach - context_reach, reach + t + context_reach)
            sample.context = {}
            for k, a in area.items():
                sample.context[k], sample.context_valid = block_mean(
                    a[:, part, part], area_valid[part, part], 3
                )
        return sample


def tile_order(grid: TileGrid, strip_tiles: int, wanted=None) -> list[tuple[int, int]]:
    """(row, col) of tiles as a TileReader visits them: strip by strip, row by row."""
    return [
        (r, c)
        for c0 in range(0, grid.cols, strip_tiles)
        for r in range(grid.rows)
        for c in range(c0, min(c0 + strip_tiles, grid.cols))
        if wanted is None or (r, c) in wanted
    ]


def block_within(tile: int, limit: int = 512, multiple: int = 16) -> int:
    """The largest size ≤ ``limit`` that divides ``tile`` and is a multiple of ``multiple``
    (``tile`` itself when it is small; 256 when nothing fits): blocks of files and caches that
    tiles of any size fill exactly."""
    if tile <= limit:
        return tile if tile % multiple == 0 else 256
    for size in range(limit - limit % multiple, multiple - 1, -multiple):
        if tile % size == 0:
            return size
    return 256


def context_workers() -> int:
    """Threads for assembling tiles when a GPU does the model's work (the CPU is then the limit)."""
    return max(1, min(8, (os.cpu_count() or 1) // 2))


def _working_dtype(a: np.ndarray) -> np.ndarray:
    return a.astype(np.complex64 if np.iscomplexobj(a) else np.float32)
