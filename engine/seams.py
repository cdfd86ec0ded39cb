"""Seam ratio of a probability raster: do tiles join without a visible step?

The mean |Δp| between the two pixel rows (columns) either side of each tile border, over the mean
|Δp| between all other adjacent rows (columns). 1 means no seam; tiles predicted independently of
their neighbours show several times more. Read in strips of rows: any size of raster.
"""

from __future__ import annotations

import numpy as np

STRIP = 1024


def seam_ratio(path, period: int, offset: int = 0, nodata: float | None = None) -> float:
    """Borders every ``period`` pixels from ``offset`` (the tile grid), rows and columns together."""
    sums, counts = seam_sums(path, period, offset, nodata)
    return float((sums[0] / max(counts[0], 1)) / (sums[1] / max(counts[1], 1)))


def pooled_ratio(parts) -> float:
    """The seam ratio of several rasters together, from their ``seam_sums``."""
    sums = sum(np.asarray(p[0]) for p in parts)
    counts = sum(np.asarray(p[1]) for p in parts)
    return float((sums[0] / max(counts[0], 1)) / (sums[1] / max(counts[1], 1)))


def seam_sums(path, period: int, offset: int = 0, nodata: float | None = None):
    """Sums and counts of |Δp| at borders and elsewhere: ([border, other], [border, other])."""
    import rasterio
    from rasterio.windows import Window

    sums = np.zeros(2)  # border, other
    counts = np.zeros(2)
    with rasterio.open(path) as ds:
        nodata = ds.nodata if nodata is None else nodata
        width, height = ds.width, ds.height
        last = None  # the previous strip's last row, for the step between strips
        for row in range(0, height, STRIP):
            block = ds.read(1, window=Window(0, row, width, min(STRIP, height - row))).astype(np.float64)
            valid = np.isfinite(block) & (block != nodata if nodata is not None else True)
            _add(
                sums,
                counts,
                np.abs(np.diff(block, axis=1)),
                valid[:, 1:] & valid[:, :-1],
                0,
                period,
                offset,
                1,
            )
            if last is not None:
                block, valid = np.vstack([last[0], block]), np.vstack([last[1], valid])
            first = row - 1 if last is not None else row
            _add(
                sums, counts, np.abs(np.diff(block, axis=0)), valid[1:] & valid[:-1], first, period, offset, 0
            )
            last = (block[-1:], valid[-1:])
    return sums.tolist(), counts.tolist()


def _add(sums, counts, steps, valid, first: int, period: int, offset: int, axis: int) -> None:
    """Accumulate steps between index i and i+1 along ``axis``; border when i+1 is on the grid."""
    n = steps.shape[axis]
    index = np.arange(n) + first + 1
    border = (index - offset) % period == 0
    shape = (n, 1) if axis == 0 else (1, n)
    border = np.broadcast_to(border.reshape(shape), steps.shape)
    for k, where in enumerate((border, ~border)):
        mask = where & valid
        sums[k] += steps[mask].sum()
        counts[k] += mask.sum()
