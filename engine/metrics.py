"""Change-detection metrics from a confusion matrix accumulated over whole scenes (the field's
convention: one matrix over the whole test set, not an average of per-tile scores)."""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from pathlib import Path

import numpy as np

from .errors import MineCDError

EVAL_BLOCK = 1024
MASK_NODATA = 255


@dataclass
class Confusion:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, pred: np.ndarray, truth: np.ndarray, valid: np.ndarray | None = None) -> Confusion:
        pred, truth = np.asarray(pred, bool), np.asarray(truth, bool)
        if valid is not None:
            pred, truth = pred[valid], truth[valid]
        self.tp += int(np.count_nonzero(pred & truth))
        self.fp += int(np.count_nonzero(pred & ~truth))
        self.fn += int(np.count_nonzero(~pred & truth))
        self.tn += int(np.count_nonzero(~pred & ~truth))
        return self

    def __iadd__(self, other: Confusion) -> Confusion:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))
        return self

    @property
    def total(self) -> int:
        return self.tp + self.fp + self.fn + self.tn

    def metrics(self) -> dict:
        """Pre, Rec, OA, IoU, F1 of the change class and Cohen's kappa (fractions in [0, 1])."""
        tp, fp, fn, tn, n = self.tp, self.fp, self.fn, self.tn, self.total

        def ratio(a, b):
            return a / b if b else 0.0

        precision, recall = ratio(tp, tp + fp), ratio(tp, tp + fn)
        oa = ratio(tp + tn, n)
        expected = ratio((tp + fp) * (tp + fn) + (fn + tn) * (fp + tn), n * n)
        kappa = ratio(oa - expected, 1 - expected) if n else 0.0
        return {
            "precision": precision,
            "recall": recall,
            "oa": oa,
            "iou": ratio(tp, tp + fp + fn),
            "f1": ratio(2 * tp, 2 * tp + fp + fn),
            "kappa": kappa,
            "tp": tp,
            "fp": fp,
            "fn": fn,
            "tn": tn,
            "pixels": n,
        }


def evaluate_files(
    pred: str | os.PathLike,
    reference: str | os.PathLike,
    regions: str | os.PathLike | None = None,
    region_flags: dict[int, str] | None = None,
) -> dict:
    """Compare a change mask (1 change, 0 no change, 255 nodata) with a reference.

    ``reference``: a raster (non-zero = change; its nodata is ignored) or a polygon file (any
    OGR vector: inside a polygon = change). Windows are read on the mask's grid. ``regions``: an
    optional uint8 raster of bit flags (e.g. the synthetic scenes' pseudo.tif); for each flag in
    ``region_flags`` the false-positive rate inside that region is reported.
    """
    from .raster import InputStack, gdal_env

    reference = str(reference)
    vector = _is_vector(reference)
    paths = {"pred": pred} if vector else {"pred": pred, "reference": reference}
    if regions:
        paths["regions"] = regions
    confusion = Confusion()
    region_fp = {flag: [0, 0] for flag in (region_flags or {})}
    with gdal_env(), InputStack(paths, band_count={k: 1 for k in paths}) as stack:
        geometries = None
        if vector:
            from .vector import read_polygons

            geometries = read_polygons(reference, stack.grid.crs_wkt())
        from .raster import Window

        ext = stack.extent
        for row in range(ext.row, ext.row_end, EVAL_BLOCK):
            for col in range(ext.col, ext.col_end, EVAL_BLOCK):
                window = Window(
                    col, row, min(EVAL_BLOCK, ext.col_end - col), min(EVAL_BLOCK, ext.row_end - row)
                )
                arrays, valid = stack.read(window)
                p = arrays["pred"][0]
                valid &= p != MASK_NODATA
                if vector:
                    truth = _rasterize(geometries, stack.grid.window_transform(window), p.shape)
                else:
                    truth = arrays["reference"][0] >= 0.5
                predicted = p == 1
                confusion.add(predicted, truth, valid)
                if regions:
                    flags = arrays["regions"][0].astype(np.uint8)
                    for flag, counts in region_fp.items():
                        inside = valid & ((flags & flag) > 0) & ~truth
                        counts[0] += int(np.count_nonzero(predicted & inside))
                        counts[1] += int(np.count_nonzero(inside))
    result = confusion.metrics()
    if region_flags:
        result["false_positive_rate_in"] = {
            region_flags[flag]: (fp / n if n else None) for flag, (fp, n) in region_fp.items()
        }
    return result


def _is_vector(path: str) -> bool:
    suffix = Path(path).suffix.lower()
    if suffix in (".gpkg", ".shp", ".geojson", ".json", ".kml", ".gml", ".sqlite"):
        return True
    if suffix in (".tif", ".tiff", ".vrt", ".img", ".jp2", ".png"):
        return False
    if not os.path.exists(path):
        raise MineCDError(f"{path}: file not found")
    from osgeo import ogr

    return ogr.Open(path) is not None


def _rasterize(geometries, transform, shape) -> np.ndarray:
    from rasterio.features import rasterize

    return (
        rasterize(geometries, out_shape=shape, transform=transform, fill=0, default_value=1, dtype="uint8")
        > 0
    )


def format_table(rows: dict[str, dict]) -> str:
    """A plain-text table of metrics (percent) for one or more named results."""
    head = f"{'':<22}{'Pre':>8}{'Rec':>8}{'OA':>8}{'IoU':>8}{'F1':>8}{'Kappa':>8}"
    lines = [head]
    for name, m in rows.items():
        lines.append(
            f"{name:<22}"
            + "".join(f"{100 * m[k]:>8.2f}" for k in ("precision", "recall", "oa", "iou", "f1", "kappa"))
        )
    return "\n".join(lines)
