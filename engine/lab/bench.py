"""``python -m engine bench``: throughput and peak memory of detection on large scenes.

Each scene size runs in a fresh subprocess so its peak RSS is its own. Input pairs are 3-band
tiled GeoTIFFs written window by window (never whole in memory) and cached in the work folder.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

BLOCK = 1024


def _write_blocks(path: Path, size: int, pixel_m: float, options: dict, block) -> None:
    """Write ``block(row, col) -> (bands, BLOCK, BLOCK)`` block by block to a tiled GeoTIFF, atomically."""
    import rasterio
    from rasterio.transform import from_origin
    from rasterio.windows import Window

    from ..raster import gdal_env

    profile = {
        "driver": "GTiff", "width": size, "height": size, "crs": "EPSG:32650",
        "transform": from_origin(500_000, 4_000_000, pixel_m, pixel_m), "tiled": True,
        "blockxsize": 256, "blockysize": 256, "BIGTIFF": "IF_SAFER", **options,
    }  # fmt: skip
    tmp = path.with_suffix(".part.tif")
    with gdal_env(), rasterio.open(tmp, "w", **profile) as dst:
        for row in range(0, size, BLOCK):
            for col in range(0, size, BLOCK):
                h, w = min(BLOCK, size - row), min(BLOCK, size - col)
                dst.write(block(row, col)[:, :h, :w], window=Window(col, row, w, h))
    os.replace(tmp, path)


def write_bench_scene(path: Path, size: int, dtype: str, seed: int, change: bool) -> None:
    """A smooth random 3-band scene; ``change`` adds a bright block change and a gain/offset."""
    scale = 255 if dtype == "uint8" else 4095

    def block(row: int, col: int) -> np.ndarray:
        rng = np.random.default_rng([seed, row, col])
        coarse = rng.random((3, BLOCK // 64, BLOCK // 64))
        img = np.kron(coarse, np.ones((64, 64))) * 0.6 + 0.2
        img += rng.normal(0, 0.02, img.shape)
        if change:
            img = img * 0.9 + 0.05
            if (row // BLOCK + col // BLOCK) % 7 == 0:
                img[:, 200:700, 300:800] = 0.95
        return (img.clip(0, 1) * scale).astype(dtype)

    options = {"count": 3, "dtype": dtype, "compress": "DEFLATE", "ZLEVEL": 1}
    _write_blocks(path, size, 1, options, block)


def _circular_gaussian(rng: np.random.Generator) -> np.ndarray:
    return (rng.normal(size=(BLOCK, BLOCK)) + 1j * rng.normal(size=(BLOCK, BLOCK))) / np.sqrt(2)


def write_bench_slc(path: Path, size: int, seed: int, change: bool) -> None:
    """A CFloat32 SLC with speckle; the ``change`` date keeps coherence 0.8 except in block changes."""

    def block(row: int, col: int) -> np.ndarray:
        rng = np.random.default_rng([seed, row, col])
        amplitude = np.kron(rng.random((BLOCK // 64, BLOCK // 64)), np.ones((64, 64))) + 0.3
        z = _circular_gaussian(rng)
        if change:
            fresh = _circular_gaussian(np.random.default_rng([seed + 1, row, col]))
            gamma = np.full((BLOCK, BLOCK), 0.8)
            if (row // BLOCK + col // BLOCK) % 7 == 0:
                gamma[200:700, 300:800] = 0.0
                amplitude[200:700, 300:800] *= 2.5
            z = gamma * z + np.sqrt(1 - gamma**2) * fresh
        return (amplitude * z).astype(np.complex64)[None]

    _write_blocks(path, size, 5, {"count": 1, "dtype": "complex64"}, block)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


SEAM_MAX_SIZE = 4096  # larger scenes are timed only (the seam ratio needs a second run)


def run_one(before: str, after: str, detector: str, out: str, options: dict) -> dict:
    """Runs in the child process: one detection (the mask, timed), its peak RSS; then, on scenes up
    to SEAM_MAX_SIZE, a second run writing the probability for the seam ratio."""
    from ..detect import detect_changes
    from ..seams import seam_ratio

    summary = detect_changes(before, after, detector, out, **options)
    summary["peak_rss_mb"] = round(peak_rss_mb(), 1)
    summary["seam_ratio"] = summary["seam_ratio_256"] = None
    if summary["width"] <= SEAM_MAX_SIZE:
        probability = str(Path(out).with_name(Path(out).stem + "_probability.tif"))
        detect_changes(before, after, detector, out, prob_out=probability, **options)
        summary["seam_ratio"] = round(seam_ratio(probability, summary["tile"]), 3)
        summary["seam_ratio_256"] = round(seam_ratio(probability, 256), 3)
        Path(probability).unlink(missing_ok=True)
    return summary


def bench(
    sizes,
    dtypes,
    detector: str,
    workdir: Path,
    out: Path,
    tile: int | None = None,
    batch: int | None = None,
    overlap: int | None = None,
    runtime: str = "auto",
    log=print,
):
    workdir.mkdir(parents=True, exist_ok=True)
    rows = []
    for dtype in dtypes:
        for size in sizes:
            before = workdir / f"bench_{size}_{dtype}_before.tif"
            after = workdir / f"bench_{size}_{dtype}_after.tif"
            for path, change in ((before, False), (after, True)):
                if not path.exists():
                    t0 = time.perf_counter()
                    if dtype == "complex64":
                        write_bench_slc(path, size, seed=size, change=change)
                    else:
                        write_bench_scene(path, size, dtype, seed=size, change=change)
                    log(f"wrote {path.name} in {time.perf_counter() - t0:.1f} s")
            mask = workdir / f"mask_{size}_{dtype}.tif"
            options = {"tile": tile, "batch": batch, "overlap": overlap, "runtime": runtime}
            call = f"run_one({str(before)!r}, {str(after)!r}, {detector!r}, {str(mask)!r}, {options!r})"
            code = f"import json; from engine.lab.bench import run_one; print(json.dumps({call}))"
            proc = subprocess.run(
                [sys.executable, "-c", code],
                capture_output=True,
                text=True,
                cwd=Path(__file__).resolve().parents[2],
            )
            if proc.returncode != 0:
                raise RuntimeError(f"benchmark run failed for {size} {dtype}:\n{proc.stderr[-2000:]}")
            s = json.loads(proc.stdout.strip().splitlines()[-1])
            row = {
                "size": size,
                "dtype": dtype,
                "detector": s["detector"],
                "device": s["device"],
                "mpix": round(size * size / 1e6, 1),
                "runtime_s": s["runtime_s"],
                "mpix_per_s": s["mpix_per_s"],
                "peak_rss_mb": s["peak_rss_mb"],
                "tile": s["tile"],
                "overlap": s["overlap"],
                "batch": s["batch"],
                "runtime": s.get("runtime") or "numpy",
                "seam_ratio": s["seam_ratio"],
                "seam_ratio_256": s["seam_ratio_256"],
                "pixels_read_per_output_pixel": s["pixels_read_per_output_pixel"],
                "sampling_pixels_read_per_output_pixel": s["sampling_pixels_read_per_output_pixel"],
            }
            rows.append(row)
            log(json.dumps(row))
            mask.unlink(missing_ok=True)
    result = {
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
        },
        "options": {"tile": tile, "batch": batch, "overlap": overlap, "runtime": runtime},
        "rows": rows,
    }
    for dtype in dtypes:
        by_size = {r["size"]: r["peak_rss_mb"] for r in rows if r["dtype"] == dtype}
        if len(by_size) > 1:
            result[f"rss_ratio_largest_vs_smallest_{dtype}"] = round(
                by_size[max(by_size)] / by_size[min(by_size)], 3
            )
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    out.with_suffix(".md").write_text(markdown_table(result))
    return result


def _number(value) -> str:
    return "–" if value is None else f"{value:.2f}"


def markdown_table(result: dict) -> str:
    lines = [
        "| scene | dtype | detector | device | runtime | tile + overlap | time (s) | MPix/s | seam ratio "
        "| peak RSS (MB) | pixels read / output pixel (tiles + sampling) |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in result["rows"]:
        lines.append(
            f"| {r['size']}² | {r['dtype']} | {r['detector']} | {r['device']} | {r['runtime']} | "
            f"{r['tile']} + {r['overlap']} | {r['runtime_s']:.1f} | {r['mpix_per_s']:.2f} | "
            f"{_number(r['seam_ratio'])} | {r['peak_rss_mb']:.0f} | "
            f"{r['pixels_read_per_output_pixel']:.3f} + "
            f"{r['sampling_pixels_read_per_output_pixel']:.3f} |"
        )
    ratios = {k: v for k, v in result.items() if k.startswith("rss_ratio")}
    machine = result["machine"]
    lines.append("")
    lines.append(f"Machine: {machine['cpus']} CPUs, {machine['platform']}.")
    lines.append("Seam ratio: mean |Δp| across tile (block) borders over the mean elsewhere; 1 = seam-free.")
    for key, value in ratios.items():
        lines.append(f"Peak RSS, largest vs smallest scene ({key.rsplit('_', 1)[1]}): {value}×")
    return "\n".join(lines) + "\n"
