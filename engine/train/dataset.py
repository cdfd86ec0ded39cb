"""Training data from a GIS user's material: (before, after, change labels) per scene.

Chips are cut by the inference tiling (``TileReader``, with the same neighbourhood context and
edge policy), normalised with statistics of the training scenes, and cached on disk as
memory-mapped arrays, so memory stays bounded however much data there is. Splits are by site
(three or more scenes) or by spatially disjoint blocks of tiles, never by random chips.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..errors import MineCDError
from ..normalise import apply, fit
from ..raster import InputStack, Window, gdal_env
from ..tiling import TileGrid, TileReader

SPLITS = ("train", "val", "test")
IGNORE = 255
MAX_BLOCK_TILES = 4  # side of the blocks of tiles assigned to one split (smaller on small scenes)


@dataclass
class Scene:
    """One training pair. ``labels``: a raster (non-zero = change) or a polygon file."""

    before: Path
    after: Path
    labels: Path
    name: str
    extra: dict[str, Path] = field(default_factory=dict)  # aligned rasters, e.g. {"coherence": ...}
    aoi: str | None = None

    @classmethod
    def from_dir(cls, folder: str | os.PathLike, extra_names: tuple[str, ...] = ()) -> Scene:
        folder = Path(folder)
        if not folder.is_dir():
            raise MineCDError(f"{folder}: training folder not found")
        labels = next((folder / n for n in ("labels.tif", "labels.gpkg") if (folder / n).exists()), None)
        missing = [n for n in ("before.tif", "after.tif") if not (folder / n).exists()]
        if labels is None:
            missing.append("labels.tif or labels.gpkg")
        if missing:
            raise MineCDError(f"{folder}: missing {', '.join(missing)}")
        extra = {n: folder / f"{n}.tif" for n in extra_names if (folder / f"{n}.tif").exists()}
        return cls(folder / "before.tif", folder / "after.tif", labels, folder.name, extra)

    @property
    def vector_labels(self) -> bool:
        return self.labels.suffix.lower() != ".tif"

    def open(self, bands: list[int] | None, band_count: int | None) -> InputStack:
        paths = {"before": self.before, "after": self.after, **self.extra}
        if not self.vector_labels:
            paths["labels"] = self.labels
        count = {"before": band_count, "after": band_count, "labels": 1, **dict.fromkeys(self.extra, 1)}
        return InputStack(paths, {"before": bands, "after": bands}, self.aoi, count)


def read_labels(scene: Scene, stack: InputStack, sample, geometries) -> np.ndarray:
    """Labels of a tile sample: 1 change, 0 no change, 255 no data (ignored by the loss)."""
    window = sample.tile.window
    if geometries is not None:
        from rasterio.features import rasterize

        truth = rasterize(
            geometries,
            out_shape=sample.valid.shape,
            transform=stack.grid.window_transform(window),
            fill=0,
            default_value=1,
        ).astype(np.uint8)
    else:
        truth = (sample.data["labels"][0] > 0.5).astype(np.uint8)
    truth[~sample.valid] = IGNORE
    return truth


# ---------------------------------------------------------------- splits
def split_by_site(scenes: list[Scene], seed: int) -> dict[str, str]:
    order = list(np.random.default_rng(seed).permutation(len(scenes)))
    n = len(scenes)
    n_test = max(1, round(0.2 * n))
    n_val = max(1, round(0.2 * n))
    names = {}
    for rank, i in enumerate(order):
        names[scenes[i].name] = "test" if rank < n_test else "val" if rank < n_test + n_val else "train"
    return names


def split_by_blocks(grid: TileGrid, seed: int) -> dict[tuple[int, int], str]:
    """6:2:2 over square blocks of tiles; training tiles touching another split are dropped.

    Blocks are 1 to 4 tiles wide, as large as still gives about 12 blocks.
    """
    side = int(min(MAX_BLOCK_TILES, max(1, math.floor(math.sqrt(len(grid) / 12)))))
    rows, cols = math.ceil(grid.rows / side), math.ceil(grid.cols / side)
    blocks = [(r, c) for r in range(rows) for c in range(cols)]
    order = np.random.default_rng(seed).permutation(len(blocks))
    n = len(blocks)
    n_val, n_test = max(1, round(0.2 * n)), max(1, round(0.2 * n))
    block_split = {}
    for rank, i in enumerate(order):
        block_split[blocks[i]] = "test" if rank < n_test else "val" if rank < n_test + n_val else "train"
    tiles = {(r, c): block_split[(r // side, c // side)] for r in range(grid.rows) for c in range(grid.cols)}
    for (r, c), split in list(tiles.items()):
        if split == "train":
            near = {tiles.get((r + dr, c + dc)) for dr in (-1, 0, 1) for dc in (-1, 0, 1)} - {None}
            if near != {"train"}:
                tiles[(r, c)] = None  # buffer: its context would see another split
    return {k: v for k, v in tiles.items() if v}


# ---------------------------------------------------------------- chip cache
class ChipSet:
    """Memory-mapped chips of one split: inputs (N, C, T, T) float16, labels (N, T, T) uint8."""

    def __init__(self, folder: Path, name: str):
        self.folder = folder
        self.name = name
        meta = json.loads((folder / f"{name}.json").read_text())
        self.roles: list[str] = meta["roles"]
        self.count: int = meta["count"]
        self.sources: list = meta["sources"]
        self.arrays = {role: np.load(folder / f"{name}_{role}.npy", mmap_mode="r") for role in self.roles}
        self.labels = np.load(folder / f"{name}_labels.npy", mmap_mode="r")

    def __len__(self) -> int:
        return self.count

    def change_fraction(self) -> np.ndarray:
        """Per chip: fraction of valid pixels labelled change."""
        out = np.zeros(self.count, dtype=np.float32)
        for i in range(self.count):
            lab = self.labels[i]
            valid = lab != IGNORE
            out[i] = (lab[valid] == 1).mean() if valid.any() else 0.0
        return out


@dataclass
class ChipSpec:
    tile: int = 256
    context: bool = True
    bands: list[int] | None = None
    band_count: int | None = 3
    normalisation: str = "zscore"
    overlap: bool = False  # also cut chips on a grid shifted by half a tile (more training chips)
    split: str = "auto"  # auto | site | blocks
    seed: int = 0


def _grids(stack: InputStack, spec: ChipSpec) -> list[TileGrid]:
    grids = [TileGrid(stack.extent, spec.tile)]
    if spec.overlap:
        half = spec.tile // 2
        e = stack.extent
        if e.width > spec.tile and e.height > spec.tile:
            grids.append(
                TileGrid(Window(e.col + half, e.row + half, e.width - half, e.height - half), spec.tile)
            )
    return grids


def input_roles(spec: ChipSpec, extra: list[str]) -> list[str]:
    roles = ["before", "after", *extra]
    if spec.context:
        roles += ["before_context", "after_context"]
    return roles


def build_chips(scenes: list[Scene], spec: ChipSpec, cache: Path, progress=None) -> dict:
    """Cut, normalise and cache the chips of every split. Returns a summary (counts, statistics)."""
    cache.mkdir(parents=True, exist_ok=True)
    if not scenes:
        raise MineCDError("no training scenes given")
    mode = spec.split if spec.split != "auto" else ("site" if len(scenes) >= 3 else "blocks")
    if mode == "site" and len(scenes) < 3:
        raise MineCDError("splitting by site needs at least 3 scenes (train, validation, test)")
    site_split = split_by_site(scenes, spec.seed) if mode == "site" else None
    extra_names = sorted({k for s in scenes for k in s.extra})

    plan = []  # (scene, grid index, {(r, c): split})
    with gdal_env():
        for scene in scenes:
            with scene.open(spec.bands, spec.band_count) as stack:
                for g, grid in enumerate(_grids(stack, spec)):
                    if site_split:
                        tiles = {
                            (r, c): site_split[scene.name] for r in range(grid.rows) for c in range(grid.cols)
                        }
                    else:
                        tiles = split_by_blocks(grid, spec.seed + g)
                    if g and site_split is None:  # shifted grids only add training chips
                        tiles = {k: v for k, v in tiles.items() if v == "train"}
                    plan.append((scene, g, tiles))
        counts = {s: sum(1 for _, _, t in plan for v in t.values() if v == s) for s in SPLITS}
        for split in SPLITS:
            if counts[split] == 0:
                raise MineCDError(f"the data give no {split} chips: add scenes or use larger ones")
        stats = _fit_normalisation(scenes, spec, plan, extra_names)
        writers = _open_cache(cache, spec, counts, extra_names)
        done = {s: 0 for s in SPLITS}
        sources = {s: [] for s in SPLITS}
        total = sum(counts.values())
        for scene, g, tiles in plan:
            geometries = None
            with scene.open(spec.bands, spec.band_count) as stack:
                if scene.vector_labels:
                    from ..vector import read_polygons

                    geometries = read_polygons(scene.labels, stack.grid.crs_wkt())
                grid = _grids(stack, spec)[g]
                for sample in TileReader(stack, grid, context=spec.context, tiles=tiles.keys()):
                    split = tiles[(sample.tile.row, sample.tile.col)]
                    i = done[split]
                    _store(
                        writers[split],
                        i,
                        sample,
                        spec,
                        stats,
                        extra_names,
                        read_labels(scene, stack, sample, geometries),
                    )
                    sources[split].append([scene.name, g, sample.tile.row, sample.tile.col])
                    done[split] += 1
                    if progress:
                        progress(sum(done.values()) / total, f"cutting chips {sum(done.values())}/{total}")
        for split in SPLITS:
            for arr in writers[split].values():
                arr.flush()
            meta = {
                "roles": input_roles(spec, extra_names),
                "count": counts[split],
                "sources": sources[split],
            }
            (cache / f"{split}.json").write_text(json.dumps(meta))
    return {
        "split_mode": mode,
        "counts": counts,
        "normalisation": stats,
        "scenes": {s.name: (site_split or {}).get(s.name, "blocks") for s in scenes},
        "extra_inputs": extra_names,
    }


def _fit_normalisation(scenes, spec: ChipSpec, plan, extra_names) -> dict:
    """Per-channel statistics from a sample of the training tiles (a few per scene)."""
    rng = np.random.default_rng(spec.seed)
    samples: dict[str, list] = {"image": [], **{k: [] for k in extra_names}}
    for scene, g, tiles in plan:
        train = [k for k, v in tiles.items() if v == "train"]
        if not train or g:
            continue
        picks = [train[i] for i in rng.choice(len(train), min(16, len(train)), replace=False)]
        with scene.open(spec.bands, spec.band_count) as stack:
            grid = _grids(stack, spec)[0]
            for sample in TileReader(stack, grid, tiles=picks):
                valid = sample.valid
                for role in ("before", "after"):
                    values = sample.data[role][:, valid]
                    samples["image"].append(
                        values[:, rng.choice(values.shape[1], min(4096, values.shape[1]), replace=False)]
                    )
                for k in extra_names:
                    values = sample.data[k][:, valid]
                    samples[k].append(
                        values[:, rng.choice(values.shape[1], min(4096, values.shape[1]), replace=False)]
                    )
    if not samples["image"]:
        raise MineCDError("no valid training pixels to compute the normalisation from")
    stats = {"image": fit(spec.normalisation, np.concatenate(samples["image"], axis=1))}
    for k in extra_names:
        stats[k] = fit(spec.normalisation, np.concatenate(samples[k], axis=1))
    return stats


def _open_cache(cache: Path, spec: ChipSpec, counts: dict, extra_names: list[str]) -> dict:
    channels = spec.band_count or len(spec.bands or [])
    writers = {}
    for split in SPLITS:
        n = counts[split]
        arrays = {}
        for role in input_roles(spec, extra_names):
            c = 1 if role in extra_names else channels
            arrays[role] = np.lib.format.open_memmap(
                cache / f"{split}_{role}.npy", "w+", np.float16, (n, c, spec.tile, spec.tile)
            )
        arrays["labels"] = np.lib.format.open_memmap(
            cache / f"{split}_labels.npy", "w+", np.uint8, (n, spec.tile, spec.tile)
        )
        writers[split] = arrays
    return writers


def _store(arrays: dict, i: int, sample, spec: ChipSpec, stats: dict, extra_names, labels) -> None:
    for role in ("before", "after"):
        arrays[role][i] = apply(stats["image"], sample.data[role][None], sample.valid[None])[0]
        if spec.context:
            arrays[f"{role}_context"][i] = apply(
                stats["image"], sample.context[role][None], sample.context_valid[None]
            )[0]
    for k in extra_names:
        arrays[k][i] = apply(stats[k], sample.data[k][None], sample.valid[None])[0]
    arrays["labels"][i] = labels
