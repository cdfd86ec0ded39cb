"""Training data from a GIS user's material: (before, after, change labels) per scene.

Chips are cut by the inference tiling (``TileReader``, with the same neighbourhood context and
edge policy), normalised with statistics of the training scenes, and cached on disk as
memory-mapped arrays, so memory stays bounded however much data there is. Splits are by site
(three or more scenes) or by spatially disjoint blocks of tiles, never by random chips.

What a chip holds comes from the architecture's chip maker (``archs/*.py``: ``arrays``,
``prepare``, ``cut``, ``statistics_values``, ``group``, ``normalise_in_cache``); this module
knows no architecture.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..archs.base import IGNORE
from ..errors import MineCDError
from ..normalise import apply, fit
from ..raster import InputStack, Window, gdal_env
from ..tiling import TileGrid, TileReader

SPLITS = ("train", "val", "test")
MAX_BLOCK_TILES = 4  # side of the blocks of tiles assigned to one split (smaller on small scenes)


@dataclass
class Scene:
    """One training pair. ``labels``: a raster (non-zero = change) or a polygon file."""

    before: Path
    after: Path
    labels: Path | None  # None: an unlabelled scene (pseudo-labelling)
    name: str
    extra: dict[str, Path] = field(default_factory=dict)  # aligned rasters, e.g. {"coherence": ...}
    aoi: str | None = None

    @classmethod
    def from_dir(
        cls, folder: str | os.PathLike, extra_names: tuple[str, ...] = (), labelled: bool = True
    ) -> Scene:
        folder = Path(folder)
        if not folder.is_dir():
            raise MineCDError(f"{folder}: training folder not found")
        labels = next((folder / n for n in ("labels.tif", "labels.gpkg") if (folder / n).exists()), None)
        missing = [n for n in ("before.tif", "after.tif") if not (folder / n).exists()]
        if labels is None and labelled:
            missing.append("labels.tif or labels.gpkg")
        if missing:
            raise MineCDError(f"{folder}: missing {', '.join(missing)}")
        extra = {n: folder / f"{n}.tif" for n in extra_names if (folder / f"{n}.tif").exists()}
        return cls(folder / "before.tif", folder / "after.tif", labels, folder.name, extra)

    @property
    def vector_labels(self) -> bool:
        return self.labels is not None and self.labels.suffix.lower() != ".tif"

    def open(
        self, bands: list[int] | None, band_count: int | None, extra: tuple[str, ...] = ()
    ) -> InputStack:
        """The scene's rasters on one grid: before, after, the ``extra`` inputs and raster labels."""
        paths = {"before": self.before, "after": self.after}
        for name in extra:
            if name not in self.extra:
                raise MineCDError(f"{self.before.parent}: missing {name}.tif")
            paths[name] = self.extra[name]
        if self.labels is not None and not self.vector_labels:
            paths["labels"] = self.labels
        count = {"before": band_count, "after": band_count, "labels": 1, **dict.fromkeys(extra, 1)}
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
    overlap: bool = False  # also cut chips on a grid shifted by half a tile (more training chips)
    split: str = "auto"  # auto | site | blocks | given (use ``assign``)
    seed: int = 0
    assign: dict[str, str] | None = None  # scene name -> train | val | test (split="given")


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


def build_chips(
    scenes: list[Scene], spec: ChipSpec, maker, cache: Path, progress=None, labelled: bool = True
) -> dict:
    """Cut, normalise (where the maker says) and cache the chips of every split.

    ``labelled=False`` (pseudo-labelling's unlabelled scenes): every tile goes to one split
    named "unlabelled" whose labels only mark no-data (255) and data (0).
    """
    cache.mkdir(parents=True, exist_ok=True)
    if not scenes:
        raise MineCDError("no training scenes given")
    splits = SPLITS if labelled else ("unlabelled",)
    mode = spec.split if spec.split != "auto" else ("site" if len(scenes) >= 3 else "blocks")
    if labelled and mode == "site" and len(scenes) < 3:
        raise MineCDError("splitting by site needs at least 3 scenes (train, validation, test)")
    site_split = split_by_site(scenes, spec.seed) if labelled and mode == "site" else None
    if mode == "given":
        site_split = {s.name: (spec.assign or {}).get(s.name, "train") for s in scenes}

    plan = []  # (scene, grid index, {(r, c): split})
    with gdal_env():
        for scene in scenes:
            with scene.open(maker.bands, maker.band_count, maker.extra) as stack:
                for g, grid in enumerate(_grids(stack, spec)):
                    if not labelled:
                        tiles = {(r, c): "unlabelled" for r in range(grid.rows) for c in range(grid.cols)}
                    elif site_split:
                        tiles = {
                            (r, c): site_split[scene.name] for r in range(grid.rows) for c in range(grid.cols)
                        }
                    else:
                        tiles = split_by_blocks(grid, spec.seed + g)
                    if g and site_split is None and labelled:  # shifted grids only add training chips
                        tiles = {k: v for k, v in tiles.items() if v == "train"}
                    plan.append((scene, g, tiles))
        counts = {s: sum(1 for _, _, t in plan for v in t.values() if v == s) for s in splits}
        for split in splits:
            if counts[split] == 0:
                raise MineCDError(f"the data give no {split} chips: add scenes or use larger ones")
        stats = _fit_normalisation(plan, spec, maker) if labelled else None
        writers = _open_cache(cache, spec, counts, maker)
        done = dict.fromkeys(splits, 0)
        sources = {s: [] for s in splits}
        total = sum(counts.values())
        for scene, g, tiles in plan:
            geometries = None
            with scene.open(maker.bands, maker.band_count, maker.extra) as stack:
                if labelled and scene.vector_labels:
                    from ..vector import read_polygons

                    geometries = read_polygons(scene.labels, stack.grid.crs_wkt())
                grid = _grids(stack, spec)[g]
                state = maker.prepare(stack, grid)
                reader = TileReader(
                    stack, grid, context=getattr(maker, "context", False), halo=maker.halo, tiles=tiles.keys()
                )
                for sample in reader:
                    split = tiles[(sample.tile.row, sample.tile.col)]
                    arrays, valid = maker.cut(sample, state)
                    if labelled:
                        labels = read_labels(scene, stack, _cropped(sample, maker.halo, valid), geometries)
                    else:
                        labels = np.where(valid, 0, IGNORE).astype(np.uint8)
                    _store(writers[split], done[split], arrays, valid, labels, maker, stats, sample)
                    sources[split].append([scene.name, g, sample.tile.row, sample.tile.col])
                    done[split] += 1
                    if progress:
                        progress(sum(done.values()) / total, f"cutting chips {sum(done.values())}/{total}")
        for split in splits:
            for arr in writers[split].values():
                arr.flush()
            meta = {"roles": list(maker.arrays()), "count": counts[split], "sources": sources[split]}
            (cache / f"{split}.json").write_text(json.dumps(meta))
    return {
        "split_mode": mode if labelled else "unlabelled",
        "counts": counts,
        "normalisation": stats,
        "scenes": {s.name: (site_split or {}).get(s.name, "blocks") for s in scenes},
    }


class _Cropped:
    """A sample seen without its halo (for reading labels on the core window)."""

    def __init__(self, sample, halo, valid):
        self.tile = sample.tile
        self.valid = valid
        self.data = (
            {k: v[..., halo : v.shape[-2] - halo, halo : v.shape[-1] - halo] for k, v in sample.data.items()}
            if halo
            else sample.data
        )


def _cropped(sample, halo, valid):
    return _Cropped(sample, halo, valid)


def _fit_normalisation(plan, spec: ChipSpec, maker) -> dict:
    """Per-channel statistics from a sample of the training tiles (up to 16 per scene)."""
    rng = np.random.default_rng(spec.seed)
    values: dict[str, list] = {}
    for scene, g, tiles in plan:
        train = [k for k, v in tiles.items() if v == "train"]
        if not train or g:
            continue
        picks = [train[i] for i in rng.choice(len(train), min(16, len(train)), replace=False)]
        with scene.open(maker.bands, maker.band_count, maker.extra) as stack:
            grid = _grids(stack, spec)[0]
            state = maker.prepare(stack, grid)
            context = getattr(maker, "context", False)
            for sample in TileReader(stack, grid, context=context, halo=maker.halo, tiles=picks):
                arrays, valid = maker.cut(sample, state)
                for group, v in maker.statistics_values(arrays, valid).items():
                    if v.shape[1]:
                        take = rng.choice(v.shape[1], min(8192, v.shape[1]), replace=False)
                        values.setdefault(group, []).append(v[:, take])
    if not values:
        raise MineCDError("no valid training pixels to compute the normalisation from")
    shared = getattr(maker, "shared_channels", ())
    return {group: fit(maker.normalisation, np.concatenate(v, axis=1), shared) for group, v in values.items()}


def _open_cache(cache: Path, spec: ChipSpec, counts: dict, maker) -> dict:
    writers = {}
    for split, n in counts.items():
        arrays = {}
        for role, channels in maker.arrays().items():
            arrays[role] = np.lib.format.open_memmap(
                cache / f"{split}_{role}.npy", "w+", np.float16, (n, channels, spec.tile, spec.tile)
            )
        arrays["labels"] = np.lib.format.open_memmap(
            cache / f"{split}_labels.npy", "w+", np.uint8, (n, spec.tile, spec.tile)
        )
        writers[split] = arrays
    return writers


def _store(target: dict, i: int, arrays: dict, valid, labels, maker, stats, sample) -> None:
    for role, values in arrays.items():
        if maker.normalise_in_cache:
            ok = maker.context_valid(sample) if role.endswith("_context") else valid
            values = apply(stats[maker.group(role)], values[None], ok[None])[0]
        target[role][i] = values
    target["labels"][i] = labels
