"""Writing a synthetic scene pair, block by block, in bounded memory.

Files (in ``out``): ``before.tif``, ``after.tif`` (4-band uint8/uint16 optical, or CFloat32
SLC for SAR), ``labels.tif`` (uint8: 1 true change, 0 no change), ``labels.gpkg`` (the same
changes as polygons), ``scene.json``, ``classes.tif`` (land cover of both dates), ``pseudo.tif``
(bit flags of pseudo-change causes, labelled 0) and for SAR ``gamma.tif`` (true coherence),
optionally ``amplitude_before.tif`` / ``amplitude_after.tif``.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import numpy as np

from ... import __version__
from ...progress import CancelToken, Progress
from ...raster import gdal_env
from . import landcover as lc
from . import optical, sar
from .plan import ScenePlan, plan_scene
from .world import _rasterize, block_transform, earthworks_mask, evaluate, hillshade

BLOCK = 512
# Bumped whenever a seed no longer gives the same scene; cached scenes of another version are stale.
# 2: SAR fields get wetter or drier between the dates (was: always wetter).
GENERATOR_VERSION = 2
# pseudo.tif bit flags
PSEUDO_SEASONAL, PSEUDO_RELIEF, PSEUDO_EQUIPMENT, PSEUDO_HUMIDITY, PSEUDO_LOW_COHERENCE = 1, 2, 4, 8, 16
PSEUDO_EARTHWORKS = 32
PSEUDO_NAMES = {
    PSEUDO_SEASONAL: "seasonal vegetation, crops and water",
    PSEUDO_RELIEF: "illumination and shadows on relief",
    PSEUDO_EQUIPMENT: "moving equipment",
    PSEUDO_HUMIDITY: "humidity on fields",
    PSEUDO_LOW_COHERENCE: "low-coherence vegetation and water",
    PSEUDO_EARTHWORKS: "earthworks outside mine leases",
}


class _Outputs:
    """Temporary GeoTIFFs in the output folder, renamed together on success."""

    def __init__(self, out: Path, plan: ScenePlan):
        import rasterio
        from affine import Affine

        self.rasterio = rasterio
        transform = Affine(plan.pixel_size, 0, plan.origin[0], 0, -plan.pixel_size, plan.origin[1])
        self.base = {
            "driver": "GTiff",
            "width": plan.size,
            "height": plan.size,
            "crs": plan.crs,
            "transform": transform,
            "tiled": True,
            "blockxsize": 256,
            "blockysize": 256,
            "BIGTIFF": "IF_SAFER",
        }
        self.out = out
        self.files: dict[str, tuple[Path, object]] = {}

    def add(self, name, count, dtype, compress=True, nodata=None, descriptions=None, colorinterp=None):
        profile = dict(self.base, count=count, dtype=dtype)
        if compress:
            profile.update(compress="DEFLATE", predictor=2 if np.dtype(dtype).kind in "ui" else 3)
        if nodata is not None:
            profile["nodata"] = nodata
        tmp = self.out / f".{name}.part.tif"
        ds = self.rasterio.open(tmp, "w", **profile)
        for i, text in enumerate(descriptions or [], start=1):
            ds.set_band_description(i, text)
        if colorinterp:
            ds.colorinterp = colorinterp
        self.files[name] = (tmp, ds)

    def write(self, name: str, array: np.ndarray, row: int, col: int) -> None:
        from rasterio.windows import Window

        array = array if array.ndim == 3 else array[None]
        self.files[name][1].write(array, window=Window(col, row, array.shape[2], array.shape[1]))

    def commit(self) -> None:
        for name, (tmp, ds) in self.files.items():
            ds.close()
            os.replace(tmp, self.out / f"{name}.tif")

    def abort(self) -> None:
        for tmp, ds in self.files.values():
            ds.close()
            tmp.unlink(missing_ok=True)


def _coords(plan: ScenePlan, row: int, col: int, h: int, w: int, halo: int = 1, shift=(0.0, 0.0)):
    px = plan.pixel_size
    xs = plan.origin[0] + (np.arange(col - halo, col + w + halo) + 0.5 + shift[0]) * px
    ys = plan.origin[1] - (np.arange(row - halo, row + h + halo) + 0.5 + shift[1]) * px
    return xs, ys


def _crop(world, halo: int = 1):
    for name in ("classes", "fresh", "parcel", "u", "lease"):
        setattr(world, name, getattr(world, name)[halo:-halo, halo:-halo])
    return world


def generate(
    kind: str,
    out: str | os.PathLike,
    size: int = 2048,
    seed: int = 0,
    pixel_size: float | None = None,
    mines: int | None = None,
    change_fraction: tuple[float, float] = (0.03, 0.08),
    pseudo_strength: float = 1.0,
    misregistration: float = 0.0,
    dtype: str = "uint8",
    mix: dict | None = None,
    amplitude: bool = False,
    earthworks: float = 0.0,
    progress=None,
    cancel: CancelToken | None = None,
) -> dict:
    """Write one synthetic scene pair to ``out``; returns the scene description (scene.json)."""
    if kind not in ("optical", "sar"):
        raise ValueError(f"kind must be 'optical' or 'sar', not {kind!r}")
    started = time.perf_counter()
    report = Progress(progress, cancel)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    plan = plan_scene(
        kind,
        size,
        seed,
        pixel_size,
        mines,
        change_fraction,
        pseudo_strength,
        misregistration,
        dtype,
        mix,
        earthworks=earthworks,
    )
    with gdal_env():  # bounded GDAL block cache: memory does not grow with the scene size
        return _write_scene(plan, out, amplitude, report, started)


def _write_scene(plan: ScenePlan, out: Path, amplitude: bool, report: Progress, started: float) -> dict:
    kind, size, dtype = plan.kind, plan.size, plan.dtype
    outputs = _Outputs(out, plan)
    if kind == "optical":
        from rasterio.enums import ColorInterp

        bands = ["red", "green", "blue", "nir"]
        # Without this GDAL tags a 4th band of a uint8 GeoTIFF as alpha, hiding the NIR band.
        interp = [ColorInterp.red, ColorInterp.green, ColorInterp.blue, ColorInterp.undefined]
        for name in ("before", "after"):
            outputs.add(name, 4, dtype, nodata=0, descriptions=bands, colorinterp=interp)
    else:
        outputs.add("before", 1, "complex64", compress=False, descriptions=["SLC"])
        outputs.add("after", 1, "complex64", compress=False, descriptions=["SLC"])
        outputs.add("gamma", 1, "float32", descriptions=["true interferometric coherence"])
        if amplitude:
            outputs.add("amplitude_before", 1, "float32", descriptions=["amplitude"])
            outputs.add("amplitude_after", 1, "float32", descriptions=["amplitude"])
    outputs.add("labels", 1, "uint8", descriptions=["true change"])
    outputs.add("classes", 2, "uint8", descriptions=["land cover before", "land cover after"])
    outputs.add("pseudo", 1, "uint8", descriptions=["pseudo-change causes (bit flags)"])

    changed_pixels, pseudo_counts = 0, dict.fromkeys(PSEUDO_NAMES, 0)
    blocks = [(r, c) for r in range(0, size, BLOCK) for c in range(0, size, BLOCK)]
    report.stage(0.0, 0.97, f"rendering {kind} scene")
    try:
        for i, (row, col) in enumerate(blocks):
            h, w = min(BLOCK, size - row), min(BLOCK, size - col)
            key = (row // BLOCK, col // BLOCK)
            pseudo, labels = _render_block(plan, outputs, row, col, h, w, key, amplitude)
            changed_pixels += int(labels.sum())
            for flag in pseudo_counts:
                pseudo_counts[flag] += int(np.count_nonzero(pseudo & flag))
            report.update((i + 1) / len(blocks), f"block {i + 1}/{len(blocks)}")
        _write_polygons(out, plan)
        outputs.commit()
    except BaseException:
        outputs.abort()
        raise

    total = size * size
    scene = plan.describe()
    scene.update(
        minecd_version=__version__,
        generator_version=GENERATOR_VERSION,
        change_fraction=round(changed_pixels / total, 5),
        changed_pixels=changed_pixels,
        pseudo_change_fraction={PSEUDO_NAMES[f]: round(n / total, 5) for f, n in pseudo_counts.items() if n},
        files=sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) + ["scene.json"],
        generation_s=round(time.perf_counter() - started, 2),
    )
    (out / "scene.json").write_text(json.dumps(scene, indent=2) + "\n")
    report.done()
    return scene


def _render_block(plan, outputs, row, col, h, w, key, amplitude):
    xs_h, ys_h = _coords(plan, row, col, h, w, halo=1)
    shift = plan.dates[1].shift if plan.kind == "optical" else (0.0, 0.0)
    xa_h, ya_h = _coords(plan, row, col, h, w, halo=1, shift=shift)
    before, after = evaluate(plan, xs_h, ys_h, 0), evaluate(plan, xa_h, ya_h, 1)
    dem0, dem1 = before.dem, after.dem
    _crop(before), _crop(after)
    xs, ys, xa, ya = xs_h[1:-1], ys_h[1:-1], xa_h[1:-1], ya_h[1:-1]
    labels = np.zeros((h, w), dtype=np.uint8)
    for change in plan.changes:
        if change.touches(xs, ys):
            labels |= _rasterize([change.geometry], block_transform(plan, xs, ys), (h, w)).astype(np.uint8)
    changed = labels.astype(bool)
    pseudo = np.zeros((h, w), dtype=np.uint8)
    works = earthworks_mask(plan, xs, ys) & ~changed & (before.classes != lc.WATER)
    pseudo[works] |= PSEUDO_EARTHWORKS

    if plan.kind == "optical":
        shades = []
        for date, world, x, y, dem in ((0, before, xs, ys, dem0), (1, after, xa, ya, dem1)):
            look = plan.dates[date]
            shade = hillshade(dem, plan.pixel_size, look.sun_azimuth, look.sun_elevation)
            shade *= optical.building_shadows(plan, world, x, y, date)
            shades.append(shade)
            refl = optical.reflectance(plan, world, x, y, shade, date)
            outputs.write(
                "before" if date == 0 else "after", optical.sensor(plan, refl, x, y, date, key), row, col
            )
        seasonal = np.isin(before.classes, optical.SEASONAL) | np.isin(after.classes, optical.SEASONAL)
        pseudo[seasonal] |= PSEUDO_SEASONAL
        pseudo[np.abs(shades[1] - shades[0]) > 0.2] |= PSEUDO_RELIEF
    else:
        sigma0 = sar.backscatter(plan, before, dem0, xs, ys, 0)
        sigma1 = sar.backscatter(plan, after, dem1, xs, ys, 1)
        gamma = sar.coherence(plan, before, after, changed | works, xs, ys)
        phi = sar.phase(plan, dem1[1:-1, 1:-1], xs, ys)
        z0, z1 = sar.slc_pair(plan, sigma0, sigma1, gamma, phi, key)
        outputs.write("before", z0, row, col)
        outputs.write("after", z1, row, col)
        outputs.write("gamma", gamma, row, col)
        if amplitude:
            outputs.write("amplitude_before", np.abs(z0), row, col)
            outputs.write("amplitude_after", np.abs(z1), row, col)
        moving = sar.equipment_mask(plan, xs, ys, 0) | sar.equipment_mask(plan, xs, ys, 1)
        pseudo[moving] |= PSEUDO_EQUIPMENT
        pseudo[np.isin(before.classes, sar.HUMID) & np.isin(after.classes, sar.HUMID)] |= PSEUDO_HUMIDITY
        low = np.isin(before.classes, sar.LOW_COHERENCE_NATURAL) & (gamma < 0.4)
        pseudo[low] |= PSEUDO_LOW_COHERENCE
    pseudo[changed] = 0
    outputs.write("labels", labels, row, col)
    outputs.write("classes", np.stack([before.classes, after.classes]), row, col)
    outputs.write("pseudo", pseudo, row, col)
    return pseudo, labels


def _write_polygons(out: Path, plan: ScenePlan) -> None:
    from ...vector import write_polygons

    features = [
        (
            c.geometry,
            {
                "id": c.id,
                "type": c.type,
                "mine": c.mine,
                "area_m2": round(c.area_m2, 1),
                "area_ha": round(c.area_m2 / 1e4, 4),
            },
        )
        for c in plan.changes
    ]
    fields = {"id": int, "type": str, "mine": int, "area_m2": float, "area_ha": float}
    write_polygons(out / "labels.gpkg", features, plan.crs, fields)
