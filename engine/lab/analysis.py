"""The INSINet paper's analyses on test scenes: neighbourhood rings and input scales.

* **Rings**: every pixel of a tile falls in the outer ring (within T/8 of the tile's border),
  the middle ring (T/8 to 2T/8), the inner ring (2T/8 to 3T/8) or the core. Without
  neighbourhood context, models see less around pixels near tile borders, so F1 drops there.
  The tile grid is laid at several offsets so that each ring sees the same ground.
* **Scales**: both images are downsampled ×2 … ×16 (area average) and restored to the original
  grid (bilinear) before detection; F1 per factor shows how much scale detail a model needs.
"""

from __future__ import annotations

import itertools
import os
import tempfile
from pathlib import Path

import numpy as np

from ..detect import detect_changes
from ..errors import MineCDError
from ..metrics import Confusion
from ..raster import InputStack, Window, gdal_env

RINGS = ("outer", "middle", "inner", "core")


def ring_index(tile: int, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """0..3 (outer, middle, inner, core) for tile-relative pixel rows/cols."""
    r, c = rows % tile, cols % tile
    edge = np.minimum(np.minimum(r, tile - 1 - r), np.minimum(c, tile - 1 - c))
    return np.minimum(edge // (tile // 8), 3)


COUNTS = ("tp", "fp", "fn", "tn")


def ring_counts(
    mask: str | os.PathLike,
    labels: str | os.PathLike,
    tile: int,
    only: Window | None = None,
    origin: tuple[int, int] = (0, 0),
    block: int | None = None,
) -> np.ndarray:
    """Confusion counts per ground block and ring: shape (block rows, block cols, 4 rings, 4).

    The mask's grid starts at a tile corner, ``origin`` (rows, cols) into the scene; ground
    blocks of ``block`` px are laid on the scene from its corner (one block: ``None``), so the
    runs of every shifted grid add up block by block. The last axis is tp, fp, fn, tn.
    ``only``: count the pixels of this window of the mask only.
    """
    dy, dx = origin
    with (
        gdal_env(),
        InputStack({"pred": mask, "labels": labels}, band_count={"pred": 1, "labels": 1}) as stack,
    ):
        ext = stack.extent
        height, width = ext.height + dy, ext.width + dx
        block = block or max(height, width)
        shape = (-(-height // block), -(-width // block), len(RINGS), len(COUNTS))
        out = np.zeros(shape, np.int64)
        for row in range(ext.row, ext.row_end, tile):
            window = Window(ext.col, row, ext.width, min(tile, ext.row_end - row))
            arrays, valid = stack.read(window)
            pred = arrays["pred"][0]
            valid &= pred != 255
            rows = np.arange(window.row, window.row_end)[:, None] - ext.row
            cols = np.arange(window.col, window.col_end)[None, :] - ext.col
            rows, cols = np.broadcast_to(rows, pred.shape), np.broadcast_to(cols, pred.shape)
            if only is not None:
                valid &= (
                    (rows >= only.row) & (rows < only.row_end) & (cols >= only.col) & (cols < only.col_end)
                )
            change, truth = pred == 1, arrays["labels"][0] >= 0.5
            outcome = 2 * ~change + ~truth  # 0 tp, 1 fp, 2 fn, 3 tn
            cell = ((rows + dy) // block * shape[1] + (cols + dx) // block) * len(RINGS)
            key = ((cell + ring_index(tile, rows, cols)) * len(COUNTS) + outcome)[valid]
            out += np.bincount(key, minlength=out.size).reshape(shape)
    return out


def ring_confusions(
    mask: str | os.PathLike, labels: str | os.PathLike, tile: int, only: Window | None = None
) -> dict[str, Confusion]:
    """Confusion per ring of the detection tiles (the mask's grid starts at a tile corner)."""
    return _confusions(ring_counts(mask, labels, tile, only).sum(axis=(0, 1)))


def _confusions(totals: np.ndarray) -> dict[str, Confusion]:
    """Counts (4 rings, tp/fp/fn/tn) as a Confusion per ring name."""
    return {name: Confusion(*(int(v) for v in t)) for name, t in zip(RINGS, totals)}


def _ring_f1(counts: np.ndarray) -> np.ndarray:
    """F1 per ring from counts (..., 4 rings, tp/fp/fn/tn)."""
    tp, fp, fn = counts[..., 0], counts[..., 1], counts[..., 2]
    return np.divide(2 * tp, 2 * tp + fp + fn, out=np.zeros(tp.shape), where=(2 * tp + fp + fn) > 0)


def ring_bootstrap(blocks: dict[str, np.ndarray], resamples: int = 2000, seed: int = 0) -> dict:
    """Uncertainty of the core − outer F1 drop from resampling ground blocks (paired).

    ``blocks``: per detector, counts of shape (n blocks, 4 rings, 4) for the same ground blocks.
    Blocks are drawn with replacement, the same draw for every detector, and F1 per ring is
    recomputed from the summed counts. This measures how much the result depends on which
    ground was tested, not how much it would change with another training run.
    Returns 95 % percentile intervals of each drop and, for the first detector against each
    other one, of the ratio of their drops and the share of resamples where that ratio is ≤ ½.
    The ratio is unbounded (None) in resamples where the other detector shows no drop.
    """
    labels = list(blocks)
    n = len(blocks[labels[0]])
    rng = np.random.default_rng(seed)
    weights = np.stack([np.bincount(rng.integers(0, n, n), minlength=n) for _ in range(resamples)])
    drops = {}
    for label in labels:
        f1 = _ring_f1(np.einsum("rb,bkc->rkc", weights, blocks[label]))
        drops[label] = f1[:, RINGS.index("core")] - f1[:, RINGS.index("outer")]

    def interval(values: np.ndarray) -> list[float | None]:
        """2.5th and 97.5th percentiles (sample values; None where unbounded)."""
        bounds = np.percentile(values, [2.5, 97.5], method="inverted_cdf")
        return [float(v) if np.isfinite(v) else None for v in bounds]

    out = {
        "ground_blocks": int(n),
        "resamples": int(resamples),
        "drop_ci95": {label: interval(drops[label]) for label in labels},
        "drop_ratio": {},
    }
    first = labels[0]
    for other in labels[1:]:
        ratio = np.divide(drops[first], drops[other], out=np.full(resamples, np.inf), where=drops[other] > 0)
        out["drop_ratio"][f"{first} / {other}"] = {
            "ci95": interval(ratio),
            "share_at_most_half": float(np.mean(ratio <= 0.5)),
            "share_without_a_drop": float(np.mean(drops[other] <= 0)),
        }
    return out


def _scene_grid(scene: Path) -> tuple[tuple[float, float, float, float], tuple[float, float], int, int]:
    """Bounds, resolution, height and width of the scene's before raster."""
    import rasterio

    with rasterio.open(scene / "before.tif") as ds:
        return tuple(ds.bounds), ds.res, ds.height, ds.width


def _ring_run(
    scene: Path, grid, detector, mask: Path, dy: int, dx: int, interior: bool, device: str, block: int
):
    """Detect on the tile grid starting (dy, dx) into the scene: the tile size and ring counts
    per ground block (see ``ring_counts``).

    ``interior``: count only the scene one tile in from its border (whole tiles of every grid).
    """
    (left, bottom, right, top), (xres, yres), height, width = grid
    aoi = f"{left + dx * xres},{bottom},{right},{top - dy * yres}" if dy or dx else None
    summary = detect_changes(
        scene / "before.tif", scene / "after.tif", detector, mask, aoi=aoi, device=device
    )
    tile = summary["tile"]
    only = None
    if interior:
        if min(height, width) < 3 * tile:
            raise MineCDError(
                f"{scene}: shifted grids need scenes of at least 3 tiles ({3 * tile} px) a side; "
                "use one grid (--shifts 1)"
            )
        only = Window(tile - dx, tile - dy, width - 2 * tile, height - 2 * tile)
    return tile, ring_counts(mask, scene / "labels.tif", tile, only, origin=(dy, dx), block=block)


def ring_analysis(
    scenes: list[Path],
    detectors: dict[str, str],
    work: Path,
    device: str = "auto",
    log=print,
    shifts: int = 4,
    bootstrap: int = 0,
    block: int = 512,
) -> dict:
    """F1 per ring for each detector over all ``scenes`` (folders with before/after/labels.tif).

    With ``shifts`` = k the tile grid is laid k × k times, offset by multiples of T/k in rows and
    columns, so every piece of ground is seen in every ring: the F1 differences between rings then
    come from the position in the tile alone, not from which objects happen to lie in the core.
    Context beyond the shifted grid's start is real data and is used, as in any run. Only the
    scene's interior (one tile in from its border), which every grid covers with whole tiles,
    is counted then.

    ``bootstrap`` > 0: also resample ground blocks of ``block`` px that many times (the same
    blocks for every detector) for 95 % intervals of the drops and of their ratio
    (``ring_bootstrap``); the result then has a "bootstrap" entry.
    """
    if bootstrap > 0 and block < 1:
        raise MineCDError(f"ground blocks for the bootstrap must be at least 1 px, not {block}")
    shifts = max(1, shifts)
    result, blocks = {}, {}
    for label, detector in detectors.items():
        per_scene = []
        tile = None
        for scene in scenes:
            grid = _scene_grid(scene)
            mask = work / f"{scene.name}_{label}.tif"
            # The plain grid first: its run gives the tile size, which places the shifted grids.
            tile, counts = _ring_run(scene, grid, detector, mask, 0, 0, shifts > 1, device, block)
            step = tile // shifts
            for i, j in itertools.product(range(shifts), repeat=2):
                if i or j:
                    _, shifted = _ring_run(
                        scene, grid, detector, mask, i * step, j * step, True, device, block
                    )
                    counts += shifted
            per_scene.append(counts.reshape(-1, len(RINGS), len(COUNTS)))
        blocks[label] = np.concatenate(per_scene)
        totals = _confusions(blocks[label].sum(axis=0))
        f1 = {n: totals[n].metrics()["f1"] for n in RINGS}
        f1["drop_core_minus_outer"] = f1["core"] - f1["outer"]
        result[label] = {
            "tile": tile,
            "grid_offsets": shifts**2,
            "f1": f1,
            "pixels": {n: totals[n].total for n in RINGS},
            "true_change_fraction": {
                n: (totals[n].tp + totals[n].fn) / max(1, totals[n].total) for n in RINGS
            },
        }
        log(f"{label}: " + ", ".join(f"{k} {v:.4f}" for k, v in f1.items()))
    if bootstrap > 0:
        used = blocks[next(iter(blocks))].sum(axis=(1, 2)) > 0  # the same ground for every detector
        stats = ring_bootstrap({k: v[used] for k, v in blocks.items()}, bootstrap)
        result["bootstrap"] = {"block_px": block, **stats}
        for name, entry in stats["drop_ratio"].items():
            lo, hi = ("unbounded" if v is None else f"{v:.3f}" for v in entry["ci95"])
            log(f"drop ratio {name}: 95 % interval {lo} to {hi}, ≤ 0.5 in {entry['share_at_most_half']:.1%}")
    return result


def degrade(path: Path, factor: int, out: Path) -> Path:
    """Area-average ``path`` by ``factor`` and restore it to its grid (bilinear), streamed by GDAL."""
    from osgeo import gdal

    with gdal_env():
        src = gdal.Open(str(path))
        width, height = src.RasterXSize, src.RasterYSize
        small = out.with_suffix(".small.tif")
        gdal.Translate(
            str(small),
            src,
            width=max(1, width // factor),
            height=max(1, height // factor),
            resampleAlg="average",
            creationOptions=["TILED=YES", "COMPRESS=DEFLATE"],
        )
        gdal.Warp(
            str(out),
            str(small),
            width=width,
            height=height,
            outputBounds=_bounds(src),
            resampleAlg="bilinear",
            creationOptions=["TILED=YES", "COMPRESS=DEFLATE"],
        )
        src = None
        small.unlink()
    return out


def _bounds(ds) -> tuple[float, float, float, float]:
    gt = ds.GetGeoTransform()
    x0, y0 = gt[0], gt[3]
    x1, y1 = x0 + gt[1] * ds.RasterXSize, y0 + gt[5] * ds.RasterYSize
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


def scale_analysis(
    scenes: list[Path], detectors: dict[str, str], factors=(1, 2, 4, 8, 16), device: str = "auto", log=print
) -> dict:
    """F1 per downsampling factor for each detector over all ``scenes``."""
    from ..metrics import evaluate_files

    result = {label: {} for label in detectors}
    with tempfile.TemporaryDirectory(prefix="minecd-scales-") as tmp:
        tmp = Path(tmp)
        for factor in factors:
            totals = {label: Confusion() for label in detectors}
            for scene in scenes:
                pair = [scene / "before.tif", scene / "after.tif"]
                if factor > 1:
                    pair = [degrade(p, factor, tmp / f"{scene.name}_{p.stem}_x{factor}.tif") for p in pair]
                for label, detector in detectors.items():
                    mask = tmp / f"{scene.name}_{label}_x{factor}_mask.tif"
                    detect_changes(pair[0], pair[1], detector, mask, device=device)
                    m = evaluate_files(mask, scene / "labels.tif")
                    totals[label] += Confusion(m["tp"], m["fp"], m["fn"], m["tn"])
            for label in detectors:
                result[label][f"x{factor}"] = totals[label].metrics()["f1"]
            log(
                f"x{factor}: "
                + ", ".join(f"{label} {result[label][f'x{factor}']:.4f}" for label in detectors)
            )
    return result
